import type { Budget } from '../budget';
import type { AckResult, Figure, HandoffPath, IntegrityCheck } from '../report/types';
import { quantileRatio } from '../stats/bootstrap';
import { summarize } from '../stats/quantile';
import { seededRandom } from '../stats/random';
import { BENCH_PERCENTAGE, type BenchStack, type SentEvent } from './bench-stack';
import { type EventOutcome, ackUsable, eventChecks } from './event-checks';
import { EventIdSource, interleavedPaths } from './event-ids';

/** Options of {@link runAck}. */
export interface AckOptions {
  readonly perPath: number;
  readonly warmupPerPath: number;
  /** Local model latency while measuring acks (the execution work runs between samples, not during them). */
  readonly modelLatencyMs: number;
  readonly budget: Budget;
  readonly seed: number;
  readonly idleTimeoutMs: number;
  readonly log: (line: string) => void;
}

/**
 * Measures ack latency, Slack request to 200, through the local stack on warm containers: one request at a time,
 * paths interleaved in pairs of random order, and the stack left to become idle (the execution work finished) before
 * each request, so that every sample sees the same quiet stack.
 *
 * @param bench - the running stack
 * @param options - counts, budget, seed
 * @returns the per-path figures, the API / direct ratios at p50, p95 and p99, and the phase's integrity checks
 */
export async function runAck(bench: BenchStack, options: AckOptions): Promise<{ result: AckResult; checks: IntegrityCheck[] }> {
  const { stack } = bench;
  stack.modelLatencyMs = options.modelLatencyMs;
  await Promise.all([stack.functions.verification.prewarm(1), stack.functions.execution.prewarm(1)]);
  const ids = new EventIdSource('EvBA', BENCH_PERCENTAGE);
  const sent: SentEvent[] = [];
  const once = async (path: HandoffPath): Promise<SentEvent> => {
    const event = await bench.send(ids.next(path), path);
    sent.push(event);
    await stack.waitForIdle(options.idleTimeoutMs);
    return event;
  };

  for (let i = 0; i < options.warmupPerPath; i += 1) {
    await once('api');
    await once('direct');
  }
  const warmupCount = sent.length;
  const random = seededRandom(options.seed);
  const order = interleavedPaths(options.perPath, () => random() < 0.5);
  let truncated = false;
  for (let i = 0; i < order.length; i += 1) {
    if (i % 2 === 0 && options.budget.exceeded()) {
      truncated = true;
      break;
    }
    await once(order[i] as HandoffPath);
    if (i % 50 === 49) options.log(`ack: ${i + 1}/${order.length}`);
  }

  const outcomes: EventOutcome[] = sent.map((event) => bench.outcomeOf(event));
  const measured = outcomes.slice(warmupCount).filter(ackUsable);
  const samples = (path: HandoffPath) => measured.filter((o) => o.event.intended === path).map((o) => o.event.ackMs);
  const api = samples('api');
  const direct = samples('direct');
  const both = api.length > 0 && direct.length > 0;
  const fig = (values: number[]): Figure | undefined => (values.length === 0 ? undefined : { summary: summarize(values), samples: values });
  return {
    result: {
      api: fig(api),
      direct: fig(direct),
      ratios: both
        ? {
            p50: quantileRatio(api, direct, 0.5, { seed: options.seed }),
            p95: quantileRatio(api, direct, 0.95, { seed: options.seed }),
            p99: quantileRatio(api, direct, 0.99, { seed: options.seed }),
          }
        : {},
      warmupPerPath: options.warmupPerPath,
      plannedPerPath: options.perPath,
      truncated,
    },
    checks: eventChecks('ack', outcomes),
  };
}
