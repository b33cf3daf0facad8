/**
 * The verifier's conformance with the AWS Signature V4 test suite (awslabs/aws-c-auth, vendored in fixtures/sigv4):
 * all 38 cases, honouring each context's `normalize`, session token and `omit_session_token`. The signer's half (it
 * reproduces every `header-signed-request.txt` exactly) runs in libs/signing (test/sigv4-suite.spec.ts); here the
 * verifier accepts those signed requests, rebuilds the suite's canonical strings from them, and refuses any change.
 */
import {
  URL_EXPRESSIBLE_CASE_NAMES,
  distinctHeaders,
  header,
  loadSuiteCases,
  parseRawHttp,
  pathModeOf,
  signCaseWithRequestSigner,
  urlExpressibleCases,
  type RawHttpRequest,
  type SuiteCase,
} from '@slack-ai-app/signing/testing';
import { parseAuthorizationHeader } from '../../src/sigv4/authorization-header';
import { buildCanonicalRequest, buildStringToSign, collectHeaders } from '../../src/sigv4/canonical-request';
import { splitRequestTarget } from '../../src/sigv4/request-target';
import { sha256Hex } from '../../src/sigv4/sigv4-crypto';
import { type VerifiableRequest, type VerifyOptions, verifySigV4Request, verifySigV4RequestWithPathMode } from '../../src/sigv4/verify-sigv4-request';

const cases = loadSuiteCases();

function verifyOptionsOf(c: SuiteCase): VerifyOptions {
  const { access_key_id, secret_access_key, token } = c.context.credentials;
  return {
    lookup: (id) =>
      id === access_key_id
        ? {
            secretAccessKey: secret_access_key,
            principalArn: 'arn:aws:iam::000000000000:role/suite',
            callerArn: 'arn:aws:sts::000000000000:assumed-role/suite/test',
            ...(token ? { sessionToken: token } : {}),
          }
        : undefined,
    now: () => new Date(c.context.timestamp),
    service: c.context.service,
    region: c.context.region,
  };
}

function toVerifiable(request: RawHttpRequest): VerifiableRequest {
  return { method: request.method, rawPath: request.target, headers: distinctHeaders(request.headers), body: request.body };
}

/** The canonical request and string to sign, computed by the verifier's own canonicalisation. */
function canonicalise(
  c: SuiteCase,
  request: { method: string; target: string; body: string },
  headers: Record<string, string | string[]>,
  signedHeaders: readonly string[],
  amzDate: string,
  omitQueryParams: ReadonlySet<string> = new Set(),
): { canonicalRequest: string; stringToSign: string } {
  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    rawPath: request.target,
    headers: collectHeaders(headers),
    signedHeaders,
    payloadHash: sha256Hex(request.body),
    pathMode: pathModeOf(c),
    omitQueryParams,
  });
  const scope = `${amzDate.slice(0, 8)}/${c.context.region}/${c.context.service}/aws4_request`;
  return { canonicalRequest, stringToSign: buildStringToSign(amzDate, scope, sha256Hex(canonicalRequest)) };
}

function signedHeaderList(authorization: string): string[] {
  const parsed = parseAuthorizationHeader(authorization);
  if (!parsed.ok) throw new Error('unparseable Authorization');
  return (parsed.value.parameters.get('SignedHeaders') ?? '').split(';');
}

describe('AWS SigV4 test suite', () => {
  it('has the 38 cases', () => {
    expect(cases).toHaveLength(38);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const oracleSigned = parseRawHttp(c.headerSignedRequest);

    it('canonicalisation reproduces header-canonical-request.txt and header-string-to-sign.txt', () => {
      const fromOracle = canonicalise(
        c,
        oracleSigned,
        distinctHeaders(oracleSigned.headers),
        signedHeaderList(header(oracleSigned, 'authorization')),
        header(oracleSigned, 'x-amz-date'),
      );
      expect(fromOracle.canonicalRequest).toBe(c.headerCanonicalRequest);
      expect(fromOracle.stringToSign).toBe(c.headerStringToSign);
    });

    it('verifies header-signed-request.txt', () => {
      const options = verifyOptionsOf(c);
      expect(verifySigV4RequestWithPathMode(toVerifiable(oracleSigned), options, pathModeOf(c))).toEqual({
        ok: true,
        accessKeyId: 'AKIDEXAMPLE',
        principalArn: 'arn:aws:iam::000000000000:role/suite',
        callerArn: 'arn:aws:sts::000000000000:assumed-role/suite/test',
        region: 'us-east-1',
        service: 'service',
      });
    });

    it('verifies query-signed-request.txt, from query-canonical-request.txt and query-string-to-sign.txt', () => {
      const presigned = parseRawHttp(c.querySignedRequest);
      expect(verifySigV4RequestWithPathMode(toVerifiable(presigned), verifyOptionsOf(c), pathModeOf(c)).ok).toBe(true);

      const omit = new Set(['X-Amz-Signature', ...(c.context.omit_session_token ? ['X-Amz-Security-Token'] : [])]);
      const query = new URLSearchParams(splitRequestTarget(presigned.target).query);
      const { canonicalRequest, stringToSign } = canonicalise(
        c,
        presigned,
        distinctHeaders(presigned.headers),
        (query.get('X-Amz-SignedHeaders') as string).split(';'),
        query.get('X-Amz-Date') as string,
        omit,
      );
      expect(canonicalRequest).toBe(c.queryCanonicalRequest);
      expect(stringToSign).toBe(c.queryStringToSign);
    });

    it('answers a wrong signature with the canonical string and string to sign of the oracle', () => {
      const authorization = header(oracleSigned, 'authorization');
      const wrong = authorization.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
      const tampered = toVerifiable({
        ...oracleSigned,
        headers: oracleSigned.headers.map(([k, v]): [string, string] => [k, k.toLowerCase() === 'authorization' ? wrong : v]),
      });
      const result = verifySigV4RequestWithPathMode(tampered, verifyOptionsOf(c), pathModeOf(c));
      if (result.ok) throw new Error('accepted a wrong signature');
      const token = c.context.credentials.token;
      const shownCanonical = token ? c.headerCanonicalRequest.replace(`x-amz-security-token:${token}`, 'x-amz-security-token:<redacted>') : c.headerCanonicalRequest;
      expect(result.error.errorType).toBe('InvalidSignatureException');
      expect(result.error.message).toBe(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
          'and signing method. Consult the service documentation for details.\n\n' +
          `The Canonical String for this request should have been\n'${shownCanonical}'\n\n` +
          `The String-to-Sign should have been\n'${c.headerStringToSign}'\n`,
      );
      if (token) expect(result.error.body).not.toContain(token);
    });

    describe('rejects the signed request after a single change', () => {
      const signedHeaders = signedHeaderList(header(oracleSigned, 'authorization')).filter((name) => name !== 'x-amz-date');
      const target = splitRequestTarget(oracleSigned.target);
      const mutations: Array<[string, (r: RawHttpRequest) => RawHttpRequest]> = [
        ['method', (r) => ({ ...r, method: r.method === 'GET' ? 'POST' : 'GET' })],
        ['path', (r) => ({ ...r, target: `${target.path}x${target.query ? `?${target.query}` : ''}` })],
        ['query', (r) => ({ ...r, target: `${r.target}${target.query ? '&' : '?'}mutated=1` })],
        ['body', (r) => ({ ...r, body: `${r.body}x` })],
        [
          'date (+1 s)',
          (r) => ({
            ...r,
            headers: r.headers.map(([k, v]): [string, string] => [k, k.toLowerCase() === 'x-amz-date' ? '20150830T123601Z' : v]),
          }),
        ],
        ...signedHeaders.map((name): [string, (r: RawHttpRequest) => RawHttpRequest] => [
          `signed header ${name}`,
          (r) => ({ ...r, headers: r.headers.map(([k, v]): [string, string] => [k, k.toLowerCase() === name ? `${v}x` : v]) }),
        ]),
      ];

      it.each(mutations)('%s', (_what, mutate) => {
        const result = verifySigV4RequestWithPathMode(toVerifiable(mutate(oracleSigned)), verifyOptionsOf(c), pathModeOf(c));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.reason).toBe('invalid_signature');
      });
    });
  });
});

describe('RequestSigner on the suite cases a URL can express', () => {
  // The other cases (see urlExpressibleCases) are covered above through the suite's own signed requests, which
  // libs/signing's WireSigner reproduces byte for byte.
  const eligible = urlExpressibleCases(cases);

  it('covers the expected cases', () => {
    expect(eligible.map((c) => c.name)).toEqual(URL_EXPRESSIBLE_CASE_NAMES);
  });

  it.each(eligible.map((c) => [c.name, c] as const))('%s: the verifier accepts what RequestSigner signs', async (_name, c) => {
    const signed = await signCaseWithRequestSigner(c);
    const received: VerifiableRequest = { method: signed.method, rawPath: `${signed.url.pathname}${signed.url.search}`, headers: signed.headers, body: signed.body ?? '' };
    await expect(verifySigV4Request(received, verifyOptionsOf(c))).resolves.toMatchObject({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });
});
