import { errorResponse, jsonResponse, MAX_BODY_BYTES, readFunctionUrlRequest } from '../src/function-url';
import { loadFunctionUrlEvent, rawBodyOf } from './support/fixtures';

describe('readFunctionUrlRequest', () => {
  it('reads a Function URL event: method, lower-cased headers, body bytes', () => {
    const event = loadFunctionUrlEvent('app-mention');
    const result = readFunctionUrlRequest(event);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.method).toBe('POST');
    expect(result.request.headers.get('user-agent')).toBe('Slackbot 1.0 (+https://api.slack.com/robots)');
    expect(result.request.body?.equals(Buffer.from(event.body as string, 'utf8'))).toBe(true);
  });

  it('decodes a base64 body to the same bytes as the plain one', () => {
    const plain = readFunctionUrlRequest(loadFunctionUrlEvent('app-mention'));
    const encoded = readFunctionUrlRequest(loadFunctionUrlEvent('app-mention-base64'));
    expect(plain.ok && encoded.ok && plain.request.body?.equals(encoded.request.body as Buffer)).toBe(true);
    expect(rawBodyOf(loadFunctionUrlEvent('app-mention-base64')).toString('utf8')).toContain('"type":"event_callback"');
  });

  it('joins header names that differ only in case', () => {
    const result = readFunctionUrlRequest({ ...loadFunctionUrlEvent('app-mention'), headers: { 'X-Slack-Signature': 'a', 'x-slack-signature': 'b' } });
    expect(result.ok && result.request.headers.get('x-slack-signature')).toBe('a,b');
  });

  it('accepts exactly MAX_BODY_BYTES and refuses one byte more with 413, plain or base64', () => {
    const event = loadFunctionUrlEvent('app-mention');
    expect(readFunctionUrlRequest({ ...event, body: 'x'.repeat(MAX_BODY_BYTES) }).ok).toBe(true);
    expect(readFunctionUrlRequest({ ...event, body: 'x'.repeat(MAX_BODY_BYTES + 1) })).toMatchObject({ ok: false, statusCode: 413 });
    expect(readFunctionUrlRequest({ ...event, body: 'é'.repeat(MAX_BODY_BYTES / 2 + 1) })).toMatchObject({ ok: false, statusCode: 413 });
    const b64 = (n: number) => ({ ...event, isBase64Encoded: true, body: Buffer.alloc(n, 1).toString('base64') });
    expect(readFunctionUrlRequest(b64(MAX_BODY_BYTES)).ok).toBe(true);
    expect(readFunctionUrlRequest(b64(MAX_BODY_BYTES + 1))).toMatchObject({ ok: false, statusCode: 413 });
  });

  it.each([
    [{ requestContext: {} }, 400, 'request is not a Function URL event'],
    [{ body: 42 }, 400, 'request body is not a string'],
    [{ isBase64Encoded: true, body: 'a*b=' }, 400, 'request body is flagged isBase64Encoded but is not valid base64'],
    [{ isBase64Encoded: true, body: 'abc' }, 400, 'request body is flagged isBase64Encoded but is not valid base64'],
  ])('refuses %j with %i', (change, statusCode, error) => {
    expect(readFunctionUrlRequest({ ...loadFunctionUrlEvent('app-mention'), ...change })).toEqual({ ok: false, statusCode, error });
  });

  it('treats a missing body as none (verification then answers 401)', () => {
    const result = readFunctionUrlRequest({ ...loadFunctionUrlEvent('app-mention'), body: undefined });
    expect(result.ok && result.request.body).toBeUndefined();
  });
});

describe('jsonResponse', () => {
  it('builds a JSON response for a Function URL', () => {
    expect(jsonResponse(200, { ok: true })).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
    expect(errorResponse(413, 'too big')).toEqual({ statusCode: 413, headers: { 'content-type': 'application/json' }, body: '{"error":"too big"}' });
  });
});
