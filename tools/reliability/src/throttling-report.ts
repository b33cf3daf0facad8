import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './collector';

/** One measured run of a throttled model. */
export interface ThrottlingRun {
  /** `BEDROCK_MAX_ATTEMPTS` of the execution function. */
  readonly maxAttempts: number;
  /** How many Converse calls were throttled before the model answered; `undefined`: every call. */
  readonly throttledCalls: number | undefined;
  /** `answer` or `throttled_message`. */
  readonly outcome: 'answer' | 'throttled_message';
  /** Converse calls the SDK made (429s plus the success). */
  readonly calls: number;
  /** The model call's duration, SDK retries and waits included (`duration_ms` of its log event). */
  readonly modelMs: number;
}

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The runs as a Markdown table, one row per setting and throttle length: outcome, calls, median and max model time.
 *
 * @param runs - the measured runs
 * @param when - the time of the run (for the header)
 * @returns the Markdown text
 */
export function formatThrottlingReport(runs: readonly ThrottlingRun[], when: Date): string {
  const groups = new Map<string, ThrottlingRun[]>();
  for (const run of runs) {
    const key = `${run.maxAttempts}|${run.throttledCalls ?? 'all'}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const rows = [...groups.values()].map((group) => {
    const first = group[0] as ThrottlingRun;
    const outcomes = [...new Set(group.map((run) => run.outcome))].join(', ');
    const calls = [...new Set(group.map((run) => run.calls))].join(', ');
    const times = group.map((run) => run.modelMs);
    return `| ${first.maxAttempts} | ${first.throttledCalls ?? 'every call'} | ${outcomes} | ${calls} | ${median(times)} | ${Math.max(...times)} | ${group.length} |`;
  });
  return [
    `# Bedrock throttling (run of ${when.toISOString()})`,
    '',
    'Local model answering 429 ThrottlingException for the first N Converse calls; standard retry mode.',
    '',
    '| BEDROCK_MAX_ATTEMPTS | throttled calls | outcome | Converse calls | model time median (ms) | max (ms) | runs |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/**
 * Writes the report to `tmp/reliability-throttling/latest.md` (git-ignored) and returns its path.
 *
 * @param markdown - the report
 */
export function writeThrottlingReport(markdown: string): string {
  const dir = join(WORKSPACE_ROOT, 'tmp', 'reliability-throttling');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'latest.md');
  writeFileSync(path, markdown);
  return path;
}
