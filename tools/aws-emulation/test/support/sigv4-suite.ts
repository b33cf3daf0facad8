import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The AWS SigV4 test suite (awslabs/aws-c-auth), vendored in `<workspaceRoot>/fixtures/sigv4/v4`, one folder per case. */
export const SIGV4_SUITE_DIR = path.resolve(__dirname, '../../../../fixtures/sigv4/v4');

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
