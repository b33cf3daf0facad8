import { FilterPatternError, compileFilterPattern, compileMetricFilter, metricFilterDatums, selectJson } from '../../src/aws/metric-filter';
import { planDeployment } from '../../src/assembly/deployment';
import { LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION } from '../../src/constants';
import { localSecretArn } from '../../src/aws/secrets-manager';
import { defaultAssembly } from '../support/assembly';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const json = (line: string) => JSON.parse(line) as Record<string, unknown>;
/** Whether the pattern matches the line, as a metric filter sees it (the JSON object when the line is one). */
const matches = (pattern: string, line: string) => compileFilterPattern(pattern)(line, line.startsWith('{') ? json(line) : undefined);

describe('compileFilterPattern: JSON patterns', () => {
  const line = '{"event":"fallback_to_direct_invoke","level":"warn","latencyMs":250,"http":{"status":503},"tags":["a","b"]}';

  it.each([
    ['{ $.event = "fallback_to_direct_invoke" }', true],
    ['{ $.event = "execution_api_invocation_started" }', false],
    ['{ $.event != "execution_api_invocation_started" }', true],
    ['{ $.event = "fallback_*" }', true],
    ['{ $.event = "*_invoke" }', true],
    ['{ $.event = "fallback" }', false],
    ['{ $.latencyMs > 200 }', true],
    ['{ $.latencyMs >= 250 }', true],
    ['{ $.latencyMs < 250 }', false],
    ['{ $.latencyMs <= 250 }', true],
    ['{ $.latencyMs = 250 }', true],
    ['{ $.latencyMs != 250 }', false],
    ['{ $.http.status = 503 }', true],
    ['{ $.tags[1] = "b" }', true],
    ['{ $.event = "fallback_to_direct_invoke" && $.level = "warn" }', true],
    ['{ $.event = "fallback_to_direct_invoke" && $.level = "error" }', false],
    ['{ $.level = "error" || $.latencyMs > 100 }', true],
    ['{ ($.level = "error" || $.level = "warn") && $.http.status >= 500 }', true],
    ['{ ($.level = "error" || $.level = "info") && $.http.status >= 500 }', false],
    ['{ $.missing = "x" }', false],
    ['{ $.missing != "x" }', false],
    ['{ $.event > 1 }', false],
  ])('%s → %s', (pattern, expected) => {
    expect(matches(pattern, line)).toBe(expected);
  });

  it('never matches a line that is not JSON', () => {
    expect(matches('{ $.event = "*" }', 'START RequestId: 1 Version: $LATEST')).toBe(false);
  });
});

describe('compileFilterPattern: terms', () => {
  it.each([
    ['', 'anything', true],
    ['ERROR', 'a ERROR line', true],
    ['ERROR', 'an error line', false],
    ['ERROR Invoke', 'ERROR Invoke Error', true],
    ['ERROR Timeout', 'ERROR Invoke Error', false],
    ['"Invoke Error"', '2026 ERROR Invoke Error {}', true],
    ['ERROR -Timeout', 'ERROR Invoke Error', true],
    ['ERROR -Invoke', 'ERROR Invoke Error', false],
    ['?WARN ?ERROR', 'ERROR here', true],
    ['?WARN ?FATAL', 'ERROR here', false],
  ])('%j on %j → %s', (pattern, line, expected) => {
    expect(matches(pattern, line)).toBe(expected);
  });
});

describe('compileFilterPattern: what is not supported is refused, never matched', () => {
  it.each([
    ['[ip, user, status = 5*]', 'space-delimited patterns ([...]) are not supported'],
    ['%ERROR [0-9]+%', 'regular expressions (%...%) are not supported'],
    ['{ $.event IS NULL }', '$.event: expected a comparison (=, !=, <, <=, >, >=), found "IS"'],
    ['{ $.event = "a" EXISTS }', 'unexpected "EXISTS" (IS NULL, EXISTS and the like are not supported)'],
    ['{ $.event = unquoted }', '$.event = unquoted: only quoted strings and numbers are supported as values'],
    ['{ $.event > "a" }', '$.event > "a": a string is compared with = or != only'],
    ['{ event = "a" }', 'expected a selector ($.field), found "event"'],
    ['{ ($.event = "a" }', 'the pattern ends too early'],
    ['{ $.event = "a }', 'a string at "\\"a " is not closed'],
    ['?WARN ERROR', 'mixing ?term with other terms is not supported'],
  ])('%s', (pattern, why) => {
    expect(() => compileFilterPattern(pattern)).toThrow(new FilterPatternError(why));
  });

  it('refuses a selector it cannot read', () => {
    expect(() => selectJson({}, '$..deep')).toThrow(new FilterPatternError('$..deep is not a supported JSON selector ($.field, $.a.b, $.a[0])'));
  });
});

describe('metricFilterDatums', () => {
  const filter = compileMetricFilter({
    logicalId: 'LatencyFilter',
    logGroupName: '/aws/lambda/fn',
    filterPattern: '{ $.event = "handoff" }',
    transformations: [
      { MetricNamespace: 'App', MetricName: 'Handoffs', MetricValue: '1', DefaultValue: 0, Unit: 'Count' },
      { MetricNamespace: 'App', MetricName: 'HandoffLatency', MetricValue: '$.latencyMs', Unit: 'Milliseconds', Dimensions: [{ Key: 'Path', Value: '$.path' }] },
    ],
  });
  const datums = (line: string) => metricFilterDatums(filter, line, line.startsWith('{') ? json(line) : undefined, T0).map((d) => [d.namespace, d.name, d.dimensions, d.value, d.timestamp.toISOString()]);

  it('publishes MetricValue (a number or the selected field) with the selected dimensions for a match', () => {
    expect(datums('{"event":"handoff","latencyMs":42,"path":"api"}')).toEqual([
      ['App', 'Handoffs', {}, 1, T0.toISOString()],
      ['App', 'HandoffLatency', { Path: 'api' }, 42, T0.toISOString()],
    ]);
  });

  it('publishes DefaultValue, where set, for a line that does not match', () => {
    expect(datums('{"event":"other"}')).toEqual([['App', 'Handoffs', {}, 0, T0.toISOString()]]);
    expect(datums('REPORT RequestId: 1')).toEqual([['App', 'Handoffs', {}, 0, T0.toISOString()]]);
  });

  it('publishes nothing for a selected value that is not a number, or a dimension that is missing', () => {
    expect(datums('{"event":"handoff","latencyMs":"slow","path":"api"}')).toEqual([['App', 'Handoffs', {}, 1, T0.toISOString()]]);
    expect(datums('{"event":"handoff","latencyMs":42}')).toEqual([['App', 'Handoffs', {}, 1, T0.toISOString()]]);
  });
});

describe('metric filters of a template', () => {
  it('are read from the template; an unsupported pattern is reported once as not emulated and never applied', () => {
    const assembly = defaultAssembly();
    // A hand-written fragment: two filters on a log group of their own, one the local stack cannot apply.
    const template = structuredClone(assembly.template) as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
    for (const [id, r] of Object.entries(template.Resources)) if (r.Type === 'AWS::Logs::MetricFilter') delete template.Resources[id];
    const transformation = { MetricNamespace: 'Test', MetricName: 'Failures', MetricValue: '1', DefaultValue: 0, Unit: 'Count' };
    template.Resources['TestLogGroup'] = { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/test/group' } };
    template.Resources['FailuresFilter'] = { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: { Ref: 'TestLogGroup' }, FilterPattern: '{ $.event = "failed" && $.attempt >= 2 }', MetricTransformations: [transformation] } };
    template.Resources['SpacedFilter'] = { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: { Ref: 'TestLogGroup' }, FilterPattern: '[ip, status = 5*]', MetricTransformations: [transformation] } };
    const stack = { ...assembly, template } as unknown as typeof assembly;
    const deployment = planDeployment(stack, { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, apiId: LOCAL_API_ID }, { functionUrl: () => 'http://127.0.0.1:3000/', secretArn: localSecretArn });

    expect(deployment.metricFilters.map((f) => [f.logicalId, f.logGroupName, f.filterPattern])).toEqual([['FailuresFilter', '/test/group', '{ $.event = "failed" && $.attempt >= 2 }']]);
    expect(deployment.notEmulated.filter((n) => n.logicalId === 'SpacedFilter')).toEqual([
      { logicalId: 'SpacedFilter', type: 'metric filter SpacedFilter', why: 'space-delimited patterns ([...]) are not supported' },
    ]);
    const [applied] = deployment.metricFilters;
    if (applied === undefined) throw new Error('no filter was applied');
    const line = '{"event":"failed","attempt":2}';
    expect(metricFilterDatums(applied, line, json(line), T0).map((d) => [d.namespace, d.name, d.value])).toEqual([['Test', 'Failures', 1]]);
    const first = '{"event":"failed","attempt":1}';
    expect(metricFilterDatums(applied, first, json(first), T0).map((d) => [d.namespace, d.name, d.value])).toEqual([['Test', 'Failures', 0]]);
  });
});
