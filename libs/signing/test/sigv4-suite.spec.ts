/**
 * The signer's conformance with the AWS Signature V4 test suite (aws-c-auth, fixtures/sigv4): all 38 cases,
 * honouring each context's `normalize`, `sign_body`, session token and `omit_session_token`. The verifier's half of
 * the suite runs in tools/aws-emulation (test/sigv4/sigv4-suite.spec.ts).
 */
import { WireSigner } from '../src/wire-signer';
import {
  URL_EXPRESSIBLE_CASE_NAMES,
  credentialsOf,
  header,
  joinedHeaders,
  loadSuiteCases,
  parseRawHttp,
  pathModeOf,
  signCaseWithRequestSigner,
  urlExpressibleCases,
  type SuiteCase,
} from './support';

const cases = loadSuiteCases();

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
  // The other cases (see urlExpressibleCases) go through the core above.
  const eligible = urlExpressibleCases(cases);

  it('covers the expected cases', () => {
    expect(eligible.map((c) => c.name)).toEqual(URL_EXPRESSIBLE_CASE_NAMES);
  });

  it.each(eligible.map((c) => [c.name, c] as const))('%s: the exact Authorization header', async (_name, c) => {
    const signed = await signCaseWithRequestSigner(c);
    expect(signed.headers['authorization']).toBe(header(parseRawHttp(c.headerSignedRequest), 'authorization'));
  });
});
