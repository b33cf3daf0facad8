import { bootstrapInterval, netQuantile, netQuantileRatio, quantileRatio } from '../src/stats/bootstrap';
import { quantileSorted } from '../src/stats/quantile';
import { randomIndex, seededRandom, shuffled } from '../src/stats/random';

const series = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = series(5, () => a());
    expect(series(5, () => b())).toEqual(first);
    expect(series(5, () => c())).not.toEqual(first);
  });

  it('stays within [0, 1) and draws indexes within range', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 10_000; i += 1) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      expect(randomIndex(random, 3)).toBeLessThan(3);
    }
  });

  it('shuffles a copy, keeping every item', () => {
    const items = [1, 2, 3, 4, 5, 6];
    const result = shuffled(items, seededRandom(3));
    expect([...result].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('bootstrapInterval', () => {
  it('is deterministic for a seed', () => {
    const a = series(40, (i) => 10 + (i % 7));
    const b = series(40, (i) => 12 + (i % 5));
    const stat = ([x, y]: readonly (readonly number[])[]) => quantileSorted(x as number[], 0.5) / quantileSorted(y as number[], 0.5);
    expect(bootstrapInterval([a, b], stat, { seed: 9 })).toEqual(bootstrapInterval([a, b], stat, { seed: 9 }));
  });

  it('brackets the estimate, and collapses to it when every value is the same', () => {
    const result = quantileRatio(series(30, () => 5), series(30, () => 4), 0.95);
    expect(result).toMatchObject({ estimate: 1.25, low: 1.25, high: 1.25, invalidResamples: 0, iterations: 2000, confidence: 0.95 });
  });

  it('gives a wide interval for a tail quantile of a small noisy sample and a narrow one for a large quiet sample', () => {
    const random = seededRandom(5);
    const noisy = series(12, () => 100 + random() * 100);
    const quiet = series(400, () => 100 + random() * 2);
    const wide = quantileRatio(noisy, noisy, 0.95, { seed: 1 });
    const narrow = quantileRatio(quiet, quiet, 0.5, { seed: 1 });
    expect(wide.estimate).toBe(1);
    expect((wide.high as number) - (wide.low as number)).toBeGreaterThan(0.1);
    expect((narrow.high as number) - (narrow.low as number)).toBeLessThan(0.01);
    expect(narrow.low).toBeLessThanOrEqual(1);
    expect(narrow.high).toBeGreaterThanOrEqual(1);
  });

  it('detects a real difference: the interval of a 20 % slower sample excludes 1', () => {
    const random = seededRandom(11);
    const base = series(200, () => 50 + random() * 10);
    const slower = base.map((v) => v * 1.2);
    const ratio = quantileRatio(slower, base, 0.5, { seed: 2 });
    expect(ratio.estimate).toBeCloseTo(1.2, 10);
    expect(ratio.low).toBeGreaterThan(1.1);
    expect(ratio.high).toBeLessThan(1.3);
  });

  it('leaves out resamples whose statistic is not finite, and gives no interval when too many are', () => {
    const zeroHeavy = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const result = bootstrapInterval([zeroHeavy], ([x]) => 1 / quantileSorted(x as number[], 0.5), { seed: 3, iterations: 500 });
    expect(result.estimate).toBe(Number.POSITIVE_INFINITY);
    expect(result.invalidResamples).toBeGreaterThan(50);
    expect(result.low).toBeUndefined();
    expect(result.high).toBeUndefined();
  });

  it('refuses bad options and empty groups', () => {
    expect(() => bootstrapInterval([[1]], () => 1, { iterations: 0 })).toThrow('iterations must be a positive integer, got 0');
    expect(() => bootstrapInterval([[1]], () => 1, { confidence: 1 })).toThrow('confidence must be within (0, 1), got 1');
    expect(() => bootstrapInterval([], () => 1)).toThrow('at least one group of measurements is needed');
    expect(() => quantileRatio([], [1], 0.5)).toThrow('the sample is empty');
  });
});

describe('netQuantile and netQuantileRatio', () => {
  it('subtract the baseline quantile before dividing', () => {
    const baseline = series(20, () => 40);
    const api = series(20, () => 100);
    const naive = series(20, () => 340);
    expect(netQuantile(api, baseline, 0.5).estimate).toBe(60);
    expect(netQuantileRatio(naive, api, baseline, 0.5).estimate).toBe(5);
  });

  it('is not a number when the denominator is not above the baseline', () => {
    const baseline = series(10, () => 50);
    expect(netQuantileRatio(series(10, () => 80), series(10, () => 50), baseline, 0.5).estimate).toBeNaN();
  });
});
