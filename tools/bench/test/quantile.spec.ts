import { SampleError, median, quantile, quantileSorted, sortedCopy, summarize } from '../src/stats/quantile';

describe('quantile', () => {
  it('interpolates between closest ranks (type 7)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 10);
    expect(quantile([15, 20, 35, 40, 50], 0.4)).toBeCloseTo(29, 10);
  });

  it('gives the minimum at 0 and the maximum at 1, whatever the input order', () => {
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1)).toBe(3);
  });

  it('returns the only value of a one-element sample for every probability', () => {
    for (const p of [0, 0.25, 0.5, 0.99, 1]) expect(quantile([7], p)).toBe(7);
  });

  it('matches NumPy percentile (linear) on a skewed latency sample', () => {
    const sample = [12.1, 13.4, 11.9, 12.7, 55.2, 12.2, 13.0, 12.4, 14.8, 12.9];
    // numpy.percentile(sample, [50, 90, 95, 99]) = 12.8, 18.84, 37.02, 51.564
    expect(quantile(sample, 0.5)).toBeCloseTo(12.8, 10);
    expect(quantile(sample, 0.9)).toBeCloseTo(18.84, 10);
    expect(quantile(sample, 0.95)).toBeCloseTo(37.02, 10);
    expect(quantile(sample, 0.99)).toBeCloseTo(51.564, 10);
  });

  it('does not reorder its input', () => {
    const sample = [3, 1, 2];
    median(sample);
    expect(sample).toEqual([3, 1, 2]);
  });

  it('refuses an empty sample, a non-finite value and a probability outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(new SampleError('the sample is empty'));
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow('the sample holds a value that is not a finite number: NaN');
    expect(() => quantile([1, Number.POSITIVE_INFINITY], 0.5)).toThrow('not a finite number: Infinity');
    expect(() => quantile([1, 2], 1.5)).toThrow("a quantile's probability must be within [0, 1], got 1.5");
    expect(() => quantileSorted([1, 2], -0.1)).toThrow(SampleError);
  });

  it('sorts numerically, not as strings', () => {
    expect(sortedCopy([10, 9, 100, 1])).toEqual([1, 9, 10, 100]);
  });
});

describe('summarize', () => {
  it('reports n, min, quartiles, median, tail quantiles, max, mean and IQR', () => {
    const summary = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(summary).toEqual({
      n: 10,
      min: 1,
      p25: 3.25,
      median: 5.5,
      p75: 7.75,
      p90: 9.1,
      p95: expect.closeTo(9.55, 10),
      p99: expect.closeTo(9.91, 10),
      max: 10,
      mean: 5.5,
      iqr: 4.5,
    });
  });

  it('keeps an outlier out of the median and the IQR but not out of the max', () => {
    const summary = summarize([20, 21, 22, 23, 24, 25, 26, 27, 28, 2900]);
    expect(summary.median).toBe(24.5);
    expect(summary.iqr).toBe(4.5);
    expect(summary.max).toBe(2900);
  });
});
