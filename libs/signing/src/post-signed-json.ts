import * as http from 'node:http';
import * as https from 'node:https';
import { NetworkError, RequestTimeoutError, SigningError } from './errors';
import type { RequestSigner, SignedRequest } from './request-signer';

/** The answer to {@link postSignedJson}, whatever its status. */
export interface SignedJsonResponse {
  /** The HTTP status, e.g. 202 or 403. */
  status: number;
  /** Response headers with lower-case names; a repeated header's values are joined with `, `. */
  headers: Record<string, string>;
  /** The body, decoded as UTF-8. */
  body: string;
}

/** Options of {@link postSignedJson}. */
export interface PostSignedJsonOptions {
  /** The absolute `http:` or `https:` URL. */
  url: string;
  /** The payload, sent as `JSON.stringify(body)`. */
  body: unknown;
  /** Signs the request (service, region, credentials). */
  signer: RequestSigner;
  /** The budget for the whole exchange, connect to last body byte, in milliseconds. */
  timeoutMs: number;
  /** Extra headers, signed too. `content-type` and `content-length` are always set by this function. */
  headers?: Record<string, string>;
  /** The connection pool. Default: a module-level keep-alive agent per protocol, shared by all calls. */
  agent?: http.Agent;
}

let defaultHttpAgent: http.Agent | undefined;
let defaultHttpsAgent: https.Agent | undefined;

function defaultAgent(protocol: string): http.Agent {
  // Created on first use and then shared, so that a warm Lambda reuses its connection to the API.
  if (protocol === 'https:') return (defaultHttpsAgent ??= new https.Agent({ keepAlive: true }));
  return (defaultHttpAgent ??= new http.Agent({ keepAlive: true }));
}

/**
 * Sends a SigV4-signed JSON `POST` and reads the whole response.
 *
 * The body is `JSON.stringify(options.body)` with `content-type: application/json` and an exact `content-length`, all
 * signed. The connection comes from a keep-alive agent that is reused across calls. `timeoutMs` covers the whole
 * exchange (connect, send, response headers and body; not credential resolution); when it elapses the socket is
 * destroyed. Any status is returned, not thrown.
 *
 * @param options - URL, payload, signer, timeout, extra headers, agent
 * @returns status, lower-cased headers and body
 * @throws SigningError when the URL is not http(s), the body is not JSON-serialisable, or signing fails (nothing sent)
 * @throws RequestTimeoutError when no complete response arrived within `timeoutMs`
 * @throws NetworkError when the connection was refused, reset, or closed before the response was complete (a reset of a
 *   reused keep-alive socket before any response is retried once on a new connection first)
 * @example
 * const response = await postSignedJson({ url: process.env.EXECUTION_API_URL!, body: request, signer, timeoutMs: 2000 });
 * if (response.status !== 202) throw new Error(`execution API answered ${response.status}`);
 */
export async function postSignedJson(options: PostSignedJsonOptions): Promise<SignedJsonResponse> {
  if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new RangeError(`timeoutMs must be a positive number of milliseconds, got ${options.timeoutMs}`);
  }
  let protocol: string;
  try {
    protocol = new URL(options.url).protocol;
  } catch (error) {
    throw new SigningError('cannot send: the URL is not a valid absolute URL', { cause: error });
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new SigningError(`cannot send: unsupported protocol ${protocol} (only http: and https:)`);
  }
  let payload: string | undefined;
  try {
    payload = JSON.stringify(options.body);
  } catch (error) {
    throw new SigningError('cannot send: the body is not JSON-serialisable', { cause: error });
  }
  if (payload === undefined) {
    throw new SigningError('cannot send: the body is not JSON-serialisable (it serialises to nothing)');
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower !== 'content-type' && lower !== 'content-length') headers[name] = value;
  }
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(payload, 'utf8'));

  const signed = await options.signer.sign({ method: 'POST', url: options.url, headers, body: payload });
  const agent = options.agent ?? defaultAgent(protocol);
  const deadline = Date.now() + options.timeoutMs;
  try {
    return await exchange(signed, options.timeoutMs, agent);
  } catch (error) {
    // A kept-alive socket can be closed by the server while a Lambda container is frozen; the next request on it
    // then fails before any response. Nothing was processed, so it is retried once on a fresh connection, within
    // the same budget (Node's documented pattern for `request.reusedSocket`). Any other failure is the caller's.
    const remaining = deadline - Date.now();
    if (!staleSocketFailures.has(error as Error) || remaining <= 0) throw error;
    return exchange(signed, remaining, agent);
  }
}

/** Failures on a reused keep-alive socket before any response: safe to retry once on a new connection. */
const staleSocketFailures = new WeakSet<Error>();
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

function exchange(request: SignedRequest, timeoutMs: number, agent: http.Agent): Promise<SignedJsonResponse> {
  // Names the request without its query or headers, which may carry credentials.
  const target = `${request.method} ${request.url.origin}${request.url.pathname}`;
  const transport = request.url.protocol === 'https:' ? https : http;
  return new Promise<SignedJsonResponse>((resolve, reject) => {
    let settled = false;
    let phase = 'connection';
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    let responded = false;
    const failNetwork = (error: Error): void => {
      const code = (error as NodeJS.ErrnoException).code;
      const failure = new NetworkError(`${target} failed: ${code ?? error.message}`, { cause: error, code });
      if (req.reusedSocket && !responded && code !== undefined && STALE_SOCKET_CODES.has(code)) staleSocketFailures.add(failure);
      settle(() => reject(failure));
    };

    const req = transport.request(request.url, { method: request.method, headers: request.headers, agent });
    const timer = setTimeout(() => {
      const cause = new Error(`no complete response within ${timeoutMs} ms; still waiting for the ${phase}`);
      settle(() => reject(new RequestTimeoutError(`${target} timed out after ${timeoutMs} ms`, timeoutMs, { cause })));
      req.destroy(cause);
    }, timeoutMs);

    req.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => (phase = 'response headers'));
      else phase = 'response headers';
    });
    req.on('error', failNetwork);
    req.on('response', (res) => {
      responded = true;
      phase = 'response body';
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', failNetwork);
      res.on('close', () => {
        if (!res.complete) failNetwork(new Error('the connection closed before the response body was complete'));
      });
      res.on('end', () => {
        const response = {
          status: res.statusCode ?? 0,
          headers: flattenHeaders(res.headers),
          body: Buffer.concat(chunks).toString('utf8'),
        };
        settle(() => resolve(response));
      });
    });
    req.end(request.body);
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
