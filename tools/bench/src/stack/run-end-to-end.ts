import { setTimeout as delay } from 'node:timers/promises';
import type { Budget } from '../budget';
import type { EndToEndResult, Figure, HandoffPath, IntegrityCheck } from '../report/types';
import { quantileRatio } from '../stats/bootstrap';
import { summarize } from '../stats/quantile';
import { seededRandom } from '../stats/random';
import { BENCH_PERCENTAGE, type BenchStack, type SentEvent } from './bench-stack';
import { type EventOutcome, answerUsable, eventChecks } from './event-checks';
import { EventIdSource, interleavedPaths } from './event-ids';
import { warmBothPaths } from './warm-up';

/** Options of {@link runEndToEnd}. */
export interface EndToEndOptions {
  readonly perPath: number;
  readonly concurrency: number;
  /** The local model's latency (Bedrock-like, e.g. 1500 ms). */
  readonly modelLatencyMs: number;
  /** Give up waiting for one reply after this long (the event then counts as having no reply). */
  readonly replyTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly budget: Budget;
  readonly seed: number;
  readonly log: (line: string) => void;
}

interface Timed {
  readonly event: SentEvent;
  /** Slack request to recorded reply; `undefined` when no reply came in time. */
  readonly endToEndMs: number | undefined;
}

/**
 * Measures end-to-end latency, Slack request to the reply recorded by the Slack stand-in, with the local model set to
 * a Bedrock-like latency. `concurrency` senders each send an event and wait for its reply before sending the next, so
 * that the model's latency overlaps (their first events staggered over one model latency); the events alternate between
 * the paths in pairs of random order. Containers are
 * prewarmed to the concurrency and each is warmed on both paths first (see {@link warmBothPaths}).
 *
 * @param bench - the running stack
 * @param options - counts, concurrency, model latency, budget
 * @returns per-path figures, API / direct ratios at p50 and p95, the acks under this load, and the integrity checks
 */
export async function runEndToEnd(bench: BenchStack, options: EndToEndOptions): Promise<{ result: EndToEndResult; checks: IntegrityCheck[] }> {
  const { stack } = bench;
  stack.modelLatencyMs = options.modelLatencyMs;
  await Promise.all([stack.functions.verification.prewarm(options.concurrency), stack.functions.execution.prewarm(options.concurrency)]);
  const ids = new EventIdSource('EvBE', BENCH_PERCENTAGE);
  const random = seededRandom(options.seed + 1);

  const one = async (path: HandoffPath): Promise<Timed> => {
    const event = await bench.send(ids.next(path), path);
    if (event.status !== 200) return { event, endToEndMs: undefined };
    const repliedAt = await bench.replies.waitFirst(event.channel, event.threadTs, options.replyTimeoutMs);
    return { event, endToEndMs: repliedAt === undefined ? undefined : repliedAt - event.sentAt };
  };
  const runQueue = async (paths: HandoffPath[]): Promise<{ timed: Timed[]; truncated: boolean }> => {
    const timed: Timed[] = [];
    let next = 0;
    let truncated = false;
    const worker = async (index: number) => {
      // Stagger the senders' first events over one model latency, so the load is steady from the start instead of
      // one synchronised wave of `concurrency` events at a time.
      await delay((index * options.modelLatencyMs) / options.concurrency);
      while (next < paths.length) {
        if (options.budget.exceeded()) {
          truncated = true;
          return;
        }
        const path = paths[next++] as HandoffPath;
        timed.push(await one(path));
        if (timed.length % 20 === 0) options.log(`end to end: ${timed.length}/${paths.length}`);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
    return { timed, truncated };
  };

  const warmup = await warmBothPaths(bench, options.concurrency, ids, options.replyTimeoutMs);
  await stack.waitForIdle(options.idleTimeoutMs);
  const main = await runQueue(interleavedPaths(options.perPath, () => random() < 0.5));
  await stack.waitForIdle(options.idleTimeoutMs);

  const outcome = (t: Timed): EventOutcome => bench.outcomeOf(t.event);
  const measured = main.timed.filter((t) => t.endToEndMs !== undefined && answerUsable(outcome(t)));
  const samples = (path: HandoffPath) => measured.filter((t) => t.event.intended === path).map((t) => t.endToEndMs as number);
  const api = samples('api');
  const direct = samples('direct');
  const acks = main.timed.filter((t) => t.event.status === 200).map((t) => t.event.ackMs);
  const fig = (values: number[]): Figure | undefined => (values.length === 0 ? undefined : { summary: summarize(values), samples: values });
  const both = api.length > 0 && direct.length > 0;
  return {
    result: {
      api: fig(api),
      direct: fig(direct),
      ratios: both ? { p50: quantileRatio(api, direct, 0.5, { seed: options.seed }), p95: quantileRatio(api, direct, 0.95, { seed: options.seed }) } : {},
      modelLatencyMs: options.modelLatencyMs,
      concurrency: options.concurrency,
      plannedPerPath: options.perPath,
      ackMs: fig(acks),
      truncated: main.truncated,
    },
    checks: eventChecks('end to end', [...warmup.map((event) => bench.outcomeOf(event)), ...main.timed.map(outcome)]),
  };
}
