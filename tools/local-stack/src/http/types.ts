import type { IncomingHttpHeaders } from 'node:http';

/** A fully read HTTP request, as every emulator core receives it. */
export interface HttpRequestData {
  /** Upper-case method. */
  readonly method: string;
  /** The request target as received: path plus `?` and the raw query (what SigV4 verification needs). */
  readonly rawPath: string;
  /** The path without the query, not decoded. */
  readonly path: string;
  /** The parsed query. */
  readonly query: URLSearchParams;
  /** Headers as node's `IncomingMessage.headers` (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** The body bytes (empty when there is none). */
  readonly body: Buffer;
  /** The peer address. */
  readonly remoteAddress: string;
}

/** An HTTP answer: a response, a dropped connection (a service that is "down"), or no answer at all ("hang"). */
export type HttpReply =
  | { readonly kind: 'respond'; readonly status: number; readonly headers: Readonly<Record<string, string | readonly string[]>>; readonly body: string | Buffer }
  | { readonly kind: 'drop' }
  | { readonly kind: 'hang' }
  /** A response whose body is written as it is produced (chunked), e.g. an AWS event stream. */
  | { readonly kind: 'stream'; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: AsyncIterable<Buffer> };

/** Handles one request. */
export type HttpHandler = (request: HttpRequestData) => Promise<HttpReply>;

/**
 * Builds a JSON response.
 *
 * @param status - HTTP status
 * @param body - serialised with `JSON.stringify` unless already a string
 * @param headers - extra headers
 */
export function jsonReply(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): HttpReply {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { kind: 'respond', status, headers: { 'content-type': 'application/json', ...headers }, body: text };
}

/**
 * Reads one header as a single string (repeated headers joined with `,`).
 *
 * @param headers - request headers
 * @param name - lower-case header name
 */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Reads a response header of a reply, ignoring case.
 *
 * @param reply - the reply
 * @param name - header name, any case
 */
export function replyHeader(reply: HttpReply, name: string): string | undefined {
  if (reply.kind !== 'respond') return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(reply.headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value.join(',') : (value as string);
  }
  return undefined;
}

/**
 * The reply for a fault that gives no answer: `down` drops the connection, `hang` never answers.
 *
 * @param mode - the fault's mode
 */
export function unanswered(mode: 'down' | 'hang'): HttpReply {
  return mode === 'down' ? { kind: 'drop' } : { kind: 'hang' };
}
