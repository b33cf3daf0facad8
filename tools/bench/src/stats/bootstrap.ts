import { type Random, randomIndex, seededRandom } from './random';
import { SampleError, quantileSorted, sortedCopy } from './quantile';

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of resamples. @default 2000 */
  readonly iterations?: number;
  /** Coverage of the interval, e.g. 0.95 for a 95 % interval. @default 0.95 */
  readonly confidence?: number;
  /** Seed of the resampling generator (same measurements and seed give the same interval). @default 1 */
  readonly seed?: number;
}

/** A point estimate with a percentile-bootstrap confidence interval. */
export interface Estimate {
  /** The statistic on the measurements themselves. */
  readonly estimate: number;
  /** Lower end of the interval; `undefined` when too few resamples gave a finite value. */
  readonly low: number | undefined;
  /** Upper end of the interval; `undefined` when too few resamples gave a finite value. */
  readonly high: number | undefined;
  readonly confidence: number;
  readonly iterations: number;
  /** Resamples whose statistic was not a finite number (e.g. a ratio over a resampled zero); they are left out. */
  readonly invalidResamples: number;
}

/** A statistic over one or more independent groups of measurements (each group is given sorted ascending). */
export type GroupStatistic = (sortedGroups: readonly (readonly number[])[]) => number;

/** Default number of resamples: enough for stable 2.5 % / 97.5 % percentiles at the sample sizes used here. */
export const DEFAULT_BOOTSTRAP_ITERATIONS = 2000;

/**
 * A percentile-bootstrap confidence interval for a statistic of independent groups (e.g. the ratio of two paths'
 * p95): each resample draws every group again, with replacement and at its own size, and recomputes the statistic;
 * the interval is the `(1 − confidence)/2` and `(1 + confidence)/2` quantiles of the resampled statistics.
 *
 * Deterministic for a given seed. An interval is reported only when at least 90 % of the resamples gave a finite value.
 *
 * @param groups - the measurements, one array per group, each non-empty and finite
 * @param statistic - computed on the groups, each sorted ascending
 * @param options - iterations, confidence, seed
 * @returns the estimate on the data and its interval
 * @throws {@link SampleError} when a group is empty or not finite, or the options are out of range
 * @example
 * const ratio = bootstrapInterval([api, direct], ([a, d]) => quantileSorted(a, 0.95) / quantileSorted(d, 0.95));
 */
export function bootstrapInterval(groups: readonly (readonly number[])[], statistic: GroupStatistic, options: BootstrapOptions = {}): Estimate {
  const iterations = options.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(iterations) || iterations < 1) throw new SampleError(`iterations must be a positive integer, got ${iterations}`);
  if (!(confidence > 0 && confidence < 1)) throw new SampleError(`confidence must be within (0, 1), got ${confidence}`);
  if (groups.length === 0) throw new SampleError('at least one group of measurements is needed');
  const sortedGroups = groups.map(sortedCopy);
  const estimate = statistic(sortedGroups);
  const random = seededRandom(options.seed ?? 1);
  const values: number[] = [];
  const buffers = sortedGroups.map((group) => new Array<number>(group.length));
  for (let i = 0; i < iterations; i += 1) {
    const resampled = sortedGroups.map((group, g) => resampleSorted(group, buffers[g] as number[], random));
    const value = statistic(resampled);
    if (Number.isFinite(value)) values.push(value);
  }
  const invalidResamples = iterations - values.length;
  if (values.length < 0.9 * iterations) {
    return { estimate, low: undefined, high: undefined, confidence, iterations, invalidResamples };
  }
  values.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return {
    estimate,
    low: quantileSorted(values, tail),
    high: quantileSorted(values, 1 - tail),
    confidence,
    iterations,
    invalidResamples,
  };
}

function resampleSorted(group: readonly number[], buffer: number[], random: Random): number[] {
  for (let i = 0; i < group.length; i += 1) buffer[i] = group[randomIndex(random, group.length)] as number;
  return buffer.sort((a, b) => a - b);
}

/**
 * The ratio of the same quantile of two independent samples, `q_p(numerator) / q_p(denominator)`, with a bootstrap
 * interval. Used for "API path / direct path" at p50, p95 and p99.
 *
 * @param numerator - e.g. the API path's latencies
 * @param denominator - e.g. the direct path's latencies
 * @param p - the quantile's probability, e.g. 0.95
 * @param options - bootstrap options
 * @throws {@link SampleError} on empty or non-finite samples
 */
export function quantileRatio(numerator: readonly number[], denominator: readonly number[], p: number, options: BootstrapOptions = {}): Estimate {
  return bootstrapInterval([numerator, denominator], ([a, b]) => quantileSorted(a as number[], p) / quantileSorted(b as number[], p), options);
}

/**
 * The ratio of two baseline-subtracted quantiles, `(q_p(numerator) − q_p(baseline)) / (q_p(denominator) − q_p(baseline))`,
 * with a bootstrap interval over all three samples. Used for cold starts, where each variant's time is measured above
 * that of an empty module in the same run.
 *
 * @param numerator - e.g. the naive bundle's cold starts
 * @param denominator - e.g. the API path's cold starts
 * @param baseline - the empty module's cold starts
 * @param p - the quantile's probability, e.g. 0.5
 * @param options - bootstrap options
 * @throws {@link SampleError} on empty or non-finite samples
 */
export function netQuantileRatio(
  numerator: readonly number[],
  denominator: readonly number[],
  baseline: readonly number[],
  p: number,
  options: BootstrapOptions = {},
): Estimate {
  return bootstrapInterval(
    [numerator, denominator, baseline],
    ([a, b, base]) => {
      const floor = quantileSorted(base as number[], p);
      const below = quantileSorted(b as number[], p) - floor;
      return below > 0 ? (quantileSorted(a as number[], p) - floor) / below : Number.NaN;
    },
    options,
  );
}

/**
 * A baseline-subtracted quantile, `q_p(sample) − q_p(baseline)`, with a bootstrap interval.
 *
 * @param sample - e.g. the API path's cold starts
 * @param baseline - the empty module's cold starts
 * @param p - the quantile's probability
 * @param options - bootstrap options
 */
export function netQuantile(sample: readonly number[], baseline: readonly number[], p: number, options: BootstrapOptions = {}): Estimate {
  return bootstrapInterval([sample, baseline], ([a, base]) => quantileSorted(a as number[], p) - quantileSorted(base as number[], p), options);
}
