import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { EMF_NAMESPACE, HANDOFF_PATH_DIMENSION, HandoffMetric } from '@slack-ai-app/logging';
import type { LocalStack } from '../../src';
import { credentialsOf, rawRequest, startTestStack } from '../support/stack';

/*
 * The local CloudWatch's metrics through the real CloudWatch client: API Gateway's own metrics from the local execution
 * API, and the hand-off metrics from the verification function's EMF lines.
 */

let stack: LocalStack;
let begin: Date;

beforeAll(async () => {
  begin = new Date();
  stack = await startTestStack();
  for (const text of ['one', 'two', 'three']) {
    const sent = await stack.slack.postUserMessage({ text });
    expect(sent.status).toBe(200);
  }
  // No Authorization header: API Gateway answers 403 Missing Authentication Token, a 4XXError.
  expect((await rawRequest(`${stack.urls.executionApiStage}/execute`, { method: 'POST', body: '{}' })).status).toBe(403);
  await stack.waitForIdle();
});

afterAll(async () => {
  await stack?.stop();
});

/** One `MetricStat` query per entry, read as one 10-minute period starting at the minute the test began. */
async function read(queries: MetricDataQuery[], principal: 'developer' | 'otherRole' = 'developer') {
  const client = new CloudWatchClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf(principal), maxAttempts: 1 });
  try {
    const start = new Date(Math.floor(begin.getTime() / 60_000) * 60_000);
    return await client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: new Date(start.getTime() + 600_000), ScanBy: 'TimestampAscending' }));
  } finally {
    client.destroy();
  }
}

function apiQuery(id: string, metricName: string, stat: string): MetricDataQuery {
  const api = stack.deployment.restApi;
  if (api === undefined) throw new Error('the template has no REST API');
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName, Dimensions: [{ Name: 'ApiName', Value: api.name }, { Name: 'Stage', Value: api.stageNames[0] as string }] },
      Period: 600,
      Stat: stat,
    },
  };
}

describe('GetMetricData on the local stack', () => {
  it("answers API Gateway's Count, 4XXError, 5XXError and Latency by ApiName and Stage", async () => {
    const output = await read([
      apiQuery('count', 'Count', 'Sum'),
      apiQuery('client', '4XXError', 'Sum'),
      apiQuery('rate', '4XXError', 'Average'),
      apiQuery('server', '5XXError', 'Sum'),
      apiQuery('latency', 'Latency', 'SampleCount'),
      apiQuery('integration', 'IntegrationLatency', 'SampleCount'),
    ]);
    const values = Object.fromEntries((output.MetricDataResults ?? []).map((r) => [r.Id, r.Values]));
    expect(values).toEqual({ count: [4], client: [1], rate: [0.25], server: [0], latency: [4], integration: [3] });
    expect(output.MetricDataResults?.map((r) => r.StatusCode)).toEqual(Array(6).fill('Complete'));
  });

  it("answers the verification function's EMF hand-off metrics by path, and nothing for the unused path", async () => {
    const handoff = (id: string, metricName: string, path: string, stat: string): MetricDataQuery => ({
      Id: id,
      MetricStat: { Metric: { Namespace: EMF_NAMESPACE, MetricName: metricName, Dimensions: [{ Name: HANDOFF_PATH_DIMENSION, Value: path }] }, Period: 600, Stat: stat },
    });
    const output = await read([
      handoff('api_success', HandoffMetric.Success, 'api', 'Sum'),
      handoff('api_latency_n', HandoffMetric.Latency, 'api', 'SampleCount'),
      handoff('direct_success', HandoffMetric.Success, 'direct', 'Sum'),
    ]);
    expect(output.MetricDataResults?.map((r) => [r.Id, r.Values, r.Timestamps?.length])).toEqual([
      ['api_success', [3], 1],
      ['api_latency_n', [3], 1],
      ['direct_success', [], 0],
    ]);
  });

  // The SDK reports the query error code InvalidParameterValue as its modeled InvalidParameterValueException shape.
  it('refuses a metric math expression with InvalidParameterValue naming the query', async () => {
    await expect(read([apiQuery('count', 'Count', 'Sum'), { Id: 'rate', Expression: 'count / 2' }])).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Query rate uses an Expression; the local stack answers MetricStat queries only (metric math and Metrics Insights are not emulated).',
    });
  });

  it('refuses a caller whose identity policy does not allow cloudwatch:GetMetricData', async () => {
    await expect(read([apiQuery('count', 'Count', 'Sum')], 'otherRole')).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
