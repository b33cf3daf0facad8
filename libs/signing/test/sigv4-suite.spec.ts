/**
 * The signer's conformance with the AWS Signature V4 test suite (aws-c-auth, fixtures/sigv4): all 38 cases,
 * honouring each context's `normalize`, `sign_body`, session token and `omit_session_token`. The verifier's half of
 * the suite runs in tools/aws-emulation (test/sigv4/sigv4-suite.spec.ts).
 */
import { RequestSigner } from '../src/request-signer';
import { WireSigner, type PathMode } from '../src/wire-signer';
import { loadSuiteCases, type SuiteCase } from './support/oracles';
import { joinedHeaders, parseRawHttp, type RawHttpRequest } from './support/raw-http';

const cases = loadSuiteCases();

function pathModeOf(c: SuiteCase): PathMode {
  return c.context.normalize ? 'normalize' : 'encode';
}

function credentialsOf(c: SuiteCase): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  const { access_key_id, secret_access_key, token } = c.context.credentials;
  return { accessKeyId: access_key_id, secretAccessKey: secret_access_key, ...(token ? { sessionToken: token } : {}) };
}

function header(request: RawHttpRequest, name: string): string {
  const found = request.headers.find(([key]) => key.toLowerCase() === name);
  if (!found) throw new Error(`no ${name} header`);
  return found[1];
}

async function signWithCore(c: SuiteCase): Promise<Record<string, string>> {
  const request = parseRawHttp(c.request);
  const question = request.target.indexOf('?');
  const path = question === -1 ? request.target : request.target.slice(0, question);
  const query = question === -1 ? '' : request.target.slice(question + 1);
  const credentials = credentialsOf(c);
  const signer = new WireSigner({
    service: c.context.service,
    region: c.context.region,
    credentials: async () => credentials,
    pathMode: pathModeOf(c),
    signBody: c.context.sign_body,
  });
  return signer.sign(
    { method: request.method, path, rawQuery: query, headers: joinedHeaders(request.headers), body: request.body },
    { signingDate: new Date(c.context.timestamp), omitSessionToken: c.context.omit_session_token === true },
  );
}

describe('AWS SigV4 test suite', () => {
  it('has the 38 cases', () => {
    expect(cases).toHaveLength(38);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const oracleSigned = parseRawHttp(c.headerSignedRequest);

    it('signs: the same headers, Authorization and signature as header-signed-request.txt', async () => {
      const signed = await signWithCore(c);
      const expected = Object.fromEntries(Object.entries(joinedHeaders(oracleSigned.headers)).map(([k, v]) => [k.toLowerCase(), v]));
      const actual = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
      expect(actual).toEqual(expected);
      expect(signed['authorization']).toContain(`Signature=${c.headerSignature}`);
    });
  });
});

describe('RequestSigner on the suite cases a URL can express', () => {
  // RequestSigner takes a URL, so it sees what the WHATWG parser keeps: cases whose request line has a literal space,
  // raw UTF-8 or dot segments, or that need normalize:false, sign_body or omit_session_token, go through the core above.
  const eligible = cases.filter((c) => {
    const request = parseRawHttp(c.request);
    const url = new URL(`http://${header(request, 'host')}${request.target}`);
    const duplicated = new Set(request.headers.map(([k]) => k.toLowerCase())).size !== request.headers.length;
    return (
      c.context.normalize && !c.context.sign_body && !c.context.omit_session_token && !duplicated &&
      `${url.pathname}${url.search}` === request.target
    );
  });

  it('covers the expected cases', () => {
    expect(eligible.map((c) => c.name)).toEqual([
      'get-header-value-multiline',
      'get-header-value-trim',
      'get-slash-normalized',
      'get-slashes-normalized',
      'get-unreserved',
      'get-vanilla',
      'get-vanilla-empty-query-key',
      'get-vanilla-query',
      'get-vanilla-query-order-encoded',
      'get-vanilla-query-order-key-case',
      'get-vanilla-query-unreserved',
      'get-vanilla-with-session-token',
      'post-header-key-case',
      'post-header-key-sort',
      'post-header-value-case',
      'post-sts-header-before',
      'post-vanilla',
      'post-vanilla-empty-query-value',
      'post-vanilla-query',
    ]);
  });

  it.each(eligible.map((c) => [c.name, c] as const))('%s: the exact Authorization header', async (_name, c) => {
    const request = parseRawHttp(c.request);
    const credentials = credentialsOf(c);
    const signer = new RequestSigner({ service: c.context.service, region: c.context.region, credentials: async () => credentials });
    const signed = await signer.sign(
      { method: request.method, url: `http://${header(request, 'host')}${request.target}`, headers: joinedHeaders(request.headers), body: request.body },
      { signingDate: new Date(c.context.timestamp) },
    );
    expect(signed.headers['authorization']).toBe(header(parseRawHttp(c.headerSignedRequest), 'authorization'));
  });
});
