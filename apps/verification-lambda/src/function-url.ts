/**
 * Lambda Function URL (payload format 2.0) in and out: header normalisation, body decoding with a size limit, and JSON
 * responses.
 */

/**
 * The largest decoded body accepted, in bytes (256 KiB). Slack's Events API payloads are a few KiB; anything larger is
 * refused with 413 before any HMAC work.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** The response shape a Function URL expects. */
export interface FunctionUrlResponse {
  readonly statusCode: number;
  readonly headers: { readonly 'content-type': 'application/json' };
  readonly body: string;
}

/** A Function URL request reduced to what verification needs. */
export interface InboundRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Header values by lower-cased name; repeated names are joined with `,` as HTTP allows. */
  readonly headers: ReadonlyMap<string, string>;
  /** The raw body bytes, base64-decoded when the event said so; `undefined` when there is none. */
  readonly body: Buffer | undefined;
}

/** The outcome of {@link readFunctionUrlRequest}. */
export type InboundRequestResult =
  | { readonly ok: true; readonly request: InboundRequest }
  | { readonly ok: false; readonly statusCode: 400 | 405 | 413; readonly error: string };

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads a Function URL event defensively: any input, however malformed, gives a result and never throws.
 *
 * - Only `POST` is accepted (405 otherwise).
 * - Header names are matched case-insensitively (Function URLs lower-case them already; tests and other fronts may not).
 * - A body over {@link MAX_BODY_BYTES} after decoding gives 413; a body flagged base64 that is not base64 gives 400.
 *
 * @param event - the raw Lambda event
 * @returns the normalised request, or the 4xx status and message to answer
 */
export function readFunctionUrlRequest(event: unknown): InboundRequestResult {
  if (!isRecord(event)) return { ok: false, statusCode: 400, error: 'request is not a Function URL event' };
  const http = isRecord(event['requestContext']) ? event['requestContext']['http'] : undefined;
  const method = isRecord(http) && typeof http['method'] === 'string' ? http['method'].toUpperCase() : undefined;
  if (method === undefined) return { ok: false, statusCode: 400, error: 'request is not a Function URL event' };
  if (method !== 'POST') return { ok: false, statusCode: 405, error: `method ${truncate(method, 16)} not allowed; use POST` };

  const headers = normaliseHeaders(event['headers']);
  const rawBody = event['body'];
  if (rawBody === undefined || rawBody === null) return { ok: true, request: { method, headers, body: undefined } };
  if (typeof rawBody !== 'string') return { ok: false, statusCode: 400, error: 'request body is not a string' };

  const body = decodeBody(rawBody, event['isBase64Encoded'] === true);
  if (!body.ok) return body;
  return { ok: true, request: { method, headers, body: body.value } };
}

/**
 * Builds a JSON response with `content-type: application/json`.
 *
 * @param statusCode - HTTP status
 * @param body - serialised with `JSON.stringify`
 */
export function jsonResponse(statusCode: number, body: Readonly<Record<string, unknown>>): FunctionUrlResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A JSON error response: `{"error": message}`. */
export function errorResponse(statusCode: number, message: string): FunctionUrlResponse {
  return jsonResponse(statusCode, { error: message });
}

function decodeBody(
  rawBody: string,
  isBase64: boolean,
): { ok: true; value: Buffer } | { ok: false; statusCode: 400 | 413; error: string } {
  const tooLarge = { ok: false, statusCode: 413, error: `request body exceeds ${MAX_BODY_BYTES} bytes` } as const;
  if (!isBase64) {
    // A UTF-16 unit is at least one UTF-8 byte, so a string this long is too large whatever it holds.
    if (rawBody.length > MAX_BODY_BYTES) return tooLarge;
    const value = Buffer.from(rawBody, 'utf8');
    return value.length > MAX_BODY_BYTES ? tooLarge : { ok: true, value };
  }
  if (Math.floor((rawBody.length * 3) / 4) > MAX_BODY_BYTES + 2) return tooLarge;
  if (rawBody.length % 4 !== 0 || !BASE64_PATTERN.test(rawBody)) {
    return { ok: false, statusCode: 400, error: 'request body is flagged isBase64Encoded but is not valid base64' };
  }
  const value = Buffer.from(rawBody, 'base64');
  return value.length > MAX_BODY_BYTES ? tooLarge : { ok: true, value };
}

function normaliseHeaders(raw: unknown): ReadonlyMap<string, string> {
  const headers = new Map<string, string>();
  if (!isRecord(raw)) return headers;
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    const key = name.toLowerCase();
    const previous = headers.get(key);
    headers.set(key, previous === undefined ? value : `${previous},${value}`);
  }
  return headers;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
