import { HANDOFF_PATH_DIMENSION, HandoffMetric, type HandoffPath } from './handoff-metrics';

/**
 * The one definition of "the API path's fallback rate": `HandoffFallback` over the API-path hand-off attempts
 * (`HandoffSuccess + HandoffError + HandoffFailed`: each API-path attempt emits exactly one of the three), all EMF
 * metrics of namespace `SlackAiApp` with dimension `path` = `api`. The alarm (`apps/infra`, metric math over
 * {@link FALLBACK_RATE.expression}) and the rollout gate (`tools/rollout`, {@link fallbackRateOf}) compute it the same way.
 */
export const FALLBACK_RATE = {
  /** The `path` dimension value every term is read with. */
  path: 'api' satisfies HandoffPath,
  /** The dimension name. */
  dimension: HANDOFF_PATH_DIMENSION,
  /** The numerator's metric, by the metric-math id the expression uses. */
  numerator: { fallbacks: HandoffMetric.Fallback },
  /** The denominator's metrics, by the metric-math ids the expression uses (their sum). */
  denominator: { successes: HandoffMetric.Success, errors: HandoffMetric.Error, failures: HandoffMetric.Failed },
  /**
   * The CloudWatch metric-math expression of the rate in percent (ids as above; a period without attempts is 0 %).
   * Functions: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
   */
  expression:
    'IF(FILL(successes, 0) + FILL(errors, 0) + FILL(failures, 0) > 0, ' +
    '100 * FILL(fallbacks, 0) / (FILL(successes, 0) + FILL(errors, 0) + FILL(failures, 0)), 0)',
} as const;

/**
 * The alarm's threshold, in percent over 5 minutes: above it someone is paged. With the fallback enabled users still get
 * answers, so single transient failures must not wake anyone; 1 event in 20 falling back for 5 minutes means the API
 * path is broken for a real share of traffic (signing, resource policy, throttling or an outage), which needs a person
 * to hold or roll back the rollout.
 */
export const FALLBACK_RATE_ALARM_PERCENT = 5;

/**
 * The rollout gate's threshold, as a fraction of API-path hand-offs in a stage's bake: above it the stage stops (rollback).
 * A stage advances only on evidence that the new path is as good as the old one, which never falls back; 1 in 1000
 * tolerates a stray network timeout and nothing systematic. Much stricter than the alarm, which is about paging people.
 */
export const FALLBACK_RATE_GATE_FRACTION = 0.001;

/** The counts the rate is computed from (sums over one window). */
export interface FallbackRateCounts {
  /** `HandoffFallback`, path `api`. */
  readonly fallbacks: number;
  /** `HandoffSuccess`, path `api`. */
  readonly successes: number;
  /** `HandoffError`, path `api`. */
  readonly errors: number;
  /** `HandoffFailed`, path `api`. */
  readonly failures: number;
}

/**
 * The fallback rate as a fraction, the same quantity as {@link FALLBACK_RATE.expression} divided by 100.
 *
 * @param counts - the window's sums
 * @returns the rate and its denominator; `rate` is undefined without attempts
 */
export function fallbackRateOf(counts: FallbackRateCounts): { readonly rate: number | undefined; readonly attempts: number } {
  const attempts = counts.successes + counts.errors + counts.failures;
  return { rate: attempts > 0 ? counts.fallbacks / attempts : undefined, attempts };
}
