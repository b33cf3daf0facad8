import type { DeployedQueue } from '../../src/assembly/deployment';
import { lambdaDatums } from '../../src/aws/lambda-metrics';
import { LocalQueue } from '../../src/aws/sqs';
import { sqsGaugeDatums, startQueueMetrics } from '../../src/aws/sqs-metrics';
import type { MetricDatum } from '../../src/aws/metric-store';
import type { InvocationTrace } from '../../src/trace';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const row = (d: MetricDatum) => [d.namespace, d.name, d.dimensions, d.value, d.timestamp.toISOString()];

const attempt = (overrides: Partial<InvocationTrace>): InvocationTrace => ({
  kind: 'invocation',
  seq: 0,
  at: T0,
  eventId: undefined,
  functionName: 'Stack-ExecutionFunction-ABC',
  source: 'execute_api',
  invocationType: 'Event',
  requestId: 'r-1',
  attempt: 1,
  containerId: 'c-1',
  coldStart: false,
  initDurationMs: undefined,
  queuedMs: 0,
  durationMs: 12.5,
  outcome: 'success',
  errorType: undefined,
  ...overrides,
});

describe('lambdaDatums', () => {
  const fn = { FunctionName: 'Stack-ExecutionFunction-ABC' };

  it('a successful attempt: Invocations 1, Errors 0, Duration', () => {
    expect(lambdaDatums(attempt({})).map(row)).toEqual([
      ['AWS/Lambda', 'Invocations', fn, 1, T0.toISOString()],
      ['AWS/Lambda', 'Errors', fn, 0, T0.toISOString()],
      ['AWS/Lambda', 'Duration', fn, 12.5, T0.toISOString()],
    ]);
  });

  it('a function error: Invocations 1, Errors 1, Duration; a failed init has no Duration', () => {
    expect(lambdaDatums(attempt({ outcome: 'error', errorType: 'Error', attempt: 3 })).map(row)).toEqual([
      ['AWS/Lambda', 'Invocations', fn, 1, T0.toISOString()],
      ['AWS/Lambda', 'Errors', fn, 1, T0.toISOString()],
      ['AWS/Lambda', 'Duration', fn, 12.5, T0.toISOString()],
    ]);
    expect(lambdaDatums(attempt({ outcome: 'error', containerId: undefined, durationMs: 0 })).map((d) => d.name)).toEqual(['Invocations', 'Errors']);
  });

  it('a throttled request: Throttles 1 and no invocation', () => {
    expect(lambdaDatums(attempt({ outcome: 'throttled', containerId: undefined, durationMs: 0 })).map(row)).toEqual([['AWS/Lambda', 'Throttles', fn, 1, T0.toISOString()]]);
  });
});

describe('SQS metrics', () => {
  const definition: DeployedQueue = {
    logicalId: 'DeadLetterQueue',
    name: 'Stack-DeadLetterQueue-XYZ',
    arn: 'arn:aws:sqs:us-east-1:000000000000:Stack-DeadLetterQueue-XYZ',
    url: 'https://sqs.us-east-1.amazonaws.com/000000000000/Stack-DeadLetterQueue-XYZ',
    policy: undefined,
    visibilityTimeoutSeconds: 30,
    kmsMasterKeyId: undefined,
  };
  const q = { QueueName: definition.name };

  it('samples the visible messages and the age of the oldest one', () => {
    let now = T0;
    const queue = new LocalQueue(definition, () => now);
    expect(sqsGaugeDatums(queue, T0).map(row)).toEqual([
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', q, 0, T0.toISOString()],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', q, 0, T0.toISOString()],
    ]);
    queue.send('a');
    now = new Date(T0.getTime() + 5_000);
    queue.send('b');
    queue.receive(1, 30);
    const later = new Date(T0.getTime() + 90_500);
    now = later;
    // "a" is visible again after its 30 s visibility timeout; "b" never was received.
    expect(sqsGaugeDatums(queue, later).map(row)).toEqual([
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', q, 2, later.toISOString()],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', q, 90, later.toISOString()],
    ]);
  });

  it('counts each message sent, and samples the gauges at start and on demand', () => {
    const queue = new LocalQueue(definition, () => T0);
    const put: MetricDatum[] = [];
    const feed = startQueueMetrics([queue], (datums) => put.push(...datums), () => T0);
    queue.send('a');
    feed.sampleNow();
    feed.stop();
    queue.send('b');
    expect(put.map((d) => [d.name, d.value])).toEqual([
      ['ApproximateNumberOfMessagesVisible', 0],
      ['ApproximateAgeOfOldestMessage', 0],
      ['NumberOfMessagesSent', 1],
      ['ApproximateNumberOfMessagesVisible', 1],
      ['ApproximateAgeOfOldestMessage', 0],
    ]);
  });
});
