import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The SigV4 algorithm identifier, the only one this library signs or accepts. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** The SigV4 credential-scope terminator. */
export const SIGV4_TERMINATOR = 'aws4_request';

/**
 * @param data - text (hashed as UTF-8) or bytes
 * @returns the lower-case hex SHA-256 digest
 */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Derives the SigV4 signing key: HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`.
 *
 * @param secretAccessKey - the secret key (never logged)
 * @param date - the credential-scope date, `YYYYMMDD`
 * @param region - the credential-scope region
 * @param service - the credential-scope service
 * @returns the 32-byte signing key
 */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  let key: Buffer = Buffer.from(`AWS4${secretAccessKey}`, 'utf8');
  for (const part of [date, region, service, SIGV4_TERMINATOR]) {
    key = createHmac('sha256', key).update(part, 'utf8').digest();
  }
  return key;
}

/**
 * @param key - the signing key
 * @param stringToSign - the SigV4 string to sign
 * @returns the lower-case hex signature
 */
export function signatureHex(key: Buffer, stringToSign: string): string {
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/**
 * Compares two strings in time that depends only on their lengths, never on where they differ. Both are hashed first
 * so that the comparison itself always runs over equal-length buffers.
 *
 * @param a - e.g. the signature the client sent
 * @param b - e.g. the signature the verifier computed
 * @returns whether the strings are equal
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}
