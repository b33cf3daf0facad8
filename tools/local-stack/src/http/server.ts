import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants as http2Constants, createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { ActivityTracker } from '../activity';
import { LOOPBACK } from '../constants';
import type { HttpHandler, HttpReply, HttpRequestData } from './types';

/** Thrown when a server cannot listen (port taken, or not a loopback address). */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
}

/** A running loopback HTTP server. */
export interface LocalHttpServer {
  /** Short name used in logs and errors (`slack`, `aws`, `slack-api`, …). */
  readonly name: string;
  /** The port it listens on (resolved when 0 was asked). */
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Stops listening and destroys every open connection (including requests left hanging). */
  close(): Promise<void>;
}

/** Options of {@link startHttpServer}. */
export interface StartHttpServerOptions {
  readonly name: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  readonly handler: HttpHandler;
  /** Counts each request while it is being answered (except the `/_local/` inspection routes). */
  readonly activity?: ActivityTracker;
  /** Larger bodies are refused with 413. @default 6 MiB (Lambda's synchronous payload limit) */
  readonly maxBodyBytes?: number;
  /** Called when a handler throws (the client gets a 500). */
  readonly onHandlerError?: (error: unknown, request: HttpRequestData) => void;
  /** Extra loopback address to listen on with the same port, best effort (e.g. `::1` for `localhost` clients). */
  readonly alsoListenOn?: string;
}

const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;

/** The HTTP/2 connection preface starts with these bytes; no HTTP/1 request line does. */
const HTTP2_PREFACE_START = Buffer.from('PRI', 'latin1');

/**
 * Hands a new connection to the HTTP/1.1 server, or to the cleartext HTTP/2 (h2c, prior knowledge) server when it
 * opens with the HTTP/2 preface. Some AWS SDK clients (Bedrock Runtime) speak HTTP/2 by default, also to an `http://`
 * endpoint, so the local AWS endpoint must answer both on one port, as the real endpoints do.
 */
function dispatch(socket: Socket, http1: { emit(event: 'connection', socket: Socket): boolean }, http2: { emit(event: 'connection', socket: Socket): boolean }): void {
  let seen = Buffer.alloc(0);
  const onReadable = () => {
    const chunk = socket.read() as Buffer | null;
    if (chunk !== null) seen = Buffer.concat([seen, chunk]);
    if (seen.length < HTTP2_PREFACE_START.length) {
      socket.once('readable', onReadable);
      return;
    }
    socket.unshift(seen);
    (seen.subarray(0, HTTP2_PREFACE_START.length).equals(HTTP2_PREFACE_START) ? http2 : http1).emit('connection', socket);
  };
  socket.once('readable', onReadable);
}

/**
 * Starts an HTTP server on 127.0.0.1 that reads each request fully and hands it to `handler`.
 *
 * @param options - name, port, handler
 * @returns the running server
 * @throws {@link ServerStartError} when the port cannot be bound
 */
export async function startHttpServer(options: StartHttpServerOptions): Promise<LocalHttpServer> {
  const sockets = new Set<Socket>();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    // The stack's own inspection routes (long polls, the idle wait itself) are not work in flight.
    const end = path.startsWith('/_local/') ? undefined : options.activity?.begin(`http ${options.name} ${req.method ?? '?'} ${path}`);
    res.on('close', () => end?.());
    void serve(req, res, options.handler, maxBodyBytes, options.onHandlerError);
  };
  const http1 = createHttp1Server(onRequest);
  const http2 = createHttp2Server(onRequest);
  const servers: Server[] = [];
  const track = (server: Server) => {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      dispatch(socket, http1, http2);
    });
    servers.push(server);
    return server;
  };

  const main = track(createNetServer());
  const port = await listen(main, LOOPBACK, options.port, options.name);
  if (options.alsoListenOn !== undefined) {
    const extra = createNetServer();
    try {
      await listen(extra, options.alsoListenOn, port, options.name);
      track(extra);
    } catch {
      // Best effort: a machine without IPv6 loopback simply has no second listener.
    }
  }

  return {
    name: options.name,
    port,
    origin: `http://${LOOPBACK}:${port}`,
    close: async () => {
      const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
      // server.close() waits for open connections; keep-alive sockets and hanging requests are ended here.
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
    },
  };
}

function listen(server: Server, host: string, port: number, name: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? ` (port ${port} is in use; pick another with the port variables in the README)` : '';
      reject(new ServerStartError(`the ${name} server could not listen on ${host}:${port}${hint}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

async function serve(
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
  handler: HttpHandler,
  maxBodyBytes: number,
  onHandlerError: StartHttpServerOptions['onHandlerError'],
): Promise<void> {
  const body = await readBody(req, maxBodyBytes);
  if (body === 'too_large') {
    write(res, { kind: 'respond', status: 413, headers: { 'content-type': 'application/json' }, body: '{"message":"Request Too Long"}' });
    return;
  }
  if (body === 'aborted') return;
  const distinct = 'headersDistinct' in req ? (req as IncomingMessage).headersDistinct : undefined;
  if ((distinct?.['host']?.length ?? 0) > 1) {
    // RFC 9112 §3.2: a request with more than one Host field is answered 400, before any routing or auth.
    write(res, { kind: 'respond', status: 400, headers: { 'content-type': 'application/json' }, body: '{"message":"Bad Request"}' });
    return;
  }
  const rawPath = req.url ?? '/';
  const queryAt = rawPath.indexOf('?');
  const request: HttpRequestData = {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath,
    path: queryAt === -1 ? rawPath : rawPath.slice(0, queryAt),
    query: new URLSearchParams(queryAt === -1 ? '' : rawPath.slice(queryAt + 1)),
    headers: plainHeaders(req.headers, distinct),
    body,
    remoteAddress: req.socket.remoteAddress ?? LOOPBACK,
  };
  let reply: HttpReply;
  try {
    reply = await handler(request);
  } catch (error) {
    onHandlerError?.(error, request);
    reply = {
      kind: 'respond',
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'local stack internal error (see the stack output)' }),
    };
  }
  write(res, reply);
}

function write(res: ServerResponse | Http2ServerResponse, reply: HttpReply): void {
  if ('stream' in res ? res.stream.destroyed : res.destroyed) return;
  if (reply.kind === 'drop') {
    // HTTP/2: reset this stream only (other requests share the connection); HTTP/1: drop the connection.
    if ('stream' in res) res.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
    else res.socket?.destroy();
    return;
  }
  if (reply.kind === 'hang') return; // left open until the client gives up or the server closes
  if (reply.kind === 'stream') {
    void writeStream(res, reply);
    return;
  }
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  // HTTP/2 requires lower-case field names; HTTP/1 keeps API Gateway's spelling (e.g. `x-amzn-ErrorType`).
  const http2 = 'stream' in res;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(reply.headers)) headers[http2 ? name.toLowerCase() : name] = typeof value === 'string' ? value : [...value];
  headers['content-length'] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(body);
}

async function writeStream(res: ServerResponse | Http2ServerResponse, reply: Extract<HttpReply, { kind: 'stream' }>): Promise<void> {
  const http2 = 'stream' in res;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers)) headers[http2 ? name.toLowerCase() : name] = value;
  res.writeHead(reply.status, headers);
  try {
    for await (const chunk of reply.body) {
      if ('stream' in res ? res.stream.destroyed : res.destroyed) return;
      (res as ServerResponse).write(chunk);
    }
    res.end();
  } catch {
    // The producer failed mid-body: the client sees the connection cut short, as with a real service.
    if ('stream' in res) res.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
    else res.destroy();
  }
}

/**
 * Request headers without the HTTP/2 pseudo-headers `:method`, `:path` and `:scheme`. `:authority` is kept, because
 * HTTP/2 SDK clients sign it in place of `host` (SigV4 `SignedHeaders=:authority;…`); `host` is set from it when absent.
 * A repeated Authorization field is kept whole (see below) instead of node's first-one-wins.
 */
function plainHeaders(headers: IncomingMessage['headers'], distinct?: IncomingMessage['headersDistinct']): IncomingMessage['headers'] {
  const plain: IncomingMessage['headers'] = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith(':') || name === ':authority') plain[name] = value;
  // Node keeps only the first Authorization field of a request; a second one must not be silently ignored. Both are
  // passed on, joined as SigV4 joins repeated fields, so the gateway refuses the request as API Gateway would.
  const authorizations = distinct?.['authorization'];
  if (authorizations !== undefined && authorizations.length > 1) plain.authorization = authorizations.join(',');
  const authority = headers[':authority'];
  if (plain.host === undefined && typeof authority === 'string') plain.host = authority;
  return plain;
}

function readBody(req: IncomingMessage | Http2ServerRequest, maxBodyBytes: number): Promise<Buffer | 'too_large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', () => resolve('aborted'));
    req.on('aborted', () => resolve('aborted'));
  });
}
