import { IdleTimeoutError } from '@slack-ai-app/local-stack';
import type { Budget } from '../budget';
import type { HandoffPath, IntegrityCheck, ThroughputLevel, ThroughputResult } from '../report/types';
import { summarize } from '../stats/quantile';
import { BENCH_PERCENTAGE, type BenchStack, type SentEvent } from './bench-stack';
import { type EventOutcome, eventChecks } from './event-checks';
import { EventIdSource } from './event-ids';
import { warmBothPaths } from './warm-up';

/** One level to run. */
export interface LevelSpec {
  readonly concurrency: number;
  /** Events to send at most. */
  readonly count: number;
}

/** Options of {@link runThroughput}. */
export interface ThroughputOptions {
  readonly levels: readonly LevelSpec[];
  readonly modelLatencyMs: number;
  /** Stop sending at a level after this long. */
  readonly levelBudgetMs: number;
  /** Wait this long at most for the stack to drain after a level. */
  readonly idleTimeoutMs: number;
  /** Give up waiting for one reply after this long (the sender then moves on). */
  readonly replyTimeoutMs: number;
  readonly budget: Budget;
  readonly log: (line: string) => void;
}

/**
 * Measures Slack events per second through the local stack at each concurrency level: `concurrency` senders each post
 * an event and wait for its reply before posting the next (a closed loop end to end, so that `concurrency` events are
 * in flight and no backlog builds up that would outlive the level), alternating the two paths, bounded by a count and
 * a time budget. Containers are prewarmed to the level's concurrency and warmed on both paths (see
 * {@link warmBothPaths}). After each level the stack drains, and every acked event must have exactly one reply.
 *
 * @param bench - the running stack
 * @param options - levels, model latency, budgets
 * @returns one row per level and the integrity checks
 */
export async function runThroughput(bench: BenchStack, options: ThroughputOptions): Promise<{ result: ThroughputResult; checks: IntegrityCheck[]; notes: string[] }> {
  const { stack } = bench;
  stack.modelLatencyMs = options.modelLatencyMs;
  const levels: ThroughputLevel[] = [];
  const checks: IntegrityCheck[] = [];
  const notes: string[] = [];
  for (const spec of options.levels) {
    if (options.budget.exceeded()) {
      notes.push(`throughput: concurrency ${spec.concurrency} skipped, the time budget was spent`);
      continue;
    }
    await Promise.all([stack.functions.verification.prewarm(spec.concurrency), stack.functions.execution.prewarm(spec.concurrency)]);
    const ids = new EventIdSource(`EvBT${spec.concurrency}X`, BENCH_PERCENTAGE);
    const warmup = await warmBothPaths(bench, spec.concurrency, ids, options.replyTimeoutMs);
    await stack.waitForIdle(options.idleTimeoutMs);
    const levelBudget = options.budget.sub(options.levelBudgetMs);
    const sent: SentEvent[] = [];
    let issued = 0;
    let truncated = false;
    const worker = async () => {
      while (issued < spec.count) {
        if (levelBudget.exceeded()) {
          truncated = true;
          return;
        }
        const path: HandoffPath = issued % 2 === 0 ? 'api' : 'direct';
        issued += 1;
        const event = await bench.send(ids.next(path), path);
        sent.push(event);
        if (event.status === 200) await bench.replies.waitFirst(event.channel, event.threadTs, options.replyTimeoutMs);
      }
    };
    const firstSentAt = performance.now();
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
    try {
      await stack.waitForIdle(options.idleTimeoutMs);
    } catch (error) {
      if (!(error instanceof IdleTimeoutError)) throw error;
      notes.push(`throughput: concurrency ${spec.concurrency} had not drained after ${options.idleTimeoutMs} ms (${error.pending.length} tasks pending)`);
    }
    const outcomes: EventOutcome[] = sent.map((event) => bench.outcomeOf(event));
    levels.push(levelOf(spec, sent, outcomes, firstSentAt, truncated, bench));
    checks.push(...eventChecks(`throughput c=${spec.concurrency}`, [...warmup.map((event) => bench.outcomeOf(event)), ...outcomes]));
    options.log(`throughput: concurrency ${spec.concurrency} done (${sent.length} events)`);
  }
  return { result: { modelLatencyMs: options.modelLatencyMs, levels }, checks, notes };
}

function levelOf(spec: LevelSpec, sent: readonly SentEvent[], outcomes: readonly EventOutcome[], firstSentAt: number, truncated: boolean, bench: BenchStack): ThroughputLevel {
  const acked = sent.filter((e) => e.status === 200);
  const notAcked: Record<string, number> = {};
  for (const event of sent) {
    if (event.status !== 200) {
      const key = event.status === 0 ? 'error' : String(event.status);
      notAcked[key] = (notAcked[key] ?? 0) + 1;
    }
  }
  const lastAck = Math.max(firstSentAt, ...acked.map((e) => e.ackedAt));
  const replyTimes = acked.map((e) => bench.replies.first(e.channel, e.threadTs)).filter((t): t is number => t !== undefined);
  const lastReply = Math.max(firstSentAt, ...replyTimes);
  const ackWindowMs = lastAck - firstSentAt;
  const replyWindowMs = lastReply - firstSentAt;
  const perSecond = (count: number, windowMs: number) => (windowMs > 0 ? (count * 1000) / windowMs : Number.NaN);
  const ackSamples = acked.map((e) => e.ackMs);
  const endToEnd = acked.flatMap((e) => {
    const at = bench.replies.first(e.channel, e.threadTs);
    return at === undefined ? [] : [at - e.sentAt];
  });
  return {
    concurrency: spec.concurrency,
    planned: spec.count,
    sent: sent.length,
    acked: acked.length,
    notAcked,
    ackWindowMs,
    replyWindowMs,
    acksPerSecond: perSecond(acked.length, ackWindowMs),
    repliesPerSecond: perSecond(replyTimes.length, replyWindowMs),
    ackMs: ackSamples.length === 0 ? undefined : { summary: summarize(ackSamples), samples: ackSamples },
    endToEndMs: endToEnd.length === 0 ? undefined : { summary: summarize(endToEnd), samples: endToEnd },
    exactlyOneReply: outcomes.filter((o) => o.event.status === 200 && o.replies === 1 && o.answered).length,
    noReply: outcomes.filter((o) => o.event.status === 200 && o.replies === 0).length,
    duplicateReplies: outcomes.filter((o) => o.replies > 1).length,
    truncated,
  };
}
