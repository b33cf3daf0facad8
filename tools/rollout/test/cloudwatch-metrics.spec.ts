import { CloudWatchClient, GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { alignWindow, CloudWatchMetricsReader } from '../src/cloudwatch-metrics';
import { MetricsReadError } from '../src/errors';

const cloudWatch = mockClient(CloudWatchClient);

beforeEach(() => cloudWatch.reset());

function reader() {
  return new CloudWatchMetricsReader({ client: new CloudWatchClient({ region: 'eu-west-1' }), apiName: 'SlackBedrockStack-execution-api' });
}

const WINDOW = { start: new Date('2025-03-03T09:00:30.500Z'), end: new Date('2025-03-03T10:05:59.999Z') };

function results(values: Record<string, number[]>): MetricDataResult[] {
  return Object.entries(values).map(([id, points]) => ({
    Id: id,
    StatusCode: 'Complete',
    Values: points,
    Timestamps: points.map(() => new Date('2025-03-03T09:01:00Z')),
  }));
}

describe('alignWindow', () => {
  it('rounds the start up and the end down to whole minutes', () => {
    expect(alignWindow(WINDOW)).toEqual({ start: new Date('2025-03-03T09:01:00Z'), end: new Date('2025-03-03T10:05:00Z') });
  });

  it('never ends before it starts', () => {
    const window = { start: new Date('2025-03-03T09:00:10Z'), end: new Date('2025-03-03T09:00:50Z') };
    expect(alignWindow(window)).toEqual({ start: new Date('2025-03-03T09:01:00Z'), end: new Date('2025-03-03T09:01:00Z') });
  });
});

describe('CloudWatchMetricsReader', () => {
  it('reads the whole aligned window as one period, with the API by ApiName and Stage and hand-offs by path', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    await reader().read(WINDOW);

    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.StartTime).toEqual(new Date('2025-03-03T09:01:00Z'));
    expect(input?.EndTime).toEqual(new Date('2025-03-03T10:05:00Z'));
    const queries = input?.MetricDataQueries ?? [];
    expect(new Set(queries.map((query) => query.MetricStat?.Period))).toEqual(new Set([64 * 60]));
    expect(
      queries.map((query) => {
        const stat = query.MetricStat;
        const dimensions = (stat?.Metric?.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',');
        return `${query.Id} ${stat?.Metric?.Namespace} ${stat?.Metric?.MetricName} ${stat?.Stat} ${dimensions}`;
      }),
    ).toEqual([
      'apigw_count AWS/ApiGateway Count Sum ApiName=SlackBedrockStack-execution-api,Stage=prod',
      'apigw_4xx AWS/ApiGateway 4XXError Sum ApiName=SlackBedrockStack-execution-api,Stage=prod',
      'apigw_5xx AWS/ApiGateway 5XXError Sum ApiName=SlackBedrockStack-execution-api,Stage=prod',
      'apigw_latency_p95 AWS/ApiGateway Latency p95 ApiName=SlackBedrockStack-execution-api,Stage=prod',
      'apigw_integration_p95 AWS/ApiGateway IntegrationLatency p95 ApiName=SlackBedrockStack-execution-api,Stage=prod',
      'api_success SlackAiApp HandoffSuccess Sum path=api',
      'api_error SlackAiApp HandoffError Sum path=api',
      'api_failed SlackAiApp HandoffFailed Sum path=api',
      'api_latency_p95 SlackAiApp HandoffLatency p95 path=api',
      'api_latency_n SlackAiApp HandoffLatency SampleCount path=api',
      'direct_success SlackAiApp HandoffSuccess Sum path=direct',
      'direct_error SlackAiApp HandoffError Sum path=direct',
      'direct_failed SlackAiApp HandoffFailed Sum path=direct',
      'direct_latency_p95 SlackAiApp HandoffLatency p95 path=direct',
      'direct_latency_n SlackAiApp HandoffLatency SampleCount path=direct',
      'api_fallback SlackAiApp HandoffFallback Sum path=api',
      'api_auth_error SlackAiApp HandoffAuthError Sum path=api',
    ]);
  });

  it('maps the results into a snapshot, summing counts across pages and reading absent metrics as 0 or n/a', async () => {
    cloudWatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: results({ apigw_count: [1000], apigw_5xx: [1], api_success: [400], api_latency_p95: [210.5], api_latency_n: [400] }),
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: results({ apigw_count: [200], api_success: [98], api_error: [2], api_auth_error: [2], api_fallback: [1] }),
      });

    const snapshot = await reader().read(WINDOW);

    expect(cloudWatch.commandCalls(GetMetricDataCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(snapshot).toEqual({
      window: { start: new Date('2025-03-03T09:01:00Z'), end: new Date('2025-03-03T10:05:00Z') },
      api: { count: 1200, error4xx: 0, error5xx: 1, latencyP95Ms: undefined, integrationLatencyP95Ms: undefined },
      handoff: {
        api: { success: 498, error: 2, failed: 0, fallback: 1, authError: 2, latency: { p95Ms: 210.5, samples: 400 } },
        direct: { success: 0, error: 0, failed: 0, latency: { p95Ms: undefined, samples: 0 } },
      },
    });
  });

  it('takes the highest p95 if CloudWatch splits the window into more than one period', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: results({ direct_latency_p95: [180, 230], direct_latency_n: [50, 60] }) });
    const snapshot = await reader().read(WINDOW);
    expect(snapshot.handoff.direct.latency).toEqual({ p95Ms: 230, samples: 110 });
  });

  it('makes no call for a window shorter than a minute', async () => {
    const snapshot = await reader().read({ start: new Date('2025-03-03T09:00:10Z'), end: new Date('2025-03-03T09:00:50Z') });
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(snapshot.api.count).toBe(0);
  });

  it('throws MetricsReadError with the cause when CloudWatch fails', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDenied' });
    cloudWatch.on(GetMetricDataCommand).rejects(denied);
    const error = await reader().read(WINDOW).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MetricsReadError);
    expect((error as Error).message).toBe(
      'CloudWatch GetMetricData failed: AccessDenied: User is not authorized to perform: cloudwatch:GetMetricData',
    );
    expect((error as Error).cause).toBe(denied);
  });

  it('throws MetricsReadError when a query comes back Forbidden', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'apigw_count', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'no access' }] }],
    });
    await expect(reader().read(WINDOW)).rejects.toThrow('CloudWatch query apigw_count returned Forbidden: no access');
  });
});

describe('CloudWatchMetricsReader with a compressed metric period', () => {
  const compressed = (periodSeconds: number) =>
    new CloudWatchMetricsReader({ client: new CloudWatchClient({ region: 'eu-west-1' }), apiName: 'SlackBedrockStack-execution-api', periodSeconds });

  it('aligns to the period and reads a window that is not whole minutes in periods of that length', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: results({ apigw_count: [7, 5, 0, 9] }) });
    const snapshot = await compressed(10).read({ start: new Date('2025-03-03T09:00:01Z'), end: new Date('2025-03-03T09:00:55Z') });
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect([input?.StartTime, input?.EndTime]).toEqual([new Date('2025-03-03T09:00:10Z'), new Date('2025-03-03T09:00:50Z')]);
    expect(new Set(input?.MetricDataQueries?.map((query) => query.MetricStat?.Period))).toEqual(new Set([10]));
    expect(snapshot.api.count).toBe(21);
  });

  it('still reads a whole number of minutes as one period', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await compressed(10).read({ start: new Date('2025-03-03T09:00:10Z'), end: new Date('2025-03-03T09:02:10Z') });
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(new Set(input?.MetricDataQueries?.map((query) => query.MetricStat?.Period))).toEqual(new Set([120]));
  });

  it('refuses a period CloudWatch does not take', () => {
    expect(() => compressed(45)).toThrow(new RangeError('the metric period must be one of 1, 5, 10, 20, 30, 60 seconds, not 45'));
  });

  it('aligns windows to the period given', () => {
    expect(alignWindow({ start: new Date('2025-03-03T09:00:01Z'), end: new Date('2025-03-03T09:00:59Z') }, 20_000)).toEqual({
      start: new Date('2025-03-03T09:00:20Z'),
      end: new Date('2025-03-03T09:00:40Z'),
    });
  });
});
