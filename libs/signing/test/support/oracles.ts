import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseRawHttp, type RawHttpRequest } from './raw-http';

/** `<workspaceRoot>/fixtures`: third-party test data vendored into the repository (sources in its README). */
export const FIXTURES_DIR = path.resolve(__dirname, '../../../../fixtures');

/** The AWS SigV4 test suite (awslabs/aws-c-auth), one folder per case. */
export const SIGV4_SUITE_DIR = path.join(FIXTURES_DIR, 'sigv4/v4');

/** A case's `context.json`. */
export interface SuiteContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  expiration_in_seconds: number;
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

/** One case of the suite, its files read. */
export interface SuiteCase {
  name: string;
  context: SuiteContext;
  request: string;
  headerCanonicalRequest: string;
  headerStringToSign: string;
  headerSignature: string;
  headerSignedRequest: string;
  queryCanonicalRequest: string;
  queryStringToSign: string;
  querySignedRequest: string;
}

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

/** Every case of the suite, sorted by name. */
export function loadSuiteCases(): SuiteCase[] {
  return readdirSync(SIGV4_SUITE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = path.join(SIGV4_SUITE_DIR, name);
      return {
        name,
        context: JSON.parse(read(dir, 'context.json')) as SuiteContext,
        request: read(dir, 'request.txt'),
        headerCanonicalRequest: read(dir, 'header-canonical-request.txt'),
        headerStringToSign: read(dir, 'header-string-to-sign.txt'),
        headerSignature: read(dir, 'header-signature.txt').trim(),
        headerSignedRequest: read(dir, 'header-signed-request.txt'),
        queryCanonicalRequest: read(dir, 'query-canonical-request.txt'),
        queryStringToSign: read(dir, 'query-string-to-sign.txt'),
        querySignedRequest: read(dir, 'query-signed-request.txt'),
      };
    });
}

/** How a case wants its path canonicalised: `normalize` (dot segments and `//` removed) or `encode` (kept, encoded). */
export function pathModeOf(c: SuiteCase): 'normalize' | 'encode' {
  return c.context.normalize ? 'normalize' : 'encode';
}

/** A case's credentials in the SDK's shape (a session token only where the case has one). */
export function credentialsOf(c: SuiteCase): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  const { access_key_id, secret_access_key, token } = c.context.credentials;
  return { accessKeyId: access_key_id, secretAccessKey: secret_access_key, ...(token ? { sessionToken: token } : {}) };
}

/** The value of a request's header (`name` lower-case), as written; throws when it is absent. */
export function header(request: RawHttpRequest, name: string): string {
  const found = request.headers.find(([key]) => key.toLowerCase() === name);
  if (!found) throw new Error(`no ${name} header`);
  return found[1];
}

/**
 * The cases a URL can express: `RequestSigner` takes a URL, so it sees what the WHATWG parser keeps. Cases whose request
 * line has a literal space, raw UTF-8 or dot segments, repeat a header, or need normalize:false, sign_body or
 * omit_session_token are left out.
 */
export function urlExpressibleCases(cases: readonly SuiteCase[]): SuiteCase[] {
  return cases.filter((c) => {
    const request = parseRawHttp(c.request);
    const url = new URL(`http://${header(request, 'host')}${request.target}`);
    const duplicated = new Set(request.headers.map(([k]) => k.toLowerCase())).size !== request.headers.length;
    return (
      c.context.normalize && !c.context.sign_body && !c.context.omit_session_token && !duplicated &&
      `${url.pathname}${url.search}` === request.target
    );
  });
}

/** The names {@link urlExpressibleCases} must return for the vendored suite, written out. */
export const URL_EXPRESSIBLE_CASE_NAMES: readonly string[] = [
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
];
