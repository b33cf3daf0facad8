import Ajv from 'ajv';
import { EMF_NAMESPACE, LogEvent, MetricValidationError, REDACTED } from '../src';
import { capture } from './support/capture';
import { pinClockAndUnsetLogLevel } from './support/environment';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0, 250);
const NOW_ISO = '2025-06-01T12:00:00.250Z';

/**
 * The rules of the CloudWatch Embedded Metric Format specification (root `_aws` with an integer `Timestamp` and
 * `CloudWatchMetrics` directives; a directive has `Namespace`, `Dimensions` (at least one set of at most 30 keys) and at
 * most 100 `Metrics` with `Name` and a CloudWatch `Unit`), written as a JSON Schema for this test.
 */
const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          items: {
            type: 'object',
            required: ['Namespace', 'Dimensions', 'Metrics'],
            properties: {
              Namespace: { type: 'string', minLength: 1, maxLength: 1024 },
              Dimensions: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'array',
                  maxItems: 30,
                  items: { type: 'string', minLength: 1, maxLength: 250 },
                },
              },
              Metrics: {
                type: 'array',
                maxItems: 100,
                items: {
                  type: 'object',
                  required: ['Name'],
                  properties: {
                    Name: { type: 'string', minLength: 1, maxLength: 1024 },
                    Unit: { enum: ['Milliseconds', 'Count', 'Seconds', 'Microseconds', 'Percent', 'None'] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const validateEmfSchema = new Ajv({ allErrors: true }).compile(EMF_SCHEMA);

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: Array<{ Name: string; Unit?: string }>;
}

/** Checks a parsed line against the EMF rules, including that every target is a top-level member of the right type. */
function expectValidEmf(line: Record<string, unknown>): void {
  expect(validateEmfSchema(line) ? [] : validateEmfSchema.errors).toEqual([]);
  const metadata = line['_aws'] as { CloudWatchMetrics: Directive[] };
  for (const directive of metadata.CloudWatchMetrics) {
    for (const set of directive.Dimensions) for (const key of set) expect(typeof line[key]).toBe('string');
    for (const metric of directive.Metrics) expect(typeof line[metric.Name]).toBe('number');
  }
}

pinClockAndUnsetLogLevel(NOW);

describe('AppLogger.metric', () => {
  it('writes an Embedded Metric Format line with metric and dimension values at the top level', () => {
    const out = capture({ base: { service: 'verification' } });
    out.logger
      .forInvocation({ awsRequestId: 'req-1', functionName: 'verify' }, 'corr-1')
      .metric(
        LogEvent.ExecutionApiInvocationSuccess,
        [
          { name: 'execution_api_latency_ms', value: 87, unit: 'Milliseconds' },
          { name: 'execution_api_success', value: 1, unit: 'Count' },
        ],
        { path: 'api_gateway', stage: 'prod' },
        { status: 202 },
      );

    expect(out.writes[0]).toBe(
      JSON.stringify({
        level: 'info',
        time: NOW_ISO,
        service: 'verification',
        aws_request_id: 'req-1',
        function_name: 'verify',
        correlation_id: 'corr-1',
        path: 'api_gateway',
        stage: 'prod',
        execution_api_latency_ms: 87,
        execution_api_success: 1,
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [
            {
              Namespace: 'SlackAiApp',
              Dimensions: [['path', 'stage']],
              Metrics: [
                { Name: 'execution_api_latency_ms', Unit: 'Milliseconds' },
                { Name: 'execution_api_success', Unit: 'Count' },
              ],
            },
          ],
        },
        status: 202,
        event: 'execution_api_invocation_success',
      }) + '\n',
    );
    expectValidEmf(out.only());
  });

  it('uses the SlackAiApp namespace', () => {
    expect(EMF_NAMESPACE).toBe('SlackAiApp');
  });

  it('writes an empty dimension set when there are no dimensions', () => {
    const out = capture();
    out.logger.metric(LogEvent.HandoffCompleted, [{ name: 'handoffs', value: 1, unit: 'Count' }], {});

    const line = out.only();
    expect(line['_aws']).toEqual({
      Timestamp: NOW,
      CloudWatchMetrics: [{ Namespace: 'SlackAiApp', Dimensions: [[]], Metrics: [{ Name: 'handoffs', Unit: 'Count' }] }],
    });
    expectValidEmf(line);
  });

  it('gives the line the same time as the metric timestamp', () => {
    const out = capture();
    const now = jest.spyOn(Date, 'now');
    now.mockReturnValueOnce(1_700_000_000_123).mockReturnValue(1_700_000_999_999);
    out.logger.metric(LogEvent.HandoffCompleted, [{ name: 'handoffs', value: 1, unit: 'Count' }], {});
    out.logger.event(LogEvent.HandoffCompleted);

    const [metricLine, eventLine] = out.lines();
    expect(metricLine['time']).toBe(new Date(1_700_000_000_123).toISOString());
    expect((metricLine['_aws'] as { Timestamp: number }).Timestamp).toBe(1_700_000_000_123);
    expect(eventLine['time']).toBe(new Date(1_700_000_999_999).toISOString());
  });

  it('is written even when LOG_LEVEL hides info lines', () => {
    process.env['LOG_LEVEL'] = 'error';
    const out = capture();
    out.logger.event(LogEvent.HandoffCompleted);
    out.logger.metric(LogEvent.HandoffCompleted, [{ name: 'handoffs', value: 1, unit: 'Count' }], {});

    expect(out.only()).toMatchObject({ level: 'info', handoffs: 1, event: 'handoff_completed' });
  });

  it('is not written when the logger is silent', () => {
    const out = capture({ level: 'silent' });
    out.logger.metric(LogEvent.HandoffCompleted, [{ name: 'handoffs', value: 1, unit: 'Count' }], {});

    expect(out.writes).toEqual([]);
  });

  it('redacts and summarises the extra data', () => {
    const out = capture();
    out.logger.metric(LogEvent.HandoffCompleted, [{ name: 'handoffs', value: 1, unit: 'Count' }], {}, {
      text: 'user words',
      headers: { Authorization: 'AWS4-HMAC-SHA256 Signature=abc' },
      note: 'xoxb-1-abc',
    });

    expect(out.only()).toMatchObject({ text_length: 10, headers: { Authorization: REDACTED }, note: REDACTED });
    expect(out.text()).not.toContain('Signature=abc');
  });

  it('renames data keys that collide with a metric, a dimension or _aws', () => {
    const out = capture();
    out.logger.metric(LogEvent.HandoffCompleted, [{ name: 'handoffs', value: 1, unit: 'Count' }], { path: 'direct' }, {
      handoffs: 'data',
      path: 'data',
      _aws: 'data',
    });

    const line = out.only();
    expect(line).toMatchObject({ handoffs: 1, path: 'direct', data_handoffs: 'data', data_path: 'data', data__aws: 'data' });
    expectValidEmf(line);
  });

  it('masks a dimension value that holds a token or sits under a secret name', () => {
    const out = capture();
    out.logger.metric(LogEvent.HandoffCompleted, [{ name: 'handoffs', value: 1, unit: 'Count' }], {
      route: 'xoxb-1-abc',
      api_token: 'plain',
    });

    const line = out.only();
    expect(line).toMatchObject({ route: REDACTED, api_token: REDACTED });
    expectValidEmf(line);
  });

  it('accepts a dimension already bound with the same value and writes it once', () => {
    const out = capture();
    out.logger
      .child({ path: 'api_gateway' })
      .metric(LogEvent.HandoffCompleted, [{ name: 'handoffs', value: 1, unit: 'Count' }], { path: 'api_gateway' });

    expect(out.writes[0].split('"path":')).toHaveLength(2);
    expect(out.only()).toMatchObject({ path: 'api_gateway' });
    expectValidEmf(out.only());
  });

  it('writes the limits of the specification: 100 metrics and 30 dimensions', () => {
    const out = capture();
    const metrics = Array.from({ length: 100 }, (_, i) => ({ name: `m${i}`, value: i, unit: 'Count' as const }));
    const dimensions = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i}`, `v${i}`]));
    out.logger.metric(LogEvent.HandoffCompleted, metrics, dimensions);

    expectValidEmf(out.only());
  });
});

describe('AppLogger.metric validation', () => {
  const one = [{ name: 'handoffs', value: 1, unit: 'Count' as const }];

  it.each([
    ['no metrics', [], {}, 'at least one metric is required'],
    ['101 metrics', Array.from({ length: 101 }, (_, i) => ({ name: `m${i}`, value: 1, unit: 'Count' })), {}, 'at most 100 metrics are allowed, got 101'],
    ['a NaN value', [{ name: 'lat', value: Number.NaN, unit: 'Milliseconds' }], {}, 'metric "lat" value must be a finite number'],
    ['an infinite value', [{ name: 'lat', value: Number.POSITIVE_INFINITY, unit: 'Milliseconds' }], {}, 'metric "lat" value must be a finite number'],
    ['a string value', [{ name: 'lat', value: '5', unit: 'Milliseconds' }], {}, 'metric "lat" value must be a finite number'],
    ['an unknown unit', [{ name: 'lat', value: 5, unit: 'Hours' }], {}, 'metric "lat" unit must be one of Milliseconds, Count'],
    ['an empty name', [{ name: '', value: 5, unit: 'Count' }], {}, 'metric name must be a string of 1 to 255 characters'],
    ['a 256-character name', [{ name: 'n'.repeat(256), value: 5, unit: 'Count' }], {}, 'metric name must be a string of 1 to 255 characters'],
    ['a repeated name', [...one, ...one], {}, 'metric "handoffs" is given twice'],
    ['a metric named time', [{ name: 'time', value: 1, unit: 'Count' }], {}, 'metric "time" collides with a field already on the line'],
    ['a metric named level', [{ name: 'level', value: 1, unit: 'Count' }], {}, 'metric "level" collides with a field already on the line'],
    ['a metric named _aws', [{ name: '_aws', value: 1, unit: 'Count' }], {}, 'metric "_aws" collides with a field already on the line'],
    ['31 dimensions', one, Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 'v'])), 'at most 30 dimensions are allowed, got 31'],
    ['a dimension named like a metric', one, { handoffs: 'x' }, 'dimension "handoffs" has the same name as a metric'],
    ['a dimension named event', one, { event: 'x' }, 'dimension "event" collides with a field of the line'],
    ['an empty dimension value', one, { path: '' }, 'dimension "path" value must be 1 to 1024 printable ASCII characters, not only spaces'],
    ['a blank dimension value', one, { path: '   ' }, 'dimension "path" value must be 1 to 1024 printable ASCII characters, not only spaces'],
    ['a non-ASCII dimension value', one, { path: 'café' }, 'dimension "path" value must be 1 to 1024 printable ASCII characters, not only spaces'],
    ['a dimension value with a newline', one, { path: 'a\nb' }, 'dimension "path" value must be 1 to 1024 printable ASCII characters, not only spaces'],
    ['a 1025-character dimension value', one, { path: 'v'.repeat(1025) }, 'dimension "path" value must be 1 to 1024 printable ASCII characters, not only spaces'],
    ['a non-string dimension value', one, { path: 3 }, 'dimension "path" value must be 1 to 1024 printable ASCII characters, not only spaces'],
    ['a dimension name starting with a colon', one, { ':path': 'x' }, 'dimension name ":path" must be 1 to 250 printable ASCII characters, not starting with ":"'],
    ['an empty dimension name', one, { '': 'x' }, 'dimension name "" must be 1 to 250 printable ASCII characters, not starting with ":"'],
  ])('rejects %s with a MetricValidationError and writes nothing', (_case, metrics, dimensions, issue) => {
    const out = capture();
    let thrown: unknown;
    try {
      out.logger.metric(
        LogEvent.HandoffCompleted,
        metrics as Parameters<typeof out.logger.metric>[1],
        dimensions as Record<string, string>,
      );
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(MetricValidationError);
    expect((thrown as MetricValidationError).issues).toContain(issue);
    expect((thrown as MetricValidationError).message).toContain(`Invalid metric for event "handoff_completed": `);
    expect((thrown as MetricValidationError).name).toBe('MetricValidationError');
    expect(out.writes).toEqual([]);
  });

  it('lists every problem at once', () => {
    const out = capture();

    expect(() =>
      out.logger.metric(LogEvent.HandoffCompleted, [{ name: 'lat', value: Number.NaN, unit: 'Milliseconds' }], { path: '' }),
    ).toThrow(
      'Invalid metric for event "handoff_completed": metric "lat" value must be a finite number; ' +
        'dimension "path" value must be 1 to 1024 printable ASCII characters, not only spaces',
    );
  });

  it('rejects a metric named like a bound field', () => {
    const out = capture();

    expect(() => out.logger.forInvocation(undefined, 'c').metric(LogEvent.HandoffCompleted, [{ name: 'correlation_id', value: 1, unit: 'Count' }], {})).toThrow(
      'metric "correlation_id" collides with a field already on the line',
    );
  });

  it('rejects a dimension bound with a different value', () => {
    const out = capture();

    expect(() => out.logger.child({ path: 'direct' }).metric(LogEvent.HandoffCompleted, one, { path: 'api_gateway' })).toThrow(
      'dimension "path" collides with a bound field of a different value',
    );
  });

  it('never puts a dimension value in the error message', () => {
    const out = capture();
    let message = '';
    try {
      out.logger.metric(LogEvent.HandoffCompleted, one, { path: `xoxb-1-abc-${'é'}` });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('dimension "path" value must be');
    expect(message).not.toContain('xoxb');
  });
});
