import { FUNCTION_ERROR_REPLY, THROTTLED_REPLY, fromFunctionUrlResult, toFunctionUrlEvent } from '../../src/lambda/function-url';
import type { HttpRequestData } from '../../src/http/types';

function request(overrides: Partial<HttpRequestData> = {}): HttpRequestData {
  return {
    method: 'POST',
    rawPath: '/slack/events?a=1&a=2&b=x',
    path: '/slack/events',
    query: new URLSearchParams('a=1&a=2&b=x'),
    headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', 'user-agent': 'Slackbot 1.0', cookie: 'c1=v1; c2=v2', 'x-slack-signature': 'v0=abc' },
    body: Buffer.from('{"type":"event_callback"}'),
    remoteAddress: '127.0.0.1',
    ...overrides,
  };
}

describe('toFunctionUrlEvent', () => {
  const now = new Date('2024-03-12T19:03:58.390Z');

  it('builds a payload format 2.0 event', () => {
    const event = toFunctionUrlEvent(request(), 'req-1', now);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/slack/events',
      rawQueryString: 'a=1&a=2&b=x',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x' },
      requestContext: {
        accountId: 'anonymous',
        domainName: '127.0.0.1:3000',
        http: { method: 'POST', path: '/slack/events', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'Slackbot 1.0' },
        requestId: 'req-1',
        routeKey: '$default',
        stage: '$default',
        time: '12/Mar/2024:19:03:58 +0000',
        timeEpoch: now.getTime(),
      },
      body: '{"type":"event_callback"}',
      isBase64Encoded: false,
    });
    expect(event.headers['x-slack-signature']).toBe('v0=abc');
    expect(event.headers['cookie']).toBeUndefined();
  });

  it('base64-encodes a binary body', () => {
    const event = toFunctionUrlEvent(request({ headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2]) }), 'r', now);
    expect(event).toMatchObject({ body: 'AAEC', isBase64Encoded: true });
  });

  it('omits the body and query parameters when there are none', () => {
    const event = toFunctionUrlEvent(request({ rawPath: '/', path: '/', query: new URLSearchParams(), body: Buffer.alloc(0) }), 'r', now);
    expect(event.body).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.rawQueryString).toBe('');
  });
});

describe('fromFunctionUrlResult', () => {
  it('uses a response object as given', () => {
    const reply = fromFunctionUrlResult({ ok: true, payload: JSON.stringify({ statusCode: 401, headers: { 'X-Custom': 'v' }, body: '{"error":"no"}', cookies: ['a=b'] }) });
    expect(reply).toEqual({ kind: 'respond', status: 401, headers: { 'x-custom': 'v', 'content-type': 'application/json', 'set-cookie': ['a=b'] }, body: '{"error":"no"}' });
  });

  it('decodes a base64 body', () => {
    const reply = fromFunctionUrlResult({ ok: true, payload: JSON.stringify({ statusCode: 200, body: 'aGk=', isBase64Encoded: true }) });
    expect(reply.kind === 'respond' && Buffer.from(reply.body).toString()).toBe('hi');
  });

  it('infers 200 application/json for any other JSON', () => {
    expect(fromFunctionUrlResult({ ok: true, payload: '"Hello, world!"' })).toEqual({ kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: '"Hello, world!"' });
  });

  it('answers 502 for a function error or a bad status code, 429 when throttled', () => {
    expect(fromFunctionUrlResult({ ok: false, kind: 'function_error', error: { errorType: 'Error', errorMessage: 'x', trace: [] } })).toBe(FUNCTION_ERROR_REPLY);
    expect(fromFunctionUrlResult({ ok: true, payload: '{"statusCode":"200"}' })).toBe(FUNCTION_ERROR_REPLY);
    expect(fromFunctionUrlResult({ ok: false, kind: 'throttled' })).toBe(THROTTLED_REPLY);
  });
});
