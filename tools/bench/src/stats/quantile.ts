/**
 * Order statistics of a sample: quantiles by linear interpolation between closest ranks (Hyndman & Fan type 7, the
 * default of R, NumPy and Excel's PERCENTILE.INC), and the summary every benchmark figure is reported with.
 */

/** Thrown when a statistic is asked of an empty or non-finite sample, or for a probability outside [0, 1]. */
export class SampleError extends Error {
  override readonly name = 'SampleError';
}

/**
 * Sorts a copy of a sample in ascending numeric order, rejecting values that are not finite numbers.
 *
 * @param sample - the measurements
 * @returns a new ascending array
 * @throws {@link SampleError} when the sample is empty or holds `NaN` or an infinity
 */
export function sortedCopy(sample: readonly number[]): number[] {
  if (sample.length === 0) throw new SampleError('the sample is empty');
  for (const value of sample) {
    if (!Number.isFinite(value)) throw new SampleError(`the sample holds a value that is not a finite number: ${value}`);
  }
  return [...sample].sort((a, b) => a - b);
}

/**
 * The `p`-quantile of an already sorted sample: `x[h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])` with `h = (n − 1)·p`.
 * `p = 0` gives the minimum, `p = 1` the maximum, `p = 0.5` the median.
 *
 * @param sorted - ascending, finite, non-empty (not checked: use {@link quantile} for unchecked input)
 * @param p - the probability, 0 to 1
 * @returns the interpolated quantile
 * @throws {@link SampleError} when `p` is outside [0, 1] or the sample is empty
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new SampleError(`a quantile's probability must be within [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) throw new SampleError('the sample is empty');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  if (lo + 1 >= n) return below;
  const above = sorted[lo + 1] as number;
  return below + (h - lo) * (above - below);
}

/**
 * The `p`-quantile of a sample in any order.
 *
 * @param sample - finite measurements
 * @param p - the probability, 0 to 1
 * @example
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * @throws {@link SampleError} on an empty or non-finite sample, or `p` outside [0, 1]
 */
export function quantile(sample: readonly number[], p: number): number {
  return quantileSorted(sortedCopy(sample), p);
}

/**
 * The median of a sample (the 0.5-quantile).
 *
 * @param sample - finite measurements
 * @throws {@link SampleError} on an empty or non-finite sample
 */
export function median(sample: readonly number[]): number {
  return quantile(sample, 0.5);
}

/** How every benchmark figure is reported: its centre, its tail, and its spread. */
export interface Summary {
  /** Number of measurements. */
  readonly n: number;
  readonly min: number;
  /** First quartile (0.25-quantile). */
  readonly p25: number;
  /** The median (0.5-quantile). */
  readonly median: number;
  /** Third quartile (0.75-quantile). */
  readonly p75: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Interquartile range, `p75 − p25`: the spread of the middle half, insensitive to outliers. */
  readonly iqr: number;
}

/**
 * Summarises a sample: min, quartiles, median, p90, p95, p99, max, mean and IQR (type 7 quantiles). With few
 * measurements the high quantiles are interpolated between the largest ones; read them together with `n`.
 *
 * @param sample - finite measurements
 * @returns the summary
 * @throws {@link SampleError} on an empty or non-finite sample
 */
export function summarize(sample: readonly number[]): Summary {
  const sorted = sortedCopy(sample);
  const at = (p: number) => quantileSorted(sorted, p);
  const p25 = at(0.25);
  const p75 = at(0.75);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    n: sorted.length,
    min: sorted[0] as number,
    p25,
    median: at(0.5),
    p75,
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1] as number,
    mean: sum / sorted.length,
    iqr: p75 - p25,
  };
}
