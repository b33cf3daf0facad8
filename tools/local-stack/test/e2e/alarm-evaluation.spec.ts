import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { LocalStack } from '../../src';
import { alarmStateBecomes } from '../support/alarms';
import { credentialsOf, executionRequest, signedPost, startTestStack } from '../support/stack';

/*
 * The template's Api5xxAlarm (Sum of AWS/ApiGateway 5XXError >= 1 over 300 s, scaled here to 5 s) evaluated over the
 * local metrics: a 5XX from the execution API takes it to ALARM, seen through the real CloudWatch client, and its
 * action is delivered to the alarm topic through the topic and key policy checks.
 */

let stack: LocalStack;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  stack = await startTestStack({ alarmEvaluation: { periodScale: 1 / 60, intervalMs: 100 } });
  cloudwatch = new CloudWatchClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('developer'), maxAttempts: 1 });
});

afterAll(async () => {
  cloudwatch?.destroy();
  await stack?.stop();
});

/** Polls DescribeAlarms until the alarm is in the state. */
const stateBecomes = (name: string, value: string) => alarmStateBecomes(cloudwatch, name, value);

describe('alarm evaluation over the local metrics', () => {
  it('a 5XX from the execution API takes the Api5xx alarm from OK to ALARM and publishes to the alarm topic', async () => {
    const alarm = stack.deployment.alarms.find((a) => a.namespace === 'AWS/ApiGateway' && a.metricName === '5XXError');
    const topic = stack.deployment.topics.find((t) => t.arn === alarm?.alarmActions[0]);
    if (alarm === undefined || topic === undefined) throw new Error('the template has no 5XXError alarm with a topic action');
    // No data and TreatMissingData notBreaching: the first evaluation says OK.
    expect(await stateBecomes(alarm.name, 'OK')).toBe('OK');

    stack.faults.set('executeApi', { mode: 'status', status: 500, times: 1 });
    const response = await signedPost(stack.urls.executeApi, JSON.stringify(executionRequest({ event_id: 'EvALARM00001' })));
    expect(response.status).toBe(500);

    expect(await stateBecomes(alarm.name, 'ALARM')).toBe('ALARM');
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarm.name] }));
    expect(MetricAlarms?.[0]?.StateReason).toBe('Threshold Crossed: 1 out of the last 1 datapoints [1] were GreaterThanOrEqualToThreshold the threshold (1).');
    const { AlarmHistoryItems } = await cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: alarm.name, HistoryItemType: 'Action' }));
    expect(AlarmHistoryItems?.map((h) => h.HistorySummary)).toContain(`Successfully executed action ${topic.arn}`);
    // The first two notifications (a slow run may see the 5 s window pass and a later OK).
    expect(stack.alarms.published().filter((n) => n.alarmName === alarm.name).slice(0, 2).map((n) => [n.topicArn, n.newState])).toEqual([
      [topic.arn, 'OK'],
      [topic.arn, 'ALARM'],
    ]);
  });

  it("evaluates every alarm of the template, the metric-math fallback rate included (none is 'not evaluated')", async () => {
    const math = stack.deployment.alarms.find((a) => a.properties['Metrics'] !== undefined);
    if (math === undefined) throw new Error('the template has no metric-math alarm');
    // No fallback has happened, and it treats missing data as not breaching.
    expect(await stateBecomes(math.name, 'OK')).toBe('OK');
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({}));
    expect(MetricAlarms?.length).toBe(stack.deployment.alarms.length);
    expect((MetricAlarms ?? []).filter((a) => a.StateValue === 'INSUFFICIENT_DATA').map((a) => [a.AlarmName, a.StateReason])).toEqual([]);
  });
});
