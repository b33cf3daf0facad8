/**
 * libs/signing's postSignedJson against a real HTTP server on 127.0.0.1 that authenticates with verifySigV4Request:
 * real sockets, real signing, real verification. It lives here because the verifier does (libs never import tools).
 */
import * as http from 'node:http';
import { NetworkError, RequestSigner, RequestTimeoutError, SigningError, postSignedJson } from '@slack-ai-app/signing';
import { KNOWN, ROLE_KEY, TEMP_KEY } from '../support/sigv4-fixtures';
import { startSigV4Server, unusedPort, type SigV4TestServer } from '../support/sigv4-server';

const ROTATED_KEY = { accessKeyId: 'ASIAROTATEDKEY00003', secretAccessKey: 'rotated/SECRET+0123456789', sessionToken: 'rotated-session-token-value' };
const lookup = (id: string) =>
  id === ROTATED_KEY.accessKeyId
    ? { secretAccessKey: ROTATED_KEY.secretAccessKey, sessionToken: ROTATED_KEY.sessionToken, principalArn: 'arn:aws:iam::000000000000:role/rotated', callerArn: 'arn:aws:sts::000000000000:assumed-role/rotated/s' }
    : KNOWN[id];

const savedEnv = { ...process.env };
let server: SigV4TestServer;
let agent: http.Agent;

beforeEach(async () => {
  server = await startSigV4Server(lookup);
  agent = new http.Agent({ keepAlive: true });
});

afterEach(async () => {
  process.env = { ...savedEnv };
  agent.destroy();
  await server.close();
});

const tempSigner = (): RequestSigner => new RequestSigner({ region: 'us-east-1', credentials: async () => TEMP_KEY });

/** Everything an error exposes as text: it must never carry credential material. */
function textOf(error: unknown): string {
  const e = error as Error;
  return `${e.name} ${e.message} ${String(e.cause)} ${(e.cause as Error | undefined)?.message ?? ''}`;
}

function expectNoSecrets(error: unknown): void {
  for (const secret of [TEMP_KEY.secretAccessKey, TEMP_KEY.sessionToken, 'Signature=', 'AWS4-HMAC-SHA256']) {
    expect(textOf(error)).not.toContain(secret);
  }
}

describe('postSignedJson', () => {
  it('sends a signed JSON POST that the verifier accepts and returns status, lower-cased headers and body', async () => {
    const body = { channel: 'C1', text: 'héllo ✓', nested: { n: 1 } };
    const response = await postSignedJson({
      url: `${server.origin}/prod/execute`,
      body,
      signer: tempSigner(),
      timeoutMs: 5000,
      headers: { 'X-Correlation-Id': 'corr-1', 'Content-Type': 'text/plain' },
      agent,
    });
    expect(response.status).toBe(200);
    expect(response.headers['x-custom-header']).toBe('custom');
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({ accessKeyId: TEMP_KEY.accessKeyId, principalArn: 'arn:aws:iam::000000000000:role/temporary', received: body });

    const [seen] = server.seen;
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(body))));
    expect(seen?.headers['x-correlation-id']).toBe('corr-1');
    expect(seen?.headers['authorization']).toContain('SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-correlation-id,');
  });

  it('returns an API Gateway 403 as a response, not an error', async () => {
    const unknown = new RequestSigner({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }) });
    const response = await postSignedJson({ url: `${server.origin}/prod/execute`, body: {}, signer: unknown, timeoutMs: 5000, agent });
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
    expect(response.body).toBe('{"message":"The security token included in the request is invalid."}');
  });

  it('reuses one kept-alive connection for several requests', async () => {
    const signer = tempSigner();
    for (let i = 0; i < 3; i++) {
      const response = await postSignedJson({ url: `${server.origin}/prod/execute`, body: { i }, signer, timeoutMs: 5000, agent });
      expect(response.status).toBe(200);
    }
    expect(server.seen).toHaveLength(3);
    expect(server.connections).toBe(1);
  });

  it('shares a module-level keep-alive agent by default', async () => {
    const signer = tempSigner();
    await postSignedJson({ url: `${server.origin}/prod/execute`, body: { i: 1 }, signer, timeoutMs: 5000 });
    await postSignedJson({ url: `${server.origin}/prod/execute`, body: { i: 2 }, signer, timeoutMs: 5000 });
    expect(server.connections).toBe(1);
  });

  it('signs each request with the credentials in the environment at that moment (rotation, no restart)', async () => {
    const signer = new RequestSigner({ region: 'us-east-1' });
    process.env['AWS_ACCESS_KEY_ID'] = TEMP_KEY.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = TEMP_KEY.secretAccessKey;
    process.env['AWS_SESSION_TOKEN'] = TEMP_KEY.sessionToken;
    const first = await postSignedJson({ url: `${server.origin}/prod/execute`, body: {}, signer, timeoutMs: 5000, agent });
    process.env['AWS_ACCESS_KEY_ID'] = ROTATED_KEY.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = ROTATED_KEY.secretAccessKey;
    process.env['AWS_SESSION_TOKEN'] = ROTATED_KEY.sessionToken;
    const second = await postSignedJson({ url: `${server.origin}/prod/execute`, body: {}, signer, timeoutMs: 5000, agent });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(server.seen.map((seen) => seen.accessKeyId)).toEqual([TEMP_KEY.accessKeyId, ROTATED_KEY.accessKeyId]);
    expect(server.seen[1]?.headers['x-amz-security-token']).toBe(ROTATED_KEY.sessionToken);
  });

  describe('timeout', () => {
    it('aborts when no response arrives and destroys the socket', async () => {
      server.mode = 'hang';
      const error = await postSignedJson({ url: `${server.origin}/prod/execute`, body: {}, signer: tempSigner(), timeoutMs: 200, agent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect(error).toMatchObject({ name: 'RequestTimeoutError', timeoutMs: 200, message: `POST ${server.origin}/prod/execute timed out after 200 ms` });
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect(((error as Error).cause as Error).message).toMatch(/^no complete response within 200 ms; still waiting for the /);
      expectNoSecrets(error);
      await server.allConnectionsClosed();
    });

    it('covers the response body too', async () => {
      server.mode = 'partial-body';
      const error = await postSignedJson({ url: `${server.origin}/prod/execute`, body: {}, signer: tempSigner(), timeoutMs: 300, agent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      await server.allConnectionsClosed();
    });
  });

  describe('network errors', () => {
    it('reports a refused connection as NetworkError with the cause chained', async () => {
      const port = await unusedPort();
      const error = await postSignedJson({ url: `http://127.0.0.1:${port}/prod/execute?q=1`, body: {}, signer: tempSigner(), timeoutMs: 5000, agent }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ name: 'NetworkError', code: 'ECONNREFUSED', message: `POST http://127.0.0.1:${port}/prod/execute failed: ECONNREFUSED` });
      expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
      expectNoSecrets(error);
    });

    it('retries once on a new connection when a reused keep-alive socket is reset before any response', async () => {
      const signer = tempSigner();
      const first = await postSignedJson({ url: `${server.origin}/prod/execute`, body: { i: 1 }, signer, timeoutMs: 5000, agent });
      server.mode = 'reset-once';
      const second = await postSignedJson({ url: `${server.origin}/prod/execute`, body: { i: 2 }, signer, timeoutMs: 5000, agent });
      expect([first.status, second.status]).toEqual([200, 200]);
      // The second call's first attempt reached the server on the reused socket and was dropped; the retry used a
      // second connection and was verified: three requests seen, two connections, one answer.
      expect(server.seen.map((seen) => JSON.parse(seen.body))).toEqual([{ i: 1 }, { i: 2 }, { i: 2 }]);
      expect(server.seen.map((seen) => seen.accessKeyId)).toEqual([TEMP_KEY.accessKeyId, undefined, TEMP_KEY.accessKeyId]);
      expect(server.connections).toBe(2);
    });

    it('does not retry a reset of a fresh connection', async () => {
      server.mode = 'reset-once';
      const error = await postSignedJson({ url: `${server.origin}/prod/execute`, body: {}, signer: tempSigner(), timeoutMs: 5000, agent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(server.seen).toHaveLength(1);
    });

    it('reports a reset connection as NetworkError', async () => {
      server.mode = 'reset';
      const error = await postSignedJson({ url: `${server.origin}/prod/execute`, body: {}, signer: tempSigner(), timeoutMs: 5000, agent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ code: 'ECONNRESET' });
      expectNoSecrets(error);
    });
  });

  describe('before sending', () => {
    it('throws SigningError and sends nothing when credentials cannot be resolved', async () => {
      const signer = new RequestSigner({ region: 'us-east-1', credentials: () => Promise.reject(new Error('no credentials')) });
      const error = await postSignedJson({ url: `${server.origin}/prod/execute`, body: {}, signer, timeoutMs: 5000, agent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SigningError);
      expect((error as Error).cause).toMatchObject({ message: 'no credentials' });
      expect(server.connections).toBe(0);
    });

    it.each([
      ['a BigInt', { n: BigInt(1) }],
      ['undefined', undefined],
    ])('throws SigningError for a body that is not JSON-serialisable (%s)', async (_what, body) => {
      const error = await postSignedJson({ url: `${server.origin}/prod/execute`, body, signer: tempSigner(), timeoutMs: 5000, agent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SigningError);
      expect(server.connections).toBe(0);
    });

    it('throws SigningError for a URL that does not parse', async () => {
      const error = await postSignedJson({ url: '127.0.0.1/prod/execute', body: {}, signer: tempSigner(), timeoutMs: 5000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SigningError);
      expect((error as Error).cause).toHaveProperty('code', 'ERR_INVALID_URL');
    });

    it('throws SigningError for a URL that is not http(s)', async () => {
      await expect(postSignedJson({ url: 'ftp://127.0.0.1/x', body: {}, signer: tempSigner(), timeoutMs: 5000 })).rejects.toThrow(
        new SigningError('cannot send: unsupported protocol ftp: (only http: and https:)'),
      );
    });

    it('throws RangeError for a timeout that is not positive', async () => {
      await expect(postSignedJson({ url: `${server.origin}/x`, body: {}, signer: tempSigner(), timeoutMs: 0 })).rejects.toThrow(RangeError);
    });
  });

  it('signs with a long-term key without a session token header', async () => {
    const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => ROLE_KEY });
    const response = await postSignedJson({ url: `${server.origin}/prod/execute`, body: [1, 2], signer, timeoutMs: 5000, agent });
    expect(response.status).toBe(200);
    expect(server.seen[0]?.headers['x-amz-security-token']).toBeUndefined();
  });
});
