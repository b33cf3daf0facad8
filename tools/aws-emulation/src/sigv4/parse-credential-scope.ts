import { parseAuthorizationHeader } from './authorization-header';
import { SIGV4_ALGORITHM, SIGV4_TERMINATOR } from './sigv4-crypto';

/** The parts of a SigV4 credential, `keyid/date/region/service/aws4_request`. */
export interface CredentialScope {
  /** The access key id. */
  accessKeyId: string;
  /** The scope date, `YYYYMMDD`. */
  date: string;
  /** The scope region, e.g. `us-east-1`. */
  region: string;
  /** The scope service, e.g. `execute-api`. */
  service: string;
}

/**
 * Reads the credential scope of a SigV4 `Authorization` header without verifying anything: a routing aid (e.g. the
 * local stack dispatching on the service). Never throws.
 *
 * @param authorization - the raw `Authorization` header value, or `undefined`
 * @returns the scope, or `undefined` when the header is absent, not `AWS4-HMAC-SHA256`, or its `Credential` is not
 *   five non-empty `/`-separated elements ending with `aws4_request`
 * @example
 * parseCredentialScope('AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=…')
 * // → { accessKeyId: 'AKID', date: '20150830', region: 'us-east-1', service: 'execute-api' }
 */
export function parseCredentialScope(authorization: string | undefined): CredentialScope | undefined {
  if (authorization === undefined) return undefined;
  const parsed = parseAuthorizationHeader(authorization);
  if (!parsed.ok || parsed.value.algorithm !== SIGV4_ALGORITHM) return undefined;
  const credential = parsed.value.parameters.get('Credential');
  if (credential === undefined) return undefined;
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((part) => part === '')) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== SIGV4_TERMINATOR) return undefined;
  return { accessKeyId, date, region, service };
}
