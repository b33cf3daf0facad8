import { connect } from 'node:net';

/**
 * A raw HTTP/1.1 client over `node:net`: it writes exactly the bytes it is given, so a test can send what no
 * well-behaved client would (a header twice, two `Authorization` headers, names in odd case, a `Host` that differs from
 * the signed one, a dot-segment path), and reads the whole answer back.
 */

/** A request, byte for byte: header names are sent as written, in order, duplicates included. */
export interface RawRequest {
  readonly method: string;
  /** The request target as sent: path and query, never normalised. */
  readonly target: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer | string;
}

/** The answer, as received. */
export interface RawResponse {
  readonly status: number;
  /** Header lines in order, names as received. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** The body as UTF-8. */
  readonly text: string;
  /** The first value of a header, any case. */
  header(name: string): string | undefined;
}

/** Thrown when no complete answer arrives. */
export class RawHttpError extends Error {
  override readonly name = 'RawHttpError';
}

/** Bound on one exchange (a hung server is a failure, not a wait). */
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Serialises a request exactly; adds only `Connection: close` (so the answer ends with the connection) when the
 * request has no `Connection` header.
 *
 * @param request - method, target, headers, body
 * @returns the bytes to write
 */
export function serialiseRequest(request: RawRequest): Buffer {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const headers = [...request.headers];
  if (!headers.some(([name]) => name.toLowerCase() === 'connection')) headers.push(['Connection', 'close']);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/**
 * Sends one request on a new connection and reads the answer until the server closes it.
 *
 * @param port - the loopback port
 * @param request - the exact request
 * @param timeoutMs - bound on the whole exchange
 * @throws {@link RawHttpError} when the connection fails before a complete answer, or the bound passes
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RawResponse> {
  const bytes = serialiseRequest(request);
  return new Promise<RawResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parseResponse(Buffer.concat(chunks));
      if (parsed !== undefined) resolve(parsed);
      else reject(new RawHttpError(`no complete HTTP answer from 127.0.0.1:${port} for ${request.method} ${request.target}${error ? `: ${error.message}` : ''}`));
    };
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // A server may answer (413, 400) and close before the whole body is written: the answer still counts.
    socket.on('error', (error) => finish(error));
    socket.write(bytes);
  });
}

/**
 * Parses a complete HTTP/1.1 answer (status line, headers, then a `Content-Length` or chunked body, or the rest).
 *
 * @param data - everything received
 * @returns the answer, or `undefined` when it is incomplete
 */
export function parseResponse(data: Buffer): RawResponse | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const statusMatch = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (statusMatch === null) return undefined;
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  const rest = data.subarray(headEnd + 4);
  let body: Buffer | undefined;
  if ((header('transfer-encoding') ?? '').toLowerCase().includes('chunked')) body = dechunk(rest);
  else if (header('content-length') !== undefined) {
    const length = Number(header('content-length'));
    body = rest.length >= length ? rest.subarray(0, length) : undefined;
  } else body = rest;
  if (body === undefined) return undefined;
  const complete = body;
  return { status: Number(statusMatch[1]), headers, body: complete, text: complete.toString('utf8'), header };
}

function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd === -1) return undefined;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (data.length < start + size) return undefined;
    parts.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
}
