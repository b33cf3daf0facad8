import type { Estimate } from '../stats/bootstrap';
import type { AckResult, ColdStartResult, EndToEndResult, Figure, GoalDirection, GoalResult, StreamingResult, Verdict } from './types';

/** A goal before it is measured. */
export interface GoalSpec {
  readonly id: string;
  readonly label: string;
  readonly direction: GoalDirection;
  readonly target: number;
  readonly unit: 'ratio' | 'ms';
  /**
   * Fewest samples per side for a verdict. A p95 of fewer than 40 samples rests on its one or two largest values, so a
   * ratio of two such p95s says more about two outliers than about the paths.
   */
  readonly minSamples?: number;
}

/** Samples per side below which a p95 is no more than its largest values (two samples above it at n = 40). */
export const MIN_SAMPLES_P95 = 40;

/** The migration's goals (issue 7). */
export const GOALS = {
  ackP95Ratio: { id: 'ack-p95-ratio', label: 'Ack p95, API / direct', direction: 'at_most', target: 1.05, unit: 'ratio', minSamples: MIN_SAMPLES_P95 },
  endToEndP95Ratio: {
    id: 'e2e-p95-ratio',
    label: 'End-to-end p95, API / direct',
    direction: 'at_most',
    target: 1.05,
    unit: 'ratio',
    minSamples: MIN_SAMPLES_P95,
  },
  coldStartRatio: {
    id: 'cold-start-ratio',
    label: 'Cold start, naive bundle / API path (load + first invocation, net medians)',
    direction: 'at_least',
    target: 3,
    unit: 'ratio',
  },
  ackDeadline: { id: 'ack-deadline', label: 'Slowest ack, ack and end-to-end phases (Slack waits 3 s)', direction: 'at_most', target: 3000, unit: 'ms' },
  streamFirstText: {
    id: 'stream-first-text',
    label: 'Streamed answer: Slack request to first visible text, median (TTFT 800 ms, 50 tokens/s, 400 tokens)',
    direction: 'at_most',
    target: 1100,
    unit: 'ms',
  },
  streamCompleteRatio: {
    id: 'stream-complete-ratio',
    label: 'Complete answer, streamed / posted, median (same workload)',
    direction: 'at_most',
    target: 1.05,
    unit: 'ratio',
  },
} as const satisfies Record<string, GoalSpec>;

/**
 * Decides a goal's verdict from an estimate and its interval. The interval's end that is worse for the goal decides
 * between `met` and `met_noisy`; with no interval, a satisfied estimate is `met`. Below the goal's `minSamples`, the
 * verdict is `too_few_samples` whatever the estimate.
 *
 * @param spec - the goal
 * @param estimate - the measured figure and its interval, or `undefined` when it was not measured
 * @param samples - the smallest group's sample count behind the estimate, for goals with `minSamples`
 * @returns the goal's result
 * @example
 * evaluateGoal(GOALS.ackP95Ratio, { estimate: 1.02, low: 0.97, high: 1.08 }, 150).verdict; // 'met_noisy'
 */
export function evaluateGoal(spec: GoalSpec, estimate: Pick<Estimate, 'estimate' | 'low' | 'high'> | undefined, samples?: number): GoalResult {
  const base = { id: spec.id, label: spec.label, direction: spec.direction, target: spec.target, unit: spec.unit, samples, minSamples: spec.minSamples };
  if (estimate === undefined || !Number.isFinite(estimate.estimate)) {
    return { ...base, estimate: undefined, low: undefined, high: undefined, verdict: 'not_measured' };
  }
  const satisfies = (value: number) => (spec.direction === 'at_most' ? value <= spec.target : value >= spec.target);
  const worst = spec.direction === 'at_most' ? estimate.high : estimate.low;
  let verdict: Verdict;
  if (spec.minSamples !== undefined && (samples === undefined || samples < spec.minSamples)) verdict = 'too_few_samples';
  else if (!satisfies(estimate.estimate)) verdict = 'missed';
  else if (worst !== undefined && !satisfies(worst)) verdict = 'met_noisy';
  else verdict = 'met';
  return { ...base, estimate: estimate.estimate, low: estimate.low, high: estimate.high, verdict };
}

function smallerSample(comparison: { readonly api: Figure | undefined; readonly direct: Figure | undefined } | undefined): number | undefined {
  if (comparison?.api === undefined || comparison.direct === undefined) return undefined;
  return Math.min(comparison.api.summary.n, comparison.direct.summary.n);
}

/** The phases the goals are read from. */
export interface GoalInputs {
  readonly coldStart: ColdStartResult | undefined;
  readonly ack: AckResult | undefined;
  readonly endToEnd: EndToEndResult | undefined;
  readonly streaming?: StreamingResult | undefined;
}

/**
 * Evaluates every goal on a run's results.
 *
 * @param inputs - the cold-start, ack and end-to-end results (any may be missing)
 * @returns one result per goal, in the order of {@link GOALS}
 */
export function evaluateGoals(inputs: GoalInputs): GoalResult[] {
  const ackMaxima = [inputs.ack?.api?.summary.max, inputs.ack?.direct?.summary.max, inputs.endToEnd?.ackMs?.summary.max].filter(
    (value): value is number => value !== undefined,
  );
  return [
    evaluateGoal(GOALS.ackP95Ratio, inputs.ack?.ratios.p95, smallerSample(inputs.ack)),
    evaluateGoal(GOALS.endToEndP95Ratio, inputs.endToEnd?.ratios.p95, smallerSample(inputs.endToEnd)),
    evaluateGoal(GOALS.coldStartRatio, inputs.coldStart?.ratios.naiveOverApiTotal),
    evaluateGoal(GOALS.ackDeadline, ackMaxima.length === 0 ? undefined : { estimate: Math.max(...ackMaxima), low: undefined, high: undefined }),
    evaluateGoal(GOALS.streamFirstText, inputs.streaming?.firstTextP50),
    evaluateGoal(GOALS.streamCompleteRatio, inputs.streaming?.ratios.completeP50),
  ];
}
