import { createHash, createHmac } from 'node:crypto';

/**
 * The floor of SigV4 header signing in raw `node:crypto`: what any signer must at least do for one request once the
 * signing key is cached (it changes once a day): SHA-256 of the body, SHA-256 of the canonical request, one HMAC of
 * the string to sign, and the string building around them. Specialised to one request shape (method, path and the
 * set of signed header names fixed at creation), so it is a lower bound, not a general signer.
 */

/** What stays the same from one signature to the next. */
export interface FloorConfig {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly service: string;
  /** The signing time (fixes `x-amz-date` and the day of the cached key). */
  readonly signingDate: Date;
  readonly method: string;
  /** The canonical URI (already normalised and encoded). */
  readonly canonicalPath: string;
  /** Names of the signed headers, any case; `x-amz-date` and (with a session token) `x-amz-security-token` included. */
  readonly signedHeaderNames: readonly string[];
}

/** Signs one request: lower-case header name → value (every signed header present), and the body. */
export type FloorSigner = (headers: Readonly<Record<string, string>>, body: string) => string;

/**
 * `YYYYMMDDTHHMMSSZ` for a date.
 *
 * @param date - the signing time
 */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Creates the floor signer. The signing key is derived once here (four HMACs), as a warm signer caches it.
 *
 * @param config - credentials, scope, time and request shape
 * @returns a function giving the request's `Authorization` header value
 */
export function createSigV4Floor(config: FloorConfig): FloorSigner {
  const stamp = amzDate(config.signingDate);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${config.region}/${config.service}/aws4_request`;
  let key: Buffer = Buffer.from(`AWS4${config.secretAccessKey}`, 'utf8');
  for (const part of [day, config.region, config.service, 'aws4_request']) key = createHmac('sha256', key).update(part, 'utf8').digest();
  const names = config.signedHeaderNames.map((name) => name.toLowerCase()).sort();
  const signedHeaders = names.join(';');
  const requestLine = `${config.method}\n${config.canonicalPath}\n\n`;
  const credential = `AWS4-HMAC-SHA256 Credential=${config.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=`;
  const stringToSignPrefix = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n`;
  return (headers, body) => {
    let canonicalHeaders = '';
    for (const name of names) canonicalHeaders += `${name}:${(headers[name] ?? '').trim()}\n`;
    const payloadHash = createHash('sha256').update(body, 'utf8').digest('hex');
    const canonicalRequest = `${requestLine}${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const stringToSign = stringToSignPrefix + createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
    return credential + createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  };
}
