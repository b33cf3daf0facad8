import { evaluateAlarm } from '../../src/aws/evaluate-alarm';
import { MetricStore, type MetricDatum } from '../../src/aws/metric-store';

/*
 * M-out-of-N evaluation and missing data, as "Using Amazon CloudWatch alarms" describes them
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html, "Evaluating an alarm" and
 * "Configuring how CloudWatch alarms treat missing data").
 */

const NOW = new Date('2026-01-01T00:15:00.000Z');
const DIMENSIONS = { ApiName: 'execution-api', Stage: 'prod' };

/** An alarm like the template's ApiLatencyP95Alarm: p95 Latency over 300 s periods, 2 out of 3 above 1000. */
const LATENCY = {
  Namespace: 'AWS/ApiGateway',
  MetricName: 'Latency',
  Dimensions: [
    { Name: 'ApiName', Value: 'execution-api' },
    { Name: 'Stage', Value: 'prod' },
  ],
  ExtendedStatistic: 'p95',
  Period: 300,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  Threshold: 1000,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'notBreaching',
};

/** Latency data points, one per value, `secondsAgo` before NOW (each period is [NOW-900, NOW-600), [-600, -300), [-300, 0)). */
function store(points: ReadonlyArray<readonly [secondsAgo: number, value: number]>): MetricStore {
  const metrics = new MetricStore();
  metrics.put(points.map(([ago, value]): MetricDatum => ({ namespace: 'AWS/ApiGateway', name: 'Latency', dimensions: DIMENSIONS, timestamp: new Date(NOW.getTime() - ago * 1000), value })));
  return metrics;
}

/**
 * The template's FallbackRateAlarm: a metric-math alarm over the hand-off EMF metrics of the API path (5-minute sums),
 * HandoffFallback over HandoffSuccess + HandoffError + HandoffFailed, above 5 %.
 */
const HANDOFF_TERMS = { fallbacks: 'HandoffFallback', successes: 'HandoffSuccess', errors: 'HandoffError', failures: 'HandoffFailed' };
const FALLBACK_RATE = {
  Metrics: [
    {
      Id: 'expr_1',
      Expression:
        'IF(FILL(successes, 0) + FILL(errors, 0) + FILL(failures, 0) > 0, 100 * FILL(fallbacks, 0) / (FILL(successes, 0) + FILL(errors, 0) + FILL(failures, 0)), 0)',
      ReturnData: true,
    },
    ...Object.entries(HANDOFF_TERMS).map(([id, name]) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: 'SlackAiApp', MetricName: name, Dimensions: [{ Name: 'path', Value: 'api' }] }, Period: 300, Stat: 'Sum' },
      ReturnData: false,
    })),
  ],
  EvaluationPeriods: 1,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'notBreaching',
};

describe('evaluateAlarm', () => {
  it('goes to ALARM when M of the N periods breach (2 of 3)', () => {
    expect(evaluateAlarm(LATENCY, store([[800, 1500], [500, 200], [100, 1200]]), NOW)).toEqual({
      evaluated: true,
      state: 'ALARM',
      reason: 'Threshold Crossed: 2 out of the last 3 datapoints [1500, 200, 1200] were GreaterThanThreshold the threshold (1000).',
    });
  });

  it('stays OK when fewer than M periods breach, and the threshold itself does not breach GreaterThanThreshold', () => {
    expect(evaluateAlarm(LATENCY, store([[800, 1500], [500, 1000], [100, 300]]), NOW)).toMatchObject({ evaluated: true, state: 'OK' });
  });

  it('uses the statistic of the alarm (p95 of a period, not its average)', () => {
    const points: Array<[number, number]> = [...Array.from({ length: 19 }, (): [number, number] => [100, 10]), [100, 5000], [500, 5000]];
    // Average of the last period is 259.5 (below), but nearest-rank p95 of its 20 values is 10: OK; Maximum would alarm.
    expect(evaluateAlarm(LATENCY, store(points), NOW)).toMatchObject({ state: 'OK' });
    expect(evaluateAlarm({ ...LATENCY, ExtendedStatistic: undefined, Statistic: 'Maximum' }, store(points), NOW)).toMatchObject({ state: 'ALARM' });
  });

  it('ignores data of other dimensions and data outside the N periods', () => {
    const metrics = store([[1000, 9000], [100, 9000]]);
    metrics.put([{ namespace: 'AWS/ApiGateway', name: 'Latency', dimensions: { ApiName: 'other', Stage: 'prod' }, timestamp: new Date(NOW.getTime() - 500_000), value: 9000 }]);
    expect(evaluateAlarm(LATENCY, metrics, NOW)).toMatchObject({ state: 'OK' });
  });

  it('treats missing data as the alarm says: notBreaching OK, breaching counts, missing INSUFFICIENT_DATA, ignore keeps the state', () => {
    const one = store([[100, 1500]]);
    const empty = store([]);
    expect(evaluateAlarm(LATENCY, one, NOW)).toMatchObject({ state: 'OK' });
    expect(evaluateAlarm({ ...LATENCY, TreatMissingData: 'breaching' }, one, NOW)).toMatchObject({ state: 'ALARM' });
    expect(evaluateAlarm({ ...LATENCY, TreatMissingData: 'missing' }, empty, NOW)).toEqual({ evaluated: true, state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: no datapoints in the last 3 periods.' });
    expect(evaluateAlarm({ ...LATENCY, TreatMissingData: undefined }, empty, NOW)).toMatchObject({ state: 'INSUFFICIENT_DATA' });
    expect(evaluateAlarm({ ...LATENCY, TreatMissingData: 'ignore' }, empty, NOW, 'ALARM')).toMatchObject({ state: 'ALARM' });
  });

  it('defaults DatapointsToAlarm to EvaluationPeriods (N of N)', () => {
    expect(evaluateAlarm({ ...LATENCY, DatapointsToAlarm: undefined }, store([[800, 1500], [500, 1500], [100, 200]]), NOW)).toMatchObject({ state: 'OK' });
    expect(evaluateAlarm({ ...LATENCY, DatapointsToAlarm: undefined }, store([[800, 1500], [500, 1500], [100, 1200]]), NOW)).toMatchObject({ state: 'ALARM' });
  });

  it('scales periods: 300 s times 1/60 is 5 s', () => {
    expect(evaluateAlarm(LATENCY, store([[12, 1500], [2, 1500]]), NOW, 'OK', 1 / 60)).toMatchObject({ state: 'ALARM' });
    expect(evaluateAlarm(LATENCY, store([[20, 1500], [2, 1500]]), NOW, 'OK', 1 / 60)).toMatchObject({ state: 'OK' });
  });

  it('reports what it cannot evaluate instead of answering OK', () => {
    expect(evaluateAlarm({ ...FALLBACK_RATE, Metrics: [{ Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(fallbacks)' }, ...FALLBACK_RATE.Metrics.slice(1)] }, store([]), NOW)).toEqual({
      evaluated: false,
      why: 'ANOMALY_DETECTION_BAND with 1 argument(s) is not evaluated locally',
    });
    expect(evaluateAlarm({ ...LATENCY, ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }, store([]), NOW)).toEqual({
      evaluated: false,
      why: 'the ComparisonOperator LessThanLowerOrGreaterThanUpperThreshold is not evaluated locally (anomaly detection bands are not)',
    });
    expect(evaluateAlarm({ ...LATENCY, Period: 45 }, store([]), NOW)).toEqual({ evaluated: false, why: 'The Period of query alarm must be 1, 5, 10, 20, 30 or a multiple of 60 seconds, not 45.' });
  });

  it("evaluates the template's metric-math fallback rate: 2 fallbacks of 20 API hand-offs is 10 % (ALARM), 1 of 20 is 5 % (OK)", () => {
    const emf = (name: string, count: number, path = 'api') =>
      Array.from({ length: count }, (): MetricDatum => ({ namespace: 'SlackAiApp', name, dimensions: { path }, timestamp: new Date(NOW.getTime() - 60_000), value: 1 }));
    const high = new MetricStore();
    // 20 API-path attempts (17 accepted, 1 refused, 2 unanswered), 2 of them fell back; direct-path traffic does not count.
    high.put([...emf('HandoffSuccess', 17), ...emf('HandoffError', 1), ...emf('HandoffFailed', 2), ...emf('HandoffFallback', 2), ...emf('HandoffSuccess', 50, 'direct')]);
    const low = new MetricStore();
    low.put([...emf('HandoffSuccess', 19), ...emf('HandoffFailed', 1), ...emf('HandoffFallback', 1)]);
    expect(evaluateAlarm(FALLBACK_RATE, high, NOW)).toEqual({ evaluated: true, state: 'ALARM', reason: 'Threshold Crossed: 1 out of the last 1 datapoints [10] were GreaterThanThreshold the threshold (5).' });
    expect(evaluateAlarm(FALLBACK_RATE, low, NOW)).toEqual({ evaluated: true, state: 'OK', reason: 'Threshold Crossed: 0 out of the last 1 datapoints [5] were GreaterThanThreshold the threshold (5); 1 are needed to alarm.' });
    expect(evaluateAlarm(FALLBACK_RATE, new MetricStore(), NOW)).toMatchObject({ state: 'OK' });
  });
});
