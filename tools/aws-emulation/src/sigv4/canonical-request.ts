import { type PathMode, parseRawQuery, uriEncode, uriEncodePath } from '@slack-ai-app/signing';
import { splitRequestTarget } from './request-target';
import { SIGV4_ALGORITHM } from './sigv4-crypto';

/** How the canonical URI is derived from the wire path (the signer's own definition). */
export type { PathMode };

/** A request's headers as node gives them (`IncomingMessage.headers` or `headersDistinct`), any name case. */
export type RawHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What the verifier needs to rebuild a canonical request from a request as received. */
export interface CanonicalRequestInput {
  /** The HTTP method as received. */
  method: string;
  /** The request target as received: raw path, then `?` and the raw query when there is one. */
  rawPath: string;
  /** Header values by lower-case name, from {@link collectHeaders}. */
  headers: ReadonlyMap<string, string>;
  /** The signed header names, as the client listed them (lower-case and sorted for any conforming signer). */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body as received. */
  payloadHash: string;
  /** How to derive the canonical URI. */
  pathMode: PathMode;
  /** Query parameters left out of the canonical query (`X-Amz-Signature` for query-string auth), by exact name. */
  omitQueryParams?: ReadonlySet<string>;
}

/**
 * Normalises a header value the SigV4 way: line breaks become spaces, runs of spaces and tabs become one space, and
 * leading and trailing spaces go.
 *
 * @param value - the raw value
 * @returns the canonical value, e.g. ` "a   b   c"` → `"a b c"`
 */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * Indexes a request's headers by lower-case name. Repeated headers (a `string[]` value, or the same name in two cases)
 * become one value: each occurrence normalised by {@link canonicalHeaderValue}, then joined with `,` as SigV4
 * requires. Pass node's `headersDistinct` to keep repeated headers apart; `headers` has already joined them with `, `.
 *
 * @param headers - the headers as received
 * @returns lower-case name → value
 */
export function collectHeaders(headers: RawHeaders): Map<string, string> {
  const lists = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const list = lists.get(key) ?? [];
    if (typeof value === 'string') list.push(canonicalHeaderValue(value));
    else for (const item of value) list.push(canonicalHeaderValue(item));
    lists.set(key, list);
  }
  const collected = new Map<string, string>();
  for (const [name, list] of lists) collected.set(name, list.join(','));
  return collected;
}

/**
 * Derives the canonical URI from a raw path.
 *
 * @param rawPath - the path as received (no query)
 * @param mode - see {@link PathMode}
 * @returns the canonical URI, e.g. `/example/..` → `/` and `/a%20b` → `/a%2520b` in `normalize` mode
 */
export function canonicalPath(rawPath: string, mode: PathMode): string {
  if (mode === 'as-is') return rawPath;
  if (mode === 'encode') return uriEncodePath(rawPath);
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = rawPath.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return uriEncodePath(`${leading}${segments.join('/')}${trailing}`);
}

/**
 * Builds the canonical query: every parameter decoded then URI-encoded, sorted by encoded name then encoded value,
 * joined with `&`; a parameter without a value appears as `name=`.
 *
 * @param rawQuery - the query as received, without `?`
 * @param omit - parameter names to leave out (exact match)
 * @returns the canonical query, e.g. `Param2=value2&Param1=value1` → `Param1=value1&Param2=value2`
 */
export function canonicalQuery(rawQuery: string, omit: ReadonlySet<string> = new Set()): string {
  const encoded = parseRawQuery(rawQuery)
    .filter(([name]) => !omit.has(name))
    .map(([name, value]): [string, string] => [uriEncode(name), uriEncode(value)]);
  encoded.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  // Encoded strings are ASCII, so code-unit order is byte order, as SigV4 requires.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Builds the SigV4 canonical request from a request as received.
 *
 * @param input - the received request and the client's signed-header list
 * @returns `METHOD\nURI\nQUERY\nheaders…\n\nsigned;headers\npayloadHash`
 */
export function buildCanonicalRequest(input: CanonicalRequestInput): string {
  const { path, query } = splitRequestTarget(input.rawPath);
  // Names are printed as the client listed them (lower-case for any conforming signer) and looked up in any case.
  const headerLines = input.signedHeaders
    .map((name) => `${name}:${input.headers.get(name.toLowerCase()) ?? ''}\n`)
    .join('');
  return [
    input.method,
    canonicalPath(path, input.pathMode),
    canonicalQuery(query, input.omitQueryParams),
    headerLines,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

/**
 * Builds the SigV4 string to sign.
 *
 * @param amzDate - the request time stamp, `YYYYMMDDTHHMMSSZ`
 * @param scope - `date/region/service/aws4_request`
 * @param canonicalRequestHash - hex SHA-256 of the canonical request
 * @returns `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hash>`
 */
export function buildStringToSign(amzDate: string, scope: string, canonicalRequestHash: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${canonicalRequestHash}`;
}
