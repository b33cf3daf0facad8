import {
  startLocalStack,
  type BotReply,
  type DeliveryResult,
  type InvocationTrace,
  type LocalStack,
  type LocalStackOptions,
  type LogEntry,
} from '@slack-ai-app/local-stack';
import { appendLogLines, type GatheredLine } from './collector';
import { EXECUTION_ENV } from '@slack-ai-app/stack-contract';

/**
 * The suite's way to run the local stack: ephemeral ports, an instant local model, and every log line the stack
 * captures (plus the stack's own internal-error output) gathered for the secrets scan.
 */

/** Bound on waiting for the stack to go idle after a scenario (a bound on a hung run, not a timed assertion). */
export const SETTLE_TIMEOUT_MS = 60_000;

/** Lines kept in memory before they are appended to the collector. */
const FLUSH_EVERY_LINES = 5_000;

/** A running stack and what the suite gathers from it. */
export interface Harness {
  readonly stack: LocalStack;
  /** What the stack reported through `onInternalError` (an emulator failing internally: the client got a 500). */
  readonly internalErrors: string[];
  /** How many log lines were gathered so far. */
  readonly linesGathered: () => number;
  /**
   * Posts a message as a user mentioning the bot, and delivers the signed `app_mention` to the verification function.
   *
   * @param text - the text after the mention
   * @param eventId - a fixed event id (default: a new one)
   */
  mention(text: string, eventId?: string): Promise<DeliveryResult>;
  /** Waits until nothing is in flight: requests, invocations, retries. */
  settle(): Promise<void>;
  /** The bot's replies in a thread of the local channel. */
  replies(threadTs: string | undefined): BotReply[];
  /** Every attempt of one function for one Slack event, oldest first. */
  attempts(eventId: string, role: 'verification' | 'execution'): InvocationTrace[];
  /** Stops the stack and writes its log lines to the collector. */
  stop(): Promise<void>;
}

/**
 * Starts a local stack for a spec file.
 *
 * @param suite - the spec file's name (names its log file)
 * @param options - stack options over the suite's defaults (ports 0, model latency 0, `SLACK_STREAMING=false`)
 * @throws whatever `startLocalStack` throws (e.g. a missing bundle names the build command)
 */
export async function startHarness(suite: string, options: LocalStackOptions = {}): Promise<Harness> {
  const pending: GatheredLine[] = [];
  let gathered = 0;
  const internalErrors: string[] = [];
  const flush = () => appendLogLines(suite, pending.splice(0));
  const keep = (line: GatheredLine) => {
    pending.push(line);
    gathered += 1;
    if (pending.length >= FLUSH_EVERY_LINES) flush();
  };
  const roles = new Map<string, string>();
  const execution = options.functions?.execution;
  const stack = await startLocalStack({
    ports: { slack: 0, slackApi: 0, aws: 0 },
    modelLatencyMs: 0,
    ...options,
    // The suites written for whole posts (their faults target chat.postMessage) keep the non-streamed post;
    // test/streaming-faults.spec.ts turns streaming (the product default) back on.
    functions: {
      ...options.functions,
      execution: { ...execution, environment: { [EXECUTION_ENV.slackStreaming]: 'false', ...execution?.environment } },
    },
    onLog: (entry: LogEntry) => {
      // Sources name the function by its role (the template's generated names say nothing to a reader).
      const role = roles.get(entry.functionName) ?? entry.functionName;
      keep({ suite, source: `function:${role}/${entry.stream}`, line: entry.line });
      options.onLog?.(entry);
    },
    onInternalError: (error: unknown, where: string) => {
      const line = `[local-stack] internal error in ${where}: ${String((error as Error)?.stack ?? error)}`;
      internalErrors.push(line);
      keep({ suite, source: 'stack', line });
      options.onInternalError?.(error, where);
    },
  });
  for (const [role, fn] of Object.entries(stack.functions)) roles.set(fn.name, role);
  let stopped = false;
  return {
    stack,
    internalErrors,
    linesGathered: () => gathered,
    mention: (text, eventId) => stack.slack.postUserMessage({ text, ...(eventId === undefined ? {} : { eventId }) }),
    settle: () => stack.waitForIdle(SETTLE_TIMEOUT_MS),
    replies: (threadTs) => (threadTs === undefined ? [] : stack.slack.botReplies({ threadTs })),
    attempts: (eventId, role) =>
      stack.trace
        .forEvent(eventId)
        .filter((e): e is InvocationTrace => e.kind === 'invocation' && e.functionName === stack.functions[role].name),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await stack.stop();
      } finally {
        flush();
      }
    },
  };
}
