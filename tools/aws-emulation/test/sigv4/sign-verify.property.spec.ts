/**
 * Properties over random requests: whatever RequestSigner signs, verifySigV4Request accepts; and any change to a signed
 * part (method, path, query, a signed header, the body, the time stamp) makes it reject. Fixed seed: deterministic.
 */
import fc from 'fast-check';
import { RequestSigner, SigningError } from '@slack-ai-app/signing';
import { buildCanonicalRequest, buildStringToSign, collectHeaders } from '../../src/sigv4/canonical-request';
import { deriveSigningKey, sha256Hex, signatureHex } from '../../src/sigv4/sigv4-crypto';
import { toAmzDate } from '../../src/sigv4/sigv4-time';
import { type VerifiableRequest, verifySigV4Request } from '../../src/sigv4/verify-sigv4-request';
import { NOW, ROLE_KEY, TEMP_KEY, asReceived, verifyOptions } from '../support/sigv4-fixtures';

const RUNS = { seed: 20240102, numRuns: 200 };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const segment = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom('.', '..', '%20', '%2F', '%zz', 'a+b', ''));
const queryPart = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('a=b', '=', '&', '%41', '%zz', '+', 'X'));
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,12}$/);
const headerValue = fc.string({ unit: 'grapheme-ascii', maxLength: 20 });

const randomRequest = fc.record({
  method: fc.constantFrom(...METHODS),
  segments: fc.array(segment, { maxLength: 5 }),
  trailingSlash: fc.boolean(),
  query: fc.array(fc.tuple(queryPart, queryPart), { maxLength: 4 }),
  headers: fc.uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 4, selector: ([name]) => name }),
  body: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: undefined }),
  temporary: fc.boolean(),
  skewSeconds: fc.integer({ min: -300, max: 300 }),
});

type RandomRequest = typeof randomRequest extends fc.Arbitrary<infer T> ? T : never;

async function signRandom(r: RandomRequest): Promise<VerifiableRequest> {
  const url = new URL('https://abc123defg.execute-api.us-east-1.amazonaws.com');
  url.pathname = `/${r.segments.join('/')}${r.trailingSlash ? '/' : ''}`;
  url.search = r.query.map(([key, value]) => `${key}=${value}`).join('&');
  const key = r.temporary ? TEMP_KEY : ROLE_KEY;
  const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => key });
  const signed = await signer.sign(
    { method: r.method, url, headers: Object.fromEntries(r.headers), ...(r.body !== undefined ? { body: r.body } : {}) },
    { signingDate: new Date(NOW.getTime() + r.skewSeconds * 1000) },
  );
  return asReceived(signed);
}

type Mutation = (request: VerifiableRequest) => VerifiableRequest;

function mutations(request: VerifiableRequest): Array<[string, Mutation]> {
  const question = request.rawPath.indexOf('?');
  const path = question === -1 ? request.rawPath : request.rawPath.slice(0, question);
  const query = question === -1 ? '' : request.rawPath.slice(question);
  const signedHeaders = /SignedHeaders=([^,]+),/.exec(request.headers['authorization'] as string)?.[1]?.split(';') ?? [];
  const amzDate = request.headers['x-amz-date'] as string;
  const signedAt = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`);
  // One second towards the verifier's clock, so the time stamp stays inside the 5-minute window.
  const shifted = new Date(signedAt + (signedAt > NOW.getTime() ? -1000 : 1000));
  return [
    ['method', (r) => ({ ...r, method: r.method === 'GET' ? 'POST' : 'GET' })],
    ['path', (r) => ({ ...r, rawPath: `${path}${path.endsWith('/') ? '' : '/'}z${query}` })],
    ['query', (r) => ({ ...r, rawPath: `${r.rawPath}${query ? '&' : '?'}zz=1` })],
    ['body', (r) => ({ ...r, body: `${String(r.body)}x` })],
    ['date', (r) => ({ ...r, headers: { ...r.headers, 'x-amz-date': toAmzDate(shifted) } })],
    ...signedHeaders
      .filter((name) => name !== 'x-amz-date')
      .map((name): [string, Mutation] => [`header ${name}`, (r) => ({ ...r, headers: { ...r.headers, [name]: `${String(r.headers[name])}x` } })]),
  ];
}

describe('sign then verify (property)', () => {
  it('always verifies what the signer signed', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest, async (r) => {
        const result = await verifySigV4Request(await signRandom(r), verifyOptions());
        expect(result).toMatchObject({ ok: true, accessKeyId: r.temporary ? TEMP_KEY.accessKeyId : ROLE_KEY.accessKeyId });
      }),
      RUNS,
    );
  });

  it('always rejects after any change to a signed part', async () => {
    await fc.assert(
      fc.asyncProperty(randomRequest, fc.nat(), async (r, pick) => {
        const request = await signRandom(r);
        const candidates = mutations(request);
        const [what, mutate] = candidates[pick % candidates.length] as [string, Mutation];
        const result = await verifySigV4Request(mutate(request), verifyOptions());
        expect({ what, ok: result.ok, reason: result.ok ? undefined : result.error.reason }).toEqual({ what, ok: false, reason: 'invalid_signature' });
      }),
      RUNS,
    );
  });

  it('handles query keys that are Object.prototype names', async () => {
    const request = await signRandom({
      method: 'GET',
      segments: ['prod'],
      trailingSlash: false,
      query: [['constructor', '1'], ['toString', '2'], ['hasOwnProperty', '3'], ['constructor', '0']],
      headers: [],
      body: undefined,
      temporary: false,
      skewSeconds: 0,
    });
    await expect(verifySigV4Request(request, verifyOptions())).resolves.toMatchObject({ ok: true });
  });

  it('refuses to sign a __proto__ query parameter, which smithy would sign wrongly', async () => {
    const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => ROLE_KEY });
    const error = await signer.sign({ method: 'GET', url: 'https://h.example/prod?__proto__=1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningError);
    expect((error as Error).cause).toMatchObject({ message: 'a query parameter named "__proto__" cannot be signed' });
  });

  it('verifies a __proto__ query parameter signed correctly', () => {
    // Signed with the verifier's own pieces, since smithy cannot sign it: proves the verifier has no such limitation.
    const request: VerifiableRequest = { method: 'GET', rawPath: '/prod?__proto__=1', headers: { host: 'h.example', 'x-amz-date': '20240102T030405Z' }, body: '' };
    const canonical = buildCanonicalRequest({
      method: 'GET',
      rawPath: request.rawPath,
      headers: collectHeaders(request.headers),
      signedHeaders: ['host', 'x-amz-date'],
      payloadHash: sha256Hex(''),
      pathMode: 'normalize',
    });
    expect(canonical.split('\n')[2]).toBe('__proto__=1');
    const stringToSign = buildStringToSign('20240102T030405Z', '20240102/us-east-1/execute-api/aws4_request', sha256Hex(canonical));
    const signature = signatureHex(deriveSigningKey(ROLE_KEY.secretAccessKey, '20240102', 'us-east-1', 'execute-api'), stringToSign);
    request.headers['authorization'] =
      `AWS4-HMAC-SHA256 Credential=${ROLE_KEY.accessKeyId}/20240102/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`;
    return expect(verifySigV4Request(request, verifyOptions())).resolves.toMatchObject({ ok: true });
  });
});
