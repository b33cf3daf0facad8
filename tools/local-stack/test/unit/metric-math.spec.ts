import { MetricMathError, evaluateExpression } from '../../src/aws/metric-math';

const FALLBACK_RATE = 'IF(attempts > 0, 100 * MAX([FILL(failures, 0), FILL(fallbacks, 0)]) / attempts, 0)';

describe('evaluateExpression', () => {
  it("computes the template's fallback rate per period, filling missing failures and fallbacks with 0", () => {
    const series = { attempts: [10, 0, 20, undefined], failures: [1, undefined, undefined, 3], fallbacks: [undefined, 0, 5, 1] };
    expect(evaluateExpression(FALLBACK_RATE, series, 4)).toEqual([10, 0, 25, undefined]);
  });

  it('applies precedence: * and / before +, comparisons last', () => {
    expect(evaluateExpression('1 + a * 2 > 6', { a: [2, 3] }, 2)).toEqual([0, 1]);
  });

  it('refuses what it does not know', () => {
    expect(() => evaluateExpression('ANOMALY_DETECTION_BAND(a)', { a: [1] }, 1)).toThrow(new MetricMathError('ANOMALY_DETECTION_BAND with 1 argument(s) is not evaluated locally'));
    expect(() => evaluateExpression('a + b', { a: [1] }, 1)).toThrow(new MetricMathError('b names no query of the alarm'));
    expect(() => evaluateExpression('a % 2', { a: [1] }, 1)).toThrow(new MetricMathError('unexpected text at 1 of a % 2'));
  });
});
