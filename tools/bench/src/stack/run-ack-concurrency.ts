import { DEFAULT_MAX_CONTAINERS, IdleTimeoutError, type LocalStack, startLocalStack } from '@slack-ai-app/local-stack';
import type { Budget } from '../budget';
import type { AckConcurrencyLevel, AckConcurrencyResult, IntegrityCheck } from '../report/types';
import { summarize } from '../stats/quantile';

/** Options of {@link runAckConcurrency}. */
export interface AckConcurrencyOptions {
  readonly workspaceRoot: string;
  /** The concurrency levels, each on a fresh stack. */
  readonly levels: readonly number[];
  /** Signed mentions to send at each level. */
  readonly events: number;
  /** Wait this long at most for a level's stack to finish the execution work. */
  readonly idleTimeoutMs: number;
  /** The phase's budget; each level gets an equal share of what is left. */
  readonly budget: Budget;
  readonly log: (line: string) => void;
}

/** One Slack request of a level. */
interface Delivery {
  readonly status: number;
  readonly ackMs: number;
  readonly channel: string | undefined;
  readonly threadTs: string | undefined;
}

/**
 * Slack's view of the ack when a burst arrives, as a new user meets it: for each level, a fresh local stack with its
 * defaults (the deployed concurrency settings: the verification function unreserved, the execution function with
 * `DEFAULT_EXECUTION_RESERVED_CONCURRENCY`), cold, local model latency 0 ms; `concurrency` senders each post signed
 * mentions back to back (the next as soon as the ack arrives) until `events` are sent. Reported: every status, ack
 * p50/p95/p99/max, and whether each acked mention got exactly one reply once the stack has drained.
 *
 * @param options - levels, count, budgets
 * @returns one row per level, the integrity checks and notes
 */
export async function runAckConcurrency(options: AckConcurrencyOptions): Promise<{ result: AckConcurrencyResult; checks: IntegrityCheck[]; notes: string[] }> {
  const levels: AckConcurrencyLevel[] = [];
  const checks: IntegrityCheck[] = [];
  const notes: string[] = [];
  for (const [index, concurrency] of options.levels.entries()) {
    if (options.budget.exceeded()) {
      notes.push(`ack under concurrency: c=${concurrency} skipped, the time budget was spent`);
      continue;
    }
    const levelBudget = options.budget.sub(options.budget.remainingMs() / (options.levels.length - index));
    const internalErrors: string[] = [];
    const stack = await startLocalStack({
      workspaceRoot: options.workspaceRoot,
      ports: { slack: 0, slackApi: 0, aws: 0 },
      modelLatencyMs: 0,
      onInternalError: (error, where) => internalErrors.push(`${where}: ${error instanceof Error ? error.message : String(error)}`),
    });
    try {
      const level = await runLevel(stack, concurrency, options.events, levelBudget);
      try {
        await stack.waitForIdle(options.idleTimeoutMs);
      } catch (error) {
        if (!(error instanceof IdleTimeoutError)) throw error;
        notes.push(`ack under concurrency: c=${concurrency} had not drained after ${options.idleTimeoutMs} ms (${error.pending.length} tasks pending)`);
      }
      const acked = level.deliveries.filter((d) => d.status === 200);
      const exactlyOneReply = acked.filter((d) => stack.slack.botReplies({ channel: d.channel as string, threadTs: d.threadTs as string }).length === 1).length;
      const row = toLevel(concurrency, options.events, level.deliveries, exactlyOneReply, level.truncated, stack);
      levels.push(row);
      if (row.truncated) notes.push(`ack under concurrency: c=${concurrency} sent ${row.sent} of ${row.planned} events within its time budget`);
      options.log(`ack under concurrency c=${concurrency}: ${row.acked}/${row.sent} acked 200, p50 ${row.ackMs?.summary.median.toFixed(0)} ms, p99 ${row.ackMs?.summary.p99.toFixed(0)} ms`);
      checks.push(
        {
          name: `ack under concurrency c=${concurrency}: every Slack request acked 200`,
          ok: row.sent > 0 && row.acked === row.sent,
          detail: `${row.acked}/${row.sent}.${Object.keys(row.notAcked).length > 0 ? ` Others: ${JSON.stringify(row.notAcked)}` : ''}`,
        },
        {
          name: `ack under concurrency c=${concurrency}: every acked mention answered exactly once`,
          ok: row.exactlyOneReply === row.acked,
          detail: `${row.exactlyOneReply}/${row.acked}.`,
        },
        {
          name: `ack under concurrency c=${concurrency}: no emulator reported an internal error`,
          ok: internalErrors.length === 0,
          detail: internalErrors.length === 0 ? 'none.' : internalErrors.slice(0, 3).join('; '),
        },
      );
    } finally {
      await stack.stop();
    }
  }
  return { result: { modelLatencyMs: 0, levels }, checks, notes };
}

async function runLevel(stack: LocalStack, concurrency: number, events: number, budget: Budget): Promise<{ deliveries: Delivery[]; truncated: boolean }> {
  const deliveries: Delivery[] = [];
  let issued = 0;
  let truncated = false;
  const sender = async (): Promise<void> => {
    while (issued < events) {
      if (budget.exceeded()) {
        truncated = true;
        return;
      }
      issued += 1;
      const sentAt = performance.now();
      try {
        const sent = await stack.slack.postUserMessage({ text: `burst question ${issued}` });
        deliveries.push({ status: sent.status, ackMs: sent.latencyMs, channel: sent.channel, threadTs: sent.threadTs });
      } catch {
        deliveries.push({ status: 0, ackMs: performance.now() - sentAt, channel: undefined, threadTs: undefined });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return { deliveries, truncated };
}

function toLevel(concurrency: number, planned: number, deliveries: readonly Delivery[], exactlyOneReply: number, truncated: boolean, stack: LocalStack): AckConcurrencyLevel {
  const notAcked: Record<string, number> = {};
  for (const d of deliveries) {
    if (d.status === 200) continue;
    const key = d.status === 0 ? 'failed' : String(d.status);
    notAcked[key] = (notAcked[key] ?? 0) + 1;
  }
  const samples = deliveries.map((d) => d.ackMs);
  const { verification, execution } = stack.functions;
  return {
    concurrency,
    planned,
    sent: deliveries.length,
    acked: deliveries.filter((d) => d.status === 200).length,
    notAcked,
    ackMs: samples.length > 0 ? { summary: summarize(samples), samples } : undefined,
    exactlyOneReply,
    truncated,
    verificationReservedConcurrency: verification.configuration.reservedConcurrency ?? null,
    executionReservedConcurrency: execution.configuration.reservedConcurrency ?? null,
    maxContainers: verification.configuration.maxContainers ?? DEFAULT_MAX_CONTAINERS,
  };
}
