import type { Budget } from '../budget';
import type { Figure, IntegrityCheck, StreamingModeResult, StreamingResult } from '../report/types';
import { bootstrapInterval, quantileRatio } from '../stats/bootstrap';
import { quantileSorted, summarize } from '../stats/quantile';
import { seededRandom } from '../stats/random';
import { BENCH_PERCENTAGE, type BenchStack, type SentEvent } from './bench-stack';
import { EventIdSource } from './event-ids';
import { EXECUTION_ENV } from '@slack-ai-app/stack-contract';

/** The two ways of answering that the phase compares. */
export type AnswerMode = 'stream' | 'post';

/** The model workload of the phase (issue 16): time to first token, tokens per second, answer length. */
export interface StreamingWorkload {
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
  readonly answerTokens: number;
}

/** Options of {@link runStreaming}. */
export interface StreamingOptions {
  readonly workload: StreamingWorkload;
  /** Answers measured per mode. */
  readonly perMode: number;
  /** Questions in flight at once (and warm containers). */
  readonly concurrency: number;
  readonly replyTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly budget: Budget;
  readonly seed: number;
  readonly log: (line: string) => void;
}

/** What was measured for one answer. */
interface Timed {
  readonly event: SentEvent;
  readonly mode: AnswerMode;
  /** Slack request to the first visible text in the thread. */
  readonly firstTextMs: number | undefined;
  /** Slack request to the complete answer (the stream stopped, or the message posted). */
  readonly completeMs: number | undefined;
}

/** Characters per token of the local model. */
const CHARS_PER_TOKEN = 4;

/**
 * The order of the measured blocks: pairs of one block per mode in a random (seeded) order, so that drift in the
 * machine's load hits both modes alike, with as few reconfigurations as ABBA allows.
 *
 * @param blocksPerMode - blocks of each mode
 * @param coin - the seeded coin
 */
export function blockOrder(blocksPerMode: number, coin: () => boolean): AnswerMode[] {
  const order: AnswerMode[] = [];
  for (let i = 0; i < blocksPerMode; i += 1) {
    const last = order[order.length - 1];
    // Start each pair with the mode already configured half the time, else with the coin.
    const first: AnswerMode = last !== undefined && coin() ? last : coin() ? 'stream' : 'post';
    order.push(first, first === 'stream' ? 'post' : 'stream');
  }
  return order;
}

function figure(samples: readonly number[]): Figure | undefined {
  return samples.length === 0 ? undefined : { summary: summarize(samples), samples: [...samples] };
}

/**
 * Streamed against non-streamed answers, on the same questions in one run (issue 16): the local model at the issue's
 * workload (first token after `ttftMs`, then `tokensPerSecond`, `answerTokens` long), warm containers. The execution
 * function is switched between `SLACK_STREAMING=true` and `false` (read at cold start, so each switch replaces its
 * containers; they are prewarmed and warmed with one short answer each before measuring). In each block,
 * `concurrency` questions are asked at once; for each answer the phase records the time from the Slack request to the
 * first visible text in the thread (the stand-in's `onBotText`), to the complete answer (stream stopped or message
 * posted), and the Slack message calls the answer made.
 *
 * @param bench - the running stack
 * @param options - workload, counts, budget
 * @returns both modes' figures, the streamed / posted ratios, and the integrity checks
 */
export async function runStreaming(bench: BenchStack, options: StreamingOptions): Promise<{ result: StreamingResult; checks: IntegrityCheck[] }> {
  const { stack } = bench;
  const execution = stack.functions.execution;
  const environment = execution.configuration.environment;
  const firstText = new Map<string, number>();
  const unsubscribe = stack.slack.workspace.onBotText((reply) => {
    const key = `${reply.channel} ${reply.threadTs ?? '-'}`;
    if (!firstText.has(key)) firstText.set(key, performance.now());
  });
  const ids = new EventIdSource('EvST', BENCH_PERCENTAGE);
  const random = seededRandom(options.seed + 3);
  const blocksPerMode = Math.ceil(options.perMode / options.concurrency);
  const timed: Timed[] = [];
  const warmups: SentEvent[] = [];
  let configured: AnswerMode | undefined;
  let truncated = false;

  const ask = async (mode: AnswerMode): Promise<Timed> => {
    const event = await bench.send(ids.next('api'), 'api');
    if (event.status !== 200) return { event, mode, firstTextMs: undefined, completeMs: undefined };
    const completedAt = await bench.replies.waitFirst(event.channel, event.threadTs, options.replyTimeoutMs);
    const shownAt = firstText.get(`${event.channel} ${event.threadTs}`);
    return {
      event,
      mode,
      firstTextMs: shownAt === undefined ? undefined : shownAt - event.sentAt,
      completeMs: completedAt === undefined ? undefined : completedAt - event.sentAt,
    };
  };
  const configure = async (mode: AnswerMode) => {
    await stack.waitForIdle(options.idleTimeoutMs);
    await execution.updateConfiguration({ environment: { ...environment, [EXECUTION_ENV.slackStreaming]: mode === 'stream' ? 'true' : 'false' } });
    await execution.prewarm(options.concurrency);
    // Each new container's first answer sets up its clients: a short one, not measured.
    stack.modelStream = { ttftMs: 0, tokensPerSecond: 0, answerTokens: 8 };
    const burst = await Promise.all(Array.from({ length: options.concurrency }, () => bench.send(ids.next('api'), 'api')));
    warmups.push(...burst);
    await Promise.all(burst.map((e) => bench.replies.waitFirst(e.channel, e.threadTs, options.replyTimeoutMs)));
    await stack.waitForIdle(options.idleTimeoutMs);
    configured = mode;
  };

  try {
    for (const [index, mode] of blockOrder(blocksPerMode, () => random() < 0.5).entries()) {
      if (options.budget.exceeded()) {
        truncated = true;
        break;
      }
      if (mode !== configured) await configure(mode);
      stack.modelStream = options.workload;
      timed.push(...(await Promise.all(Array.from({ length: options.concurrency }, () => ask(mode)))));
      await stack.waitForIdle(options.idleTimeoutMs);
      options.log(`streaming: block ${index + 1} (${mode}) done, ${timed.length} answers`);
    }
  } finally {
    unsubscribe();
    stack.modelStream = {};
    await execution.updateConfiguration({ environment });
  }

  const answerLength = options.workload.answerTokens * CHARS_PER_TOKEN;
  const messageCalls = (event: SentEvent): number | undefined => {
    const replies = stack.slack.botReplies({ channel: event.channel, threadTs: event.threadTs });
    const ts = replies[0]?.ts;
    if (replies.length !== 1 || ts === undefined) return undefined;
    return stack.slack
      .calls()
      .filter((c) => c.method.startsWith('chat.') && (c.params['ts'] === ts || c.response?.['ts'] === ts)).length;
  };
  const checks: IntegrityCheck[] = [];
  const modeResult = (mode: AnswerMode): StreamingModeResult => {
    const mine = timed.filter((t) => t.mode === mode);
    const wrong = mine.filter((t) => {
      const replies = stack.slack.botReplies({ channel: t.event.channel, threadTs: t.event.threadTs });
      const reply = replies[0];
      const shapeOk = mode === 'stream' ? reply?.stream === 'stopped' : reply?.stream === undefined;
      return replies.length !== 1 || reply === undefined || !shapeOk || reply.text.length !== answerLength || !reply.text.includes(t.event.marker);
    });
    checks.push({
      name: `streaming: every ${mode === 'stream' ? 'streamed' : 'posted'} answer is one ${mode === 'stream' ? 'stopped stream' : 'posted message'} of ${answerLength} characters with the model's answer`,
      ok: mine.length > 0 && wrong.length === 0,
      detail: `${mine.length - wrong.length}/${mine.length}.${wrong[0] !== undefined ? ` First wrong: ${wrong[0].event.eventId}` : ''}`,
    });
    const calls = mine.map((t) => messageCalls(t.event)).filter((n): n is number => n !== undefined);
    return {
      answers: mine.length,
      firstTextMs: figure(mine.flatMap((t) => (t.firstTextMs === undefined ? [] : [t.firstTextMs]))),
      completeMs: figure(mine.flatMap((t) => (t.completeMs === undefined ? [] : [t.completeMs]))),
      messageCalls: figure(calls),
    };
  };
  const streamed = modeResult('stream');
  const posted = modeResult('post');
  checks.push({
    name: 'streaming: every warm-up answer arrived',
    ok: warmups.every((e) => bench.replies.count(e.channel, e.threadTs) === 1),
    detail: `${warmups.filter((e) => bench.replies.count(e.channel, e.threadTs) === 1).length}/${warmups.length}.`,
  });
  const both = (a: Figure | undefined, b: Figure | undefined, p: number) =>
    a !== undefined && b !== undefined ? quantileRatio(a.samples, b.samples, p, { seed: options.seed }) : undefined;
  const median = (f: Figure | undefined) =>
    f === undefined ? undefined : bootstrapInterval([f.samples], ([s]) => quantileSorted(s as number[], 0.5), { seed: options.seed });
  return {
    result: {
      workload: options.workload,
      concurrency: options.concurrency,
      plannedPerMode: blocksPerMode * options.concurrency,
      streamed,
      posted,
      firstTextP50: median(streamed.firstTextMs),
      ratios: { completeP50: both(streamed.completeMs, posted.completeMs, 0.5), completeP95: both(streamed.completeMs, posted.completeMs, 0.95) },
      truncated,
    },
    checks,
  };
}
