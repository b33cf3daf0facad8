import { rmSync } from 'node:fs';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { LocalStack } from '../../src';
import type { DeployedAlarm } from '../../src/assembly/deployment';
import { editedAssembly } from '../support/assembly';
import { alarmStateBecomes } from '../support/alarms';
import { credentialsOf, startTestStack } from '../support/stack';

/*
 * The metrics AWS itself publishes, emulated: AWS/Lambda from the local runtime, AWS/SQS from the local queues, and a
 * metric filter on the verification function's log group. Read through the real CloudWatch client, and driving the
 * template's alarms (found by logical-id prefix, evaluated with periods scaled by 1/60) to ALARM by behaviour.
 *
 * The assembly is the synthesized one plus one metric filter (a plain term on Lambda's START platform line), so that
 * the metric-filter path is proven whatever the template's own filters become.
 */

const FILTER_NAMESPACE = 'LocalStackTest';
const FILTER_METRIC = 'VerificationStarts';

let stack: LocalStack;
let assembly: string;
let cloudwatch: CloudWatchClient;
let begin: Date;

beforeAll(async () => {
  begin = new Date();
  assembly = editedAssembly((template) => {
    // The verification function is the one behind the Function URL.
    const url = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Url');
    const target = (url?.Properties?.['TargetFunctionArn'] as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
    const verification = target === undefined ? undefined : template.Resources[target];
    const logGroup = (verification?.Properties?.['LoggingConfig'] as { LogGroup?: unknown } | undefined)?.LogGroup;
    if (logGroup === undefined) throw new Error('the verification function has no LoggingConfig.LogGroup in the template');
    template.Resources['TestStartsFilter'] = {
      Type: 'AWS::Logs::MetricFilter',
      Properties: { LogGroupName: logGroup, FilterPattern: '"START RequestId"', MetricTransformations: [{ MetricNamespace: FILTER_NAMESPACE, MetricName: FILTER_METRIC, MetricValue: '1', Unit: 'Count' }] },
    };
  });
  stack = await startTestStack({ assembly, alarmEvaluation: { periodScale: 1 / 60, intervalMs: 100 } });
  cloudwatch = new CloudWatchClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('developer'), maxAttempts: 1 });
});

afterAll(async () => {
  cloudwatch?.destroy();
  await stack?.stop();
  if (assembly !== undefined) rmSync(assembly, { recursive: true, force: true });
});

function alarmByPrefix(prefix: string): DeployedAlarm {
  const alarm = stack.deployment.alarms.find((a) => a.logicalId.startsWith(prefix));
  if (alarm === undefined) throw new Error(`the template has no alarm ${prefix}*`);
  return alarm;
}

/** Polls DescribeAlarms until the alarm is in the state. */
const stateBecomes = (name: string, value: string) => alarmStateBecomes(cloudwatch, name, value);

/** The topics an alarm's ALARM notifications went to. */
function alarmNotifiedTopics(alarm: DeployedAlarm): string[] {
  return [...new Set(stack.alarms.published().filter((n) => n.alarmName === alarm.name && n.newState === 'ALARM').map((n) => n.topicArn))];
}

/** Each query's values summed, as one 10-minute period from the minute the spec began. */
async function read(queries: MetricDataQuery[]): Promise<Record<string, number[]>> {
  const start = new Date(Math.floor(begin.getTime() / 60_000) * 60_000);
  const { MetricDataResults } = await cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: new Date(start.getTime() + 600_000), ScanBy: 'TimestampAscending' }));
  return Object.fromEntries((MetricDataResults ?? []).map((r) => [r.Id as string, r.Values ?? []]));
}

const stat = (id: string, namespace: string, name: string, dimensions: Record<string, string>, statistic: string): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) }, Period: 600, Stat: statistic },
});

describe('a failing execution function: AWS/Lambda errors and the dead-letter queue', () => {
  const retries = () => stack.deployment.functions.find((f) => f.name === stack.functions.execution.name)?.eventInvokeConfig?.maximumRetryAttempts ?? 2;

  beforeAll(async () => {
    const errors = alarmByPrefix('MonitoringExecutionErrorsAlarm');
    const depth = alarmByPrefix('MonitoringDeadLetterQueueDepthAlarm');
    // No data yet, missing data not breaching: both start OK.
    expect([await stateBecomes(errors.name, 'OK'), await stateBecomes(depth.name, 'OK')]).toEqual(['OK', 'OK']);
    stack.faults.set('executionFunction', { mode: 'error', errorType: 'InjectedFailure', errorMessage: 'the execution handler failed' });
    try {
      const sent = await stack.slack.postUserMessage({ text: 'this one fails every attempt' });
      expect(sent.status).toBe(200);
      await stack.waitForIdle();
    } finally {
      stack.faults.clear();
    }
    expect(stack.deadLetters.list()).toHaveLength(1);
  });

  it('takes the ExecutionErrors alarm to ALARM (its actions, if any, delivered)', async () => {
    const alarm = alarmByPrefix('MonitoringExecutionErrorsAlarm');
    expect(await stateBecomes(alarm.name, 'ALARM')).toBe('ALARM');
    expect(alarmNotifiedTopics(alarm)).toEqual(alarm.alarmActions);
  });

  it('takes the DeadLetterQueueDepth alarm to ALARM and delivers its action to the alarm topic', async () => {
    const alarm = alarmByPrefix('MonitoringDeadLetterQueueDepthAlarm');
    expect(await stateBecomes(alarm.name, 'ALARM')).toBe('ALARM');
    expect(alarm.alarmActions.length).toBeGreaterThan(0);
    expect(alarmNotifiedTopics(alarm)).toEqual(alarm.alarmActions);
  });

  it('GetMetricData: AWS/Lambda counts each async attempt once (Invocations and Errors), with Duration', async () => {
    const fn = { FunctionName: stack.functions.execution.name };
    const values = await read([
      stat('invocations', 'AWS/Lambda', 'Invocations', fn, 'Sum'),
      stat('errors', 'AWS/Lambda', 'Errors', fn, 'Sum'),
      stat('durations', 'AWS/Lambda', 'Duration', fn, 'SampleCount'),
      stat('throttles', 'AWS/Lambda', 'Throttles', fn, 'Sum'),
    ]);
    const attempts = 1 + retries();
    expect(values).toEqual({ invocations: [attempts], errors: [attempts], durations: [attempts], throttles: [] });
  });

  it('GetMetricData: AWS/SQS sees the dead letter sent and visible', async () => {
    const queueArn = stack.deployment.functions.find((f) => f.name === stack.functions.execution.name)?.eventInvokeConfig?.onFailureDestination;
    const queue = stack.deployment.queues.find((q) => q.arn === queueArn);
    if (queue === undefined) throw new Error('the execution function has no queue destination');
    const values = await read([
      stat('sent', 'AWS/SQS', 'NumberOfMessagesSent', { QueueName: queue.name }, 'Sum'),
      stat('visible', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: queue.name }, 'Maximum'),
    ]);
    expect(values).toEqual({ sent: [1], visible: [1] });
  });
});

describe('execute-api faults: fallbacks and the metric filter', () => {
  it('forced fallbacks take the FallbackRate alarm to ALARM and deliver its action to the alarm topic', async () => {
    const alarm = alarmByPrefix('MonitoringFallbackRateAlarm');
    stack.faults.set('executeApi', { mode: 'status', status: 500, times: 2 });
    for (const text of ['fallback one', 'fallback two']) {
      const sent = await stack.slack.postUserMessage({ text });
      expect(sent.status).toBe(200);
    }
    await stack.waitForIdle();
    expect(stack.trace.entries().filter((e) => e.kind === 'lambda_api').length).toBe(2);
    expect(await stateBecomes(alarm.name, 'ALARM')).toBe('ALARM');
    expect(alarm.alarmActions.length).toBeGreaterThan(0);
    expect(alarmNotifiedTopics(alarm)).toEqual(alarm.alarmActions);
  });

  it('GetMetricData: the metric filter counts the START lines of the verification log group, one per invocation', async () => {
    const name = stack.functions.verification.name;
    const starts = stack.logs.entries({ functionName: name, stream: 'platform' }).filter((e) => e.line.startsWith('START RequestId')).length;
    expect(starts).toBeGreaterThan(0);
    const values = await read([stat('filtered', FILTER_NAMESPACE, FILTER_METRIC, {}, 'Sum'), stat('invocations', 'AWS/Lambda', 'Invocations', { FunctionName: name }, 'Sum')]);
    expect(values).toEqual({ filtered: [starts], invocations: [starts] });
  });
});
