import { MetricQueryError, MetricStore, apiGatewayDatums, emfDatums, statistic } from '../../src/aws/metric-store';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('statistic', () => {
  it('computes Sum, Average, SampleCount, Minimum, Maximum and nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum', 'p50', 'p95', 'p99.9'].map((s) => statistic(values, s))).toEqual([55, 5.5, 10, 1, 10, 5, 10, 10]);
  });

  it('refuses a statistic CloudWatch does not know', () => {
    expect(() => statistic([1], 'Median')).toThrow(new MetricQueryError('The statistic Median is not one of Sum, Average, SampleCount, Minimum, Maximum or pNN.'));
  });
});

describe('emfDatums', () => {
  it('reads every metric of every dimension set, timestamped by _aws.Timestamp', () => {
    const line = {
      _aws: { Timestamp: T0.getTime(), CloudWatchMetrics: [{ Namespace: 'SlackAiApp', Dimensions: [['path'], []], Metrics: [{ Name: 'HandoffSuccess', Unit: 'Count' }, { Name: 'HandoffLatency', Unit: 'Milliseconds' }] }] },
      path: 'api',
      HandoffSuccess: 1,
      HandoffLatency: [12, 30],
      msg: 'not a metric',
    };
    expect(emfDatums(line).map((d) => [d.name, d.dimensions, d.value, d.timestamp.toISOString()])).toEqual([
      ['HandoffSuccess', { path: 'api' }, 1, T0.toISOString()],
      ['HandoffLatency', { path: 'api' }, 12, T0.toISOString()],
      ['HandoffLatency', { path: 'api' }, 30, T0.toISOString()],
      ['HandoffSuccess', {}, 1, T0.toISOString()],
      ['HandoffLatency', {}, 12, T0.toISOString()],
      ['HandoffLatency', {}, 30, T0.toISOString()],
    ]);
  });

  it('gives nothing for a line that is not EMF', () => {
    expect(emfDatums({ level: 'info', msg: 'hello', HandoffSuccess: 1 })).toEqual([]);
  });
});

describe('MetricStore.query', () => {
  const store = new MetricStore();
  store.put(apiGatewayDatums({ apiName: 'api', stage: 'prod', status: 202, latencyMs: 10, integrationLatencyMs: 2, at: at(5) }));
  store.put(apiGatewayDatums({ apiName: 'api', stage: 'prod', status: 403, latencyMs: 4, integrationLatencyMs: undefined, at: at(65) }));
  store.put(apiGatewayDatums({ apiName: 'api', stage: 'prod', status: 502, latencyMs: 30, integrationLatencyMs: 20, at: at(70) }));
  store.put(apiGatewayDatums({ apiName: 'other', stage: 'prod', status: 500, latencyMs: 1, integrationLatencyMs: 1, at: at(70) }));
  const query = (metricName: string, stat: string, period = 60) => ({ id: 'q', namespace: 'AWS/ApiGateway', metricName, dimensions: { ApiName: 'api', Stage: 'prod' }, period, stat });

  it('answers one value per period with data, newest first by default, only for the exact dimension set', () => {
    const result = store.query(query('Count', 'Sum'), T0, at(180));
    expect([result.timestamps.map((t) => t.toISOString()), result.values]).toEqual([[at(60).toISOString(), T0.toISOString()], [2, 1]]);
  });

  it("gives 4XXError and 5XXError as 0/1 per request, so their Average is the period's error rate", () => {
    expect(store.query(query('5XXError', 'Average', 120), T0, at(180), 'TimestampAscending').values).toEqual([1 / 3]);
    expect(store.query(query('4XXError', 'Sum', 120), T0, at(180), 'TimestampAscending').values).toEqual([1]);
    expect(store.query(query('IntegrationLatency', 'SampleCount', 120), T0, at(180)).values).toEqual([2]);
  });

  it('leaves out data at or after the end (the end is exclusive)', () => {
    expect(store.query(query('Count', 'Sum'), T0, at(65)).values).toEqual([1]);
  });

  it('refuses a period CloudWatch would refuse', () => {
    expect(() => store.query(query('Count', 'Sum', 45), T0, at(180))).toThrow(new MetricQueryError('The Period of query q must be 1, 5, 10, 20, 30 or a multiple of 60 seconds, not 45.'));
  });
});
