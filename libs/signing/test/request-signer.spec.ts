import { API_URL, NOW, ROLE_KEY, TEMP_KEY } from './support/fixtures';
import { SigningConfigError, SigningError } from '../src/errors';
import { RequestSigner } from '../src/request-signer';

const savedEnv = { ...process.env };

afterEach(() => {
  process.env = { ...savedEnv };
});

function credentialOf(authorization: string | undefined): string | undefined {
  return /Credential=([^,]+),/.exec(authorization ?? '')?.[1];
}

describe('RequestSigner', () => {
  describe('configuration', () => {
    it('fails at construction, naming AWS_REGION, when no region is given', () => {
      delete process.env['AWS_REGION'];
      let thrown: unknown;
      try {
        new RequestSigner({ credentials: async () => ROLE_KEY });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SigningConfigError);
      expect(thrown).toMatchObject({
        name: 'SigningConfigError',
        variables: ['AWS_REGION'],
        message: 'AWS_REGION is not set and no region option was given: SigV4 signing needs a region',
      });
    });

    it('treats an empty AWS_REGION as missing', () => {
      process.env['AWS_REGION'] = '';
      expect(() => new RequestSigner({ credentials: async () => ROLE_KEY })).toThrow(SigningConfigError);
    });

    it('reads AWS_REGION and defaults the service to execute-api', async () => {
      process.env['AWS_REGION'] = 'ap-southeast-2';
      const signed = await new RequestSigner({ credentials: async () => ROLE_KEY }).sign({ method: 'GET', url: API_URL }, { signingDate: NOW });
      expect(credentialOf(signed.headers['authorization'])).toBe(`${ROLE_KEY.accessKeyId}/20240102/ap-southeast-2/execute-api/aws4_request`);
    });

    it('prefers the region and service options', async () => {
      process.env['AWS_REGION'] = 'ap-southeast-2';
      const signer = new RequestSigner({ region: 'eu-central-1', service: 'lambda', credentials: async () => ROLE_KEY });
      const signed = await signer.sign({ method: 'GET', url: API_URL }, { signingDate: NOW });
      expect(credentialOf(signed.headers['authorization'])).toBe(`${ROLE_KEY.accessKeyId}/20240102/eu-central-1/lambda/aws4_request`);
    });
  });

  describe('sign', () => {
    const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => ROLE_KEY });

    it('adds the signed headers only (tools/aws-emulation verifies such requests)', async () => {
      const headers = { 'content-type': 'application/json', 'x-correlation-id': 'c-1' };
      const signed = await signer.sign({ method: 'POST', url: API_URL, headers, body: '{}' }, { signingDate: NOW });
      expect(headers).toEqual({ 'content-type': 'application/json', 'x-correlation-id': 'c-1' });
      expect(signed.url).toBeInstanceOf(URL);
      expect(signed.url.href).toBe(API_URL);
      expect(signed.body).toBe('{}');
      expect(Object.keys(signed.headers).sort()).toEqual(['authorization', 'content-type', 'host', 'x-amz-date', 'x-correlation-id']);
      expect(signed.headers['host']).toBe('abc123defg.execute-api.us-east-1.amazonaws.com');
      expect(signed.headers['x-amz-date']).toBe('20240102T030405Z');
      expect(signed.headers['authorization']).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDSIGNINGTEST0001\/20240102\/us-east-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-correlation-id, Signature=[0-9a-f]{64}$/,
      );
    });

    it('accepts a URL object and keeps a non-default port in host', async () => {
      const signed = await signer.sign({ method: 'GET', url: new URL('http://127.0.0.1:8080/prod/execute?b=2&a=1') }, { signingDate: NOW });
      expect(signed.headers['host']).toBe('127.0.0.1:8080');
      expect(signed.url.search).toBe('?b=2&a=1');
    });

    it('keeps a Host header the caller gives (e.g. a VPC endpoint)', async () => {
      const signed = await signer.sign(
        { method: 'GET', url: 'https://vpce-0123.execute-api.us-east-1.vpce.amazonaws.com/prod/execute', headers: { Host: 'api123.execute-api.us-east-1.amazonaws.com' } },
        { signingDate: NOW },
      );
      expect(signed.headers['Host']).toBe('api123.execute-api.us-east-1.amazonaws.com');
      expect(signed.headers['host']).toBeUndefined();
    });

    it('replaces caller-supplied authorization, date and token headers', async () => {
      const temp = new RequestSigner({ region: 'us-east-1', credentials: async () => TEMP_KEY });
      const signed = await temp.sign(
        { method: 'GET', url: API_URL, headers: { Authorization: 'Bearer x', 'X-Amz-Date': '20000101T000000Z', 'X-Amz-Security-Token': 'stale' } },
        { signingDate: NOW },
      );
      expect(Object.keys(signed.headers).sort()).toEqual(['authorization', 'host', 'x-amz-date', 'x-amz-security-token']);
      expect(signed.headers['x-amz-security-token']).toBe(TEMP_KEY.sessionToken);
      expect(signed.headers['authorization']).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token,');
    });

    it('signs with the current time by default', async () => {
      jest.useFakeTimers({
        now: NOW,
        doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'hrtime', 'performance'],
      });
      try {
        const signed = await signer.sign({ method: 'GET', url: API_URL });
        expect(signed.headers['x-amz-date']).toBe('20240102T030405Z');
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('credentials', () => {
    it('calls the provider on every signature, so rotated credentials are used at once', async () => {
      const keys = [ROLE_KEY, { accessKeyId: 'AKIDROTATED000000002', secretAccessKey: 'rotated-secret' }];
      let calls = 0;
      const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => keys[Math.min(calls++, 1)] as typeof ROLE_KEY });
      const first = await signer.sign({ method: 'GET', url: API_URL }, { signingDate: NOW });
      const second = await signer.sign({ method: 'GET', url: API_URL }, { signingDate: NOW });
      expect(calls).toBe(2);
      expect(credentialOf(first.headers['authorization'])).toMatch(/^AKIDSIGNINGTEST0001\//);
      expect(credentialOf(second.headers['authorization'])).toMatch(/^AKIDROTATED000000002\//);
    });

    it('wraps a failing provider in SigningError with the cause chained', async () => {
      const cause = new Error('Could not load credentials from any providers');
      const signer = new RequestSigner({ region: 'us-east-1', credentials: () => Promise.reject(cause) });
      const error = await signer.sign({ method: 'POST', url: `${API_URL}?secret=no`, body: '{}' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SigningError);
      expect(error).toMatchObject({
        name: 'SigningError',
        message: `cannot sign POST https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/execute: AWS credentials could not be resolved`,
        cause,
      });
    });

    it('rejects a provider result without keys, never echoing it', async () => {
      const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKID' }) as unknown as typeof ROLE_KEY });
      const error = await signer.sign({ method: 'GET', url: API_URL }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SigningError);
      expect((error as SigningError).message).toContain('AWS credentials could not be resolved');
      expect((error as SigningError).cause).toBeInstanceOf(TypeError);
    });

    it('never puts credential material in a signing error', async () => {
      const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => TEMP_KEY });
      // A header value that is not a string makes smithy's canonicalisation throw after the credentials resolved.
      const headers = { 'x-count': 5 as unknown as string };
      const error = await signer.sign({ method: 'GET', url: API_URL, headers }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SigningError);
      expect((error as Error).message).toBe('cannot sign GET https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/execute: the signer failed');
      const text = `${(error as Error).message} ${String((error as Error).cause)}`;
      for (const secret of [TEMP_KEY.secretAccessKey, TEMP_KEY.sessionToken]) expect(text).not.toContain(secret);
    });
  });

  it('rejects an invalid URL with SigningError', async () => {
    const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => ROLE_KEY });
    const error = await signer.sign({ method: 'GET', url: 'not a url' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningError);
    expect((error as SigningError).cause).toHaveProperty('code', 'ERR_INVALID_URL');
  });
});
