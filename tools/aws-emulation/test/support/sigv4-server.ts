import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4Request, type KnownCredential } from '../../src';

/**
 * How the test server answers the next requests. `reset-once` drops the connection of the next request without an
 * answer (as a server that closed an idle keep-alive socket), then goes back to `verify`.
 */
export type ServerMode = 'verify' | 'hang' | 'partial-body' | 'reset' | 'reset-once';

/** What the server saw of one request. */
export interface SeenRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The access key of a request that verified. */
  accessKeyId?: string;
}

/** A real HTTP server on 127.0.0.1 that authenticates with verifySigV4Request, like the local API Gateway. */
export interface SigV4TestServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly origin: string;
  /** How the server answers; change it between requests. */
  mode: ServerMode;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Requests seen, in order. */
  readonly seen: SeenRequest[];
  /** Resolves once every connection accepted so far has closed (never, if a client leaves one open). */
  allConnectionsClosed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the server. Verified requests get 200 and `{"accessKeyId", "principalArn", "received"}`; failures get the
 * verifier's 403 with `x-amzn-ErrorType` and its exact body.
 */
export async function startSigV4Server(lookup: (accessKeyId: string) => KnownCredential | undefined): Promise<SigV4TestServer> {
  let connections = 0;
  const seen: SeenRequest[] = [];
  const closed: Array<Promise<void>> = [];
  const state = { mode: 'verify' as ServerMode };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const record: SeenRequest = { headers: req.headers, body: body.toString('utf8') };
      seen.push(record);
      if (state.mode === 'reset' || state.mode === 'reset-once') {
        if (state.mode === 'reset-once') state.mode = 'verify';
        req.socket.destroy();
        return;
      }
      if (state.mode === 'hang' || state.mode === 'partial-body') {
        if (state.mode === 'partial-body') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"partial":');
        }
        return;
      }
      void verifySigV4Request(
        { method: req.method ?? '', rawPath: req.url ?? '', headers: req.headersDistinct, body },
        { lookup, region: 'us-east-1' },
      ).then((result) => {
        if (!result.ok) {
          res.writeHead(result.error.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': result.error.errorType });
          res.end(result.error.body);
          return;
        }
        record.accessKeyId = result.accessKeyId;
        res.writeHead(200, { 'content-type': 'application/json', 'X-Custom-Header': 'custom' });
        res.end(JSON.stringify({ accessKeyId: result.accessKeyId, principalArn: result.principalArn, received: JSON.parse(record.body) as unknown }));
      });
    });
  });
  server.on('connection', (socket) => {
    connections += 1;
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(mode: ServerMode) {
      state.mode = mode;
    },
    get connections() {
      return connections;
    },
    seen,
    allConnectionsClosed: async () => {
      await Promise.all(closed);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound once by the OS, then released). */
export async function unusedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
