import * as fc from 'fast-check';
import {
  ACCEPTED_RESPONSE_TEMPLATE,
  CORRELATION_ID_HEADER,
  acceptedResponseBody,
  INTEGRATION_REQUEST_TEMPLATE,
  buildExecutionApiEvent,
  inputParam,
  isExecutionApiEvent,
  type ExecutionApiIdentity,
  type InputParams,
} from '../src';
import { UnsupportedVtlError, escapeJavaScript, renderTemplate } from './vtl';

const IDENTITY: ExecutionApiIdentity = {
  userArn: 'arn:aws:sts::111122223333:assumed-role/slack-ai-app-verification/slack-ai-app-verification-fn',
  caller: 'AROAEXAMPLEID123:slack-ai-app-verification-fn',
  accountId: '111122223333',
  sourceIp: '203.0.113.7',
};
const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';
const BODY = {
  channel: 'C123ABC456',
  text: 'is it everything a river should be?',
  user_id: 'U061F7AUR',
  team_id: 'T123ABC456',
  event_id: 'Ev123ABC456',
  correlation_id: 'corr-1',
};

/** Renders the template as API Gateway would and parses the result as the Lambda runtime does. */
function rendered(rawBody: string, params: InputParams, identity: ExecutionApiIdentity = IDENTITY): unknown {
  return JSON.parse(renderTemplate(INTEGRATION_REQUEST_TEMPLATE, { body: rawBody, params, context: { requestId: REQUEST_ID, identity } }));
}

/** What the local emulator hands the Lambda for the same request, after the JSON hop every event takes. */
function built(rawBody: string, params: InputParams, identity: ExecutionApiIdentity = IDENTITY): unknown {
  const event = buildExecutionApiEvent({
    body: JSON.parse(rawBody),
    requestId: REQUEST_ID,
    correlationId: inputParam(CORRELATION_ID_HEADER, params),
    identity,
  });
  return JSON.parse(JSON.stringify(event));
}

describe('INTEGRATION_REQUEST_TEMPLATE and buildExecutionApiEvent', () => {
  it('render the same ExecutionApiEvent for a typical request', () => {
    const params = { header: { [CORRELATION_ID_HEADER]: '6f1c2a9e-6b0e-4a8e-9d3c-1f2e3d4c5b6a' } };
    const event = rendered(JSON.stringify(BODY), params);
    expect(event).toEqual({
      kind: 'execution_api_request',
      body: BODY,
      requestId: REQUEST_ID,
      correlationId: '6f1c2a9e-6b0e-4a8e-9d3c-1f2e3d4c5b6a',
      identity: IDENTITY,
    });
    expect(event).toEqual(built(JSON.stringify(BODY), params));
    expect(isExecutionApiEvent(event)).toBe(true);
  });

  it.each([
    ['a single quote', "it's"],
    ['a double quote and a backslash', 'a"b\\c'],
    ['a backslash before a quote', "\\'"],
    ['control characters', 'line1\nline2\ttab\r\u0000\u001f'],
    ['a slash and non-ASCII text', '</script> café 日本 😀'],
    ['lone surrogates', '\uD83D x \uDE00'],
  ])('keep a correlation id with %s intact', (_label, correlationId) => {
    const params = { header: { [CORRELATION_ID_HEADER]: correlationId } };
    const event = rendered(JSON.stringify(BODY), params);
    expect(event).toEqual(built(JSON.stringify(BODY), params));
    expect((event as { correlationId: string }).correlationId).toBe(correlationId);
  });

  it('give an empty correlation id when the header is absent', () => {
    expect(rendered('{}', {})).toEqual(built('{}', {}));
    expect((rendered('{}', {}) as { correlationId: string }).correlationId).toBe('');
    expect(buildExecutionApiEvent({ body: {}, requestId: 'r', identity: IDENTITY }).correlationId).toBe('');
  });

  it('find the header whatever its case, and let a query parameter of the same name win', () => {
    expect(inputParam(CORRELATION_ID_HEADER, { header: { 'x-correlation-id': 'lower' } })).toBe('lower');
    const params = { querystring: { [CORRELATION_ID_HEADER]: 'from-query' }, header: { [CORRELATION_ID_HEADER]: 'from-header' } };
    expect(rendered('{}', params)).toEqual(built('{}', params));
    expect(inputParam(CORRELATION_ID_HEADER, params)).toBe('from-query');
    expect(inputParam(CORRELATION_ID_HEADER, { path: { [CORRELATION_ID_HEADER]: 'p' }, querystring: { [CORRELATION_ID_HEADER]: 'q' } })).toBe('p');
  });

  it('agree on arbitrary JSON bodies and arbitrary (full-Unicode) correlation ids', () => {
    const unit = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.constantFrom("'", '"', '\\', '/', '\n', '\u2028', '\u007f'),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.option(fc.string({ unit, maxLength: 40 })), (body, correlationId) => {
        const params: InputParams = correlationId === null ? {} : { header: { [CORRELATION_ID_HEADER]: correlationId } };
        const raw = JSON.stringify(body);
        const event = rendered(raw, params);
        expect(event).toEqual(built(raw, params));
        return isExecutionApiEvent(event);
      }),
      { seed: 20240601, numRuns: 400 },
    );
  });

  it('take the correlation id from the X-Correlation-Id parameter', () => {
    expect(INTEGRATION_REQUEST_TEMPLATE).toContain(`$input.params('${CORRELATION_ID_HEADER}')`);
    expect(CORRELATION_ID_HEADER).toBe('X-Correlation-Id');
  });
});

describe('renderTemplate (test VTL evaluator)', () => {
  const request = { body: '{"a":1}', params: {}, context: { requestId: 'r', identity: { sourceIp: '1.2.3.4' } } };

  it('escapes like Commons Lang escapeJavaScript', () => {
    expect(escapeJavaScript(`He didn't say, "Stop!"`)).toBe(`He didn\\'t say, \\"Stop!\\"`);
    expect(escapeJavaScript('a/b\\c\b\f\n\r\t\u0001é\u20ac😀')).toBe(
      'a\\/b\\\\c\\b\\f\\n\\r\\t\\u0001\\u00E9\\u20AC\\uD83D\\uDE00',
    );
  });

  it('renders references and leaves other text alone', () => {
    expect(renderTemplate(`{"ip":"$context.identity.sourceIp","b":$input.json('$'),"cost":"$5"}`, request)).toBe(
      '{"ip":"1.2.3.4","b":{"a":1},"cost":"$5"}',
    );
  });

  it.each([
    ['a directive', '#set($x = 1)'],
    ['a silent reference', '$!context.requestId'],
    ['a formal reference', '${context.requestId}'],
    ['an unknown variable', '$stageVariables.name'],
    ['an undefined context value', '$context.identity.userArn'],
    ['a JSONPath other than $', `$input.json('$.a')`],
    ['an unsupported string method', `$context.requestId.toUpperCase()`],
    ['a regex metacharacter in replaceAll', `$context.requestId.replaceAll(".", "x")`],
    ['an interpolated string argument', `$context.requestId.replaceAll("$context", "x")`],
    ['an escaped reference', '\\$context.requestId'],
  ])('refuses %s', (_label, template) => {
    expect(() => renderTemplate(template, request)).toThrow(UnsupportedVtlError);
  });
});

describe('ACCEPTED_RESPONSE_TEMPLATE', () => {
  it('renders to exactly what acceptedResponseBody builds, so the local gateway answers as the deployed one', () => {
    const rendered = renderTemplate(ACCEPTED_RESPONSE_TEMPLATE, { body: '{}', params: {}, context: { requestId: REQUEST_ID } });
    expect(rendered).toBe(acceptedResponseBody(REQUEST_ID));
    expect(JSON.parse(rendered)).toEqual({ status: 'accepted', requestId: REQUEST_ID });
  });
});
