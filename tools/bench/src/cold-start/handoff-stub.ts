import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4Request } from '@slack-ai-app/aws-emulation';

/**
 * The hand-off target of the cold-start children: one loopback server in the benchmark's own process that answers
 * both hand-off paths as AWS would on success, after checking each request's SigV4 signature with
 * `@slack-ai-app/signing` (so a run only counts when the child really signed and sent its hand-off):
 *
 * - `POST /prod/execute` (service `execute-api`): API Gateway's `202 {}`;
 * - `POST /2015-03-31/functions/{name}/invocations` (service `lambda`): the Invoke API's `202` with an empty body.
 */

/** The credentials the children sign with (the local stack's fake role keys, loopback only). */
export interface StubCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
}

/** The two routes the stub answers. */
export type StubRoute = 'execute-api' | 'lambda-invoke';

/** One request the stub received. */
export interface StubRequest {
  readonly route: StubRoute | 'unknown';
  /** Whether its signature verified and it was answered 202. */
  readonly accepted: boolean;
  /** Why not, when it was not. */
  readonly reason: string | undefined;
}

/** A running stub. */
export interface HandoffStub {
  /** `http://127.0.0.1:<port>` (the children's `AWS_ENDPOINT_URL`). */
  readonly origin: string;
  /** The stage URL (the children's `EXECUTION_API_URL`). */
  readonly stageUrl: string;
  /** Returns and forgets the requests received since the last call. */
  take(): StubRequest[];
  close(): Promise<void>;
}

const EXECUTE_PATH = '/prod/execute';
const INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations$/;
/** Bodies larger than this are refused (a hand-off payload is a few KiB). */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts the stub on an ephemeral loopback port.
 *
 * @param options - the credentials the children sign with, and the signing region
 * @returns the running stub
 */
export async function startHandoffStub(options: { credentials: StubCredentials; region: string; principalArn: string }): Promise<HandoffStub> {
  const received: StubRequest[] = [];
  const lookup = (accessKeyId: string) =>
    accessKeyId === options.credentials.accessKeyId
      ? {
          secretAccessKey: options.credentials.secretAccessKey,
          ...(options.credentials.sessionToken === undefined ? {} : { sessionToken: options.credentials.sessionToken }),
          principalArn: options.principalArn,
          callerArn: options.principalArn,
        }
      : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route: StubRoute | 'unknown' = req.method === 'POST' && path === EXECUTE_PATH ? 'execute-api' : req.method === 'POST' && INVOKE_PATH.test(path) ? 'lambda-invoke' : 'unknown';
    if (route === 'unknown') {
      received.push({ route, accepted: false, reason: `${req.method ?? '?'} ${path}` });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      return;
    }
    const verified = await verifySigV4Request(
      { method: req.method ?? 'POST', rawPath: req.url ?? '/', headers: req.headers, body },
      { lookup, service: route === 'execute-api' ? 'execute-api' : 'lambda', region: options.region },
    );
    if (!verified.ok) {
      received.push({ route, accepted: false, reason: verified.error.message });
      res.writeHead(verified.error.status, { 'content-type': 'application/json', 'x-amzn-errortype': verified.error.errorType }).end(verified.error.body);
      return;
    }
    received.push({ route, accepted: true, reason: undefined });
    if (route === 'execute-api') res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    else res.writeHead(202, { 'x-amzn-requestid': 'bench-cold-start' }).end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      received.push({ route: 'unknown', accepted: false, reason: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    stageUrl: `${origin}/prod/`,
    take: () => received.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
