import { type LocalStack, startLocalStack } from '@slack-ai-app/local-stack';
import type { HandoffPath } from '../report/types';
import type { EventOutcome } from './event-checks';
import { type ObservedPath, observedPath } from './observed-path';
import { ReplyClock } from './reply-clock';

/**
 * The local stack as the benchmark runs it: ephemeral ports, `USE_API_GATEWAY_PERCENTAGE=50` (so one stack serves
 * both paths, the event id deciding), enough reserved concurrency for the highest load level, and a clock on every
 * bot reply.
 */

/** The rollout percentage the benchmark's stack runs with. */
export const BENCH_PERCENTAGE = 50;

/** One Slack event sent by the benchmark. */
export interface SentEvent {
  readonly eventId: string;
  /** The path its id was chosen for. */
  readonly intended: HandoffPath;
  readonly channel: string;
  /** The thread the reply is expected in. */
  readonly threadTs: string;
  /** The ack's HTTP status (0 when the request failed). */
  readonly status: number;
  /** Slack request to response, as Slack's side measures it (new connection each time). */
  readonly ackMs: number;
  /** `performance.now()` when the event was sent. */
  readonly sentAt: number;
  /** `performance.now()` when the ack arrived. */
  readonly ackedAt: number;
  /** Why the request failed, when it did. */
  readonly error: string | undefined;
  /** A unique part of the question; the local model's answer echoes the question, so a real answer contains it. */
  readonly marker: string;
}

/** The running stack and the benchmark's view of it. */
export interface BenchStack {
  readonly stack: LocalStack;
  readonly replies: ReplyClock;
  /** Internal errors the emulators reported (each also makes a client see a 500). */
  readonly internalErrors: string[];
  /**
   * Posts a user message mentioning the bot with the given event id, as Slack would deliver it.
   *
   * @param eventId - from an `EventIdSource`
   * @param intended - the path the id was chosen for
   */
  send(eventId: string, intended: HandoffPath): Promise<SentEvent>;
  /** The path an event actually took, from the stack's trace. */
  pathOf(eventId: string): ObservedPath;
  /** What is known about an event now: its path, its replies, and whether the first reply is the model's answer. */
  outcomeOf(event: SentEvent): EventOutcome;
  stop(): Promise<void>;
}

/** Options of {@link startBenchStack}. */
export interface BenchStackOptions {
  readonly workspaceRoot: string;
  /** Reserved concurrency of both functions (the highest concurrency any phase uses). */
  readonly reservedConcurrency: number;
  readonly modelLatencyMs: number;
}

/** Internal errors kept for the report. */
const MAX_KEPT_ERRORS = 20;

/**
 * Starts the local stack for the benchmark.
 *
 * @param options - workspace root, concurrency, initial model latency
 * @throws whatever `startLocalStack` throws (e.g. `BundleNotFoundError` when the Lambdas are not built)
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const replies = new ReplyClock();
  const internalErrors: string[] = [];
  const stack = await startLocalStack({
    workspaceRoot: options.workspaceRoot,
    ports: { slack: 0, slackApi: 0, aws: 0 },
    useApiGatewayPercentage: BENCH_PERCENTAGE,
    modelLatencyMs: options.modelLatencyMs,
    functions: {
      verification: { reservedConcurrency: options.reservedConcurrency },
      execution: { reservedConcurrency: options.reservedConcurrency },
    },
    onBotReply: (reply) => replies.record(reply.channel, reply.threadTs, performance.now(), reply.text),
    onInternalError: (error, where) => {
      if (internalErrors.length < MAX_KEPT_ERRORS) internalErrors.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  let questions = 0;
  return {
    stack,
    replies,
    internalErrors,
    async send(eventId, intended) {
      questions += 1;
      const marker = `(benchmark question ${questions})`;
      const sentAt = performance.now();
      try {
        const delivered = await stack.slack.postUserMessage({ text: `What is SigV4? ${marker}`, eventId });
        return {
          eventId,
          intended,
          channel: delivered.channel ?? '',
          threadTs: delivered.threadTs ?? '',
          status: delivered.status,
          ackMs: delivered.latencyMs,
          sentAt,
          ackedAt: performance.now(),
          error: undefined,
          marker,
        };
      } catch (error) {
        const now = performance.now();
        return { eventId, intended, channel: '', threadTs: '', status: 0, ackMs: now - sentAt, sentAt, ackedAt: now, error: error instanceof Error ? error.message : String(error), marker };
      }
    },
    pathOf: (eventId) => observedPath(stack.trace.forEvent(eventId)),
    outcomeOf: (event) => {
      const texts = replies.texts(event.channel, event.threadTs);
      return { event, observed: observedPath(stack.trace.forEvent(event.eventId)), replies: texts.length, answered: texts[0]?.includes(event.marker) ?? false };
    },
    stop: () => stack.stop(),
  };
}
