/**
 * URI encoding as SigV4 defines it (RFC 3986): every byte of the UTF-8 form is percent-encoded with upper-case hex,
 * except the unreserved characters `A-Z a-z 0-9 - . _ ~`.
 */

const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

function encode(value: string, keepSlash: boolean): string {
  let out = '';
  // Buffer.from never throws: a lone surrogate becomes U+FFFD, which is what a UTF-8 HTTP stack would put on the wire.
  for (const byte of Buffer.from(value, 'utf8')) {
    if (isUnreserved(byte) || (keepSlash && byte === 0x2f)) out += String.fromCharCode(byte);
    else out += `%${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
  }
  return out;
}

/**
 * Percent-encodes a query key or value, or a single path segment.
 *
 * @param value - the decoded text
 * @returns the RFC 3986 encoding, e.g. `a b/ሴ` → `a%20b%2F%E1%88%B4`
 */
export function uriEncode(value: string): string {
  return encode(value, false);
}

/**
 * Percent-encodes a path, keeping `/` as the segment separator. Applied to a path that is already encoded on the wire,
 * this is the SigV4 "double encoding" of every service except S3 (`/a%20b` → `/a%2520b`).
 *
 * @param path - the path
 * @returns the encoded path, e.g. `/example space/` → `/example%20space/`
 */
export function uriEncodePath(path: string): string {
  return encode(path, true);
}

/**
 * Decodes `%XX` escapes. A value that is not valid percent-encoded UTF-8 is returned unchanged, so that the signer and
 * the verifier, which both use this function, always agree on it. `+` is kept as is (SigV4 does not treat it as a
 * space).
 *
 * @param value - raw text from a query string
 * @returns the decoded text
 */
export function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
