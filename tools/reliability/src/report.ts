import type { Area, FigureRecord } from './collector';

/**
 * The suite's summary: one line per area with its counts (printed at the end of every run), and the same figures as
 * Markdown (`tools/reliability/results/latest.md`, quoted in the README).
 */

/** The areas in the order they are printed. */
export const AREAS: readonly Area[] = ['faults', 'load', 'hostile', 'secrets'];

/** The summed counts of one area. */
export type AreaTotals = Readonly<Record<string, number>>;

/** Sums the counts of every record of each area (a count missing from a record counts as 0). */
export function totalsByArea(records: readonly FigureRecord[]): Record<Area, AreaTotals> {
  const totals = Object.fromEntries(AREAS.map((area) => [area, {} as Record<string, number>])) as Record<Area, Record<string, number>>;
  for (const record of records) {
    const sums = totals[record.area];
    for (const [name, value] of Object.entries(record.counts)) sums[name] = (sums[name] ?? 0) + value;
  }
  return totals;
}

const n = (totals: AreaTotals, name: string): number => totals[name] ?? 0;

/** Per-target fault counts are recorded as `injected.<target>`. */
const INJECTED_PREFIX = 'injected.';

/**
 * One line per area, e.g.
 * `faults   18 scenarios, 18 survived; 96 faults injected (bedrock 9, dynamodb 6, …)`.
 *
 * @param records - every figure of the run
 * @returns the lines, in {@link AREAS} order; an area without figures says so
 */
export function summaryLines(records: readonly FigureRecord[]): string[] {
  const totals = totalsByArea(records);
  const label = (area: Area) => `[reliability] ${area.padEnd(8)}`;
  return AREAS.map((area) => {
    const t = totals[area];
    if (!records.some((r) => r.area === area)) return `${label(area)} no figures (its suite did not run)`;
    switch (area) {
      case 'faults': {
        const perTarget = Object.entries(t)
          .filter(([name, value]) => name.startsWith(INJECTED_PREFIX) && value > 0)
          .map(([name, value]) => `${name.slice(INJECTED_PREFIX.length)} ${value}`)
          .sort();
        return `${label(area)} ${n(t, 'scenarios')} scenarios, ${n(t, 'survived')} survived; ${n(t, 'injected')} faults injected${perTarget.length > 0 ? ` (${perTarget.join(', ')})` : ''}`;
      }
      case 'load':
        return (
          `${label(area)} ${n(t, 'runs')} runs: ${n(t, 'sent')} events sent, ${n(t, 'acked')} acked, ${n(t, 'replied')} replied; ` +
          `${n(t, 'duplicates')} duplicates, ${n(t, 'lost')} lost, ${n(t, 'wrong')} wrong replies; ${n(t, 'faultsInjected')} faults injected`
        );
      case 'hostile': {
        const perEndpoint = records
          .filter((r) => r.area === 'hostile')
          .reduce((acc, r) => acc.set(r.label, [(acc.get(r.label)?.[0] ?? 0) + (r.counts['tried'] ?? 0), (acc.get(r.label)?.[1] ?? 0) + (r.counts['rejected'] ?? 0)]), new Map<string, [number, number]>());
        const detail = [...perEndpoint].map(([endpoint, [tried, rejected]]) => `${endpoint} ${rejected}/${tried}`).join(', ');
        const refusedOtherwise = n(t, 'tried') - n(t, 'rejected') - n(t, 'ignored');
        return (
          `${label(area)} ${n(t, 'tried')} cases tried, ${n(t, 'rejected')} rejected with a 4xx (${detail}), ` +
          `${n(t, 'ignored')} acked and ignored (nothing handed off), ${refusedOtherwise} not refused (known gaps)`
        );
      }
      case 'secrets':
        return `${label(area)} ${n(t, 'scanned')} log lines scanned, ${n(t, 'found')} secrets found`;
    }
  });
}

/**
 * The figures as Markdown: the summary lines, then a table per area.
 *
 * @param records - every figure of the run
 * @param meta - when and how the run happened (shown under the title)
 */
export function summaryMarkdown(records: readonly FigureRecord[], meta: { readonly date: string; readonly durationSeconds: number; readonly heavy: boolean; readonly seed: string }): string {
  const rows = (area: Area, columns: readonly string[]) => {
    const lines = [`| ${['case', ...columns].join(' | ')} |`, `| ${['---', ...columns.map(() => '---:')].join(' | ')} |`];
    for (const r of records.filter((x) => x.area === area)) lines.push(`| ${r.label} | ${columns.map((c) => String(r.counts[c] ?? 0)).join(' | ')} |`);
    return lines.join('\n');
  };
  return [
    '# Reliability suite: latest figures',
    '',
    `Run ${meta.date}, ${meta.durationSeconds.toFixed(0)} s, ${meta.heavy ? 'heavy (RELIABILITY_HEAVY=1)' : 'default load'}, seed ${meta.seed}. Written by the suite; do not edit.`,
    '',
    '```',
    ...summaryLines(records),
    '```',
    '',
    '## Faults',
    '',
    rows('faults', ['injected', 'survived']),
    '',
    '## Load',
    '',
    rows('load', ['sent', 'acked', 'replied', 'duplicates', 'lost', 'wrong', 'faultsInjected', 'slackRetries', 'seconds']),
    '',
    '## Hostile input',
    '',
    rows('hostile', ['tried', 'rejected']),
    '',
    '## Secrets',
    '',
    rows('secrets', ['scanned', 'found']),
    '',
  ].join('\n');
}
