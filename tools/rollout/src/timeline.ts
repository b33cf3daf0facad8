import type { GateResult } from './gates';
import type { HandoffCounts } from './metrics';
import { formatRate } from './plan';
import type { RolloutState } from './state';

/** How a timeline row ended (or stands). */
export type TimelineOutcome = 'passed' | 'baking' | 'held' | 'breach' | 'stopped' | 'rolling back' | 'rolled back';

/** The share of hand-offs the routing sent through the API, with the counts behind it. */
export interface ObservedShare {
  /** Hand-offs routed to the API first. */
  readonly api: number;
  /** All hand-offs (API + direct). */
  readonly total: number;
  /** `api / total`; undefined without hand-offs. */
  readonly share: number | undefined;
}

/** One stage's bake window, or the rollback, as `status` and `run` show it. */
export interface TimelineRow {
  /** When the bake started (or the rollback was decided), ISO. */
  readonly at: string;
  /** The stage (0-based), or undefined for the rollback row. */
  readonly stageIndex: number | undefined;
  /** Stages in the plan. */
  readonly stageCount: number;
  /** The stage's percentage (0 for the rollback row). */
  readonly percentage: number;
  /** What the stack's configuration sent through the API when the bake started; undefined when not recorded. */
  readonly deployedPercentage: number | undefined;
  /** What the hand-off metrics showed over the window; undefined when not recorded. */
  readonly observed: ObservedShare | undefined;
  /** The gates at the end of the window (or the latest poll). */
  readonly gates: readonly GateResult[];
  /** How the window ended. */
  readonly outcome: TimelineOutcome;
  /** Why the rollout was rolled back (rollback row only). */
  readonly reason?: string;
}

function observedShare(counts: HandoffCounts | undefined): ObservedShare | undefined {
  if (counts === undefined) return undefined;
  const total = counts.api + counts.direct;
  return { api: counts.api, total, share: total > 0 ? counts.api / total : undefined };
}

function liveOutcome(state: RolloutState): TimelineOutcome | undefined {
  switch (state.status) {
    case 'baking':
      return 'baking';
    case 'held':
      return 'held';
    case 'rolling_back':
    case 'rolled_back':
      // The stage that was live when the rollback was decided (a breach, or a `rollback` command).
      if (state.breach?.stageIndex !== state.stageIndex) return undefined;
      return state.breach.kind === 'gate' ? 'breach' : 'stopped';
    default:
      return undefined;
  }
}

/**
 * The timeline of a recorded run: a row per stage whose bake started (passed stages from `completedStages`, the live or
 * failed one from `lastGates`), then the rollback, if any. Older state files without the recorded shares give rows
 * whose deployed and observed shares are undefined.
 *
 * @param state - the recorded run
 * @returns the rows, oldest first
 */
export function buildTimeline(state: RolloutState): TimelineRow[] {
  const stageCount = state.plan.stages.length;
  const rows: TimelineRow[] = [...state.completedStages]
    .sort((a, b) => a.index - b.index)
    .map((record) => ({
      at: record.bakeStartedAt,
      stageIndex: record.index,
      stageCount,
      percentage: record.percentage,
      deployedPercentage: record.deployedPercentage,
      observed: observedShare(record.handoffs),
      gates: record.gates,
      outcome: 'passed',
    }));
  const outcome = liveOutcome(state);
  const passed = state.completedStages.some((record) => record.index === state.stageIndex);
  if (outcome !== undefined && !passed && state.bakeStartedAt !== undefined) {
    rows.push({
      at: state.bakeStartedAt,
      stageIndex: state.stageIndex,
      stageCount,
      percentage: state.plan.stages[state.stageIndex]?.percentage ?? 0,
      deployedPercentage: state.deployedPercentage,
      observed: observedShare(state.lastHandoffs),
      gates: state.lastGates ?? [],
      outcome,
    });
  }
  if (state.breach !== undefined && (state.status === 'rolling_back' || state.status === 'rolled_back')) {
    rows.push({
      at: state.breach.at,
      stageIndex: undefined,
      stageCount,
      percentage: 0,
      deployedPercentage: undefined,
      observed: undefined,
      gates: [],
      outcome: state.status === 'rolled_back' ? 'rolled back' : 'rolling back',
      reason: state.breach.message,
    });
  }
  return rows;
}

const MARK: Readonly<Record<GateResult['status'], string>> = { pass: '✓', fail: '✗', insufficient_data: '?' };
const GATE_COLUMNS = [
  ['auth_errors', 'auth 4XX'],
  ['api_5xx_rate', '5XX rate'],
  ['fallback_rate', 'fallback'],
  ['p95_ratio', 'p95 api/direct'],
] as const;

/** A gate's value against its limit with its verdict mark, e.g. `0.2% > 0.1% ✗`, `1.02× ≤ 1.05× ✓`, `n/a ?`. */
function gateCell(gate: GateResult | undefined): string {
  if (gate === undefined) return '-';
  if (gate.value === undefined) return `n/a ${MARK[gate.status]}`;
  const sign = gate.value > gate.threshold && gate.status !== 'pass' ? '>' : '≤';
  const show =
    gate.id === 'auth_errors'
      ? String
      : gate.id === 'p95_ratio'
        ? (value: number) => `${Number(value.toFixed(2))}×`
        : formatRate;
  return `${show(gate.value)} ${sign} ${show(gate.threshold)} ${MARK[gate.status]}`;
}

function timeOf(iso: string): string {
  return iso.slice(11, 19);
}

/**
 * Renders timeline rows as an aligned table, one line per row, under a header and above a legend. Times are UTC
 * (`HH:MM:SS`); shares are whole percents with the counts behind the observed one.
 *
 * @param rows - from {@link buildTimeline}
 * @returns the lines; none without rows
 */
export function formatTimeline(rows: readonly TimelineRow[]): string[] {
  if (rows.length === 0) return [];
  const header = ['time (UTC)', 'stage', 'deployed', 'observed API share', ...GATE_COLUMNS.map(([, label]) => label), 'result'];
  const cells = rows.map((row) => [
    timeOf(row.at),
    row.stageIndex === undefined ? 'rollback 0%' : `${row.stageIndex + 1}/${row.stageCount} ${row.percentage}%`,
    row.deployedPercentage === undefined ? '-' : `${row.deployedPercentage}%`,
    row.observed === undefined
      ? '-'
      : `${row.observed.share === undefined ? 'n/a' : `${Math.round(row.observed.share * 100)}%`} (${row.observed.api}/${row.observed.total})`,
    ...GATE_COLUMNS.map(([id]) => (row.stageIndex === undefined ? '' : gateCell(row.gates.find((gate) => gate.id === id)))),
    row.reason === undefined ? row.outcome : `${row.outcome}: ${row.reason}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)));
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [render(header), ...cells.map(render), '(observed: API-path hand-offs / all hand-offs; ✓ pass, ✗ fail, ? too few samples)'];
}
