import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { LOOPBACK, SLACK_IDS } from '../constants';
import { REDEPLOY_CONTEXT_KEYS, RedeployContextError, type RedeployContext } from '../redeploy';
import type { LocalStack } from '../stack';
import type { TraceEntry } from '../trace';
import { CONSOLE_EVENTS, CONSOLE_TOKEN_HEADER } from './api-types';
import { guardRequest, refusalMessage } from './guard';
import { ConsoleIamQueryError, consolePrincipals, decide } from './iam';
import { consoleResources } from './resources';
import { consoleState } from './state';
import { buildTimeline } from './timeline';

/** Thrown when the console's built page is missing or its port cannot be bound. */
export class ConsoleStartError extends Error {
  override readonly name = 'ConsoleStartError';
}

/** Options of {@link startConsole}. */
export interface ConsoleOptions {
  /** The running stack the console shows and controls. */
  readonly stack: LocalStack;
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** The built page (`index.html`, `main.js`, `styles.css`): `dist/tools/local-stack-console`. */
  readonly assetsDir: string;
}

/** A running console. */
export interface LocalConsole {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** Stops the server and ends every live-update stream. */
  close(): Promise<void>;
}

/** Content types of the page's assets. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};
/** Every asset is local; the page may talk only to its own origin. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
/** Live updates are coalesced: at most one `changed` event per this many ms. */
const PUSH_INTERVAL_MS = 100;
/** A comment line keeps idle streams open through proxies and lets the browser notice a dead server. */
const HEARTBEAT_MS = 15_000;
const MAX_BODY_BYTES = 64 * 1024;
/** Marker in index.html replaced by the session token. */
const TOKEN_MARKER = '__CONSOLE_SESSION_TOKEN__';

/**
 * Starts the local console: the page, its JSON API and its live-update stream (server-sent events), on 127.0.0.1
 * only. Requests for another `Host` or from another `Origin` are refused with 403, and every control request
 * (anything but GET) must carry the page's per-session token in `x-console-token`.
 *
 * @param options - the stack, the port, the built page
 * @throws {@link ConsoleStartError} when the page has not been built or the port is taken
 */
export async function startConsole(options: ConsoleOptions): Promise<LocalConsole> {
  const { stack } = options;
  const assets = readAssets(options.assetsDir);
  const token = randomBytes(24).toString('base64url');
  /** The event id each user message was delivered with (`channel ts` → id), and back: from the page, the demo or curl. */
  const eventIds = new Map<string, string>();
  const postedAs = new Map<string, { channel: string; ts: string }>();
  const remember = (entry: TraceEntry) => {
    if (entry.kind !== 'slack_delivery' || entry.eventId === undefined || entry.message === undefined || postedAs.has(entry.eventId)) return;
    eventIds.set(`${entry.message.channel} ${entry.message.ts}`, entry.eventId);
    postedAs.set(entry.eventId, entry.message);
  };
  for (const entry of stack.trace.entries()) remember(entry);
  const resources = consoleResources(stack);
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  let pending: NodeJS.Timeout | undefined;
  const notify = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      for (const stream of streams) stream.write(`event: ${CONSOLE_EVENTS.changed}\ndata: {}\n\n`);
    }, PUSH_INTERVAL_MS);
  };
  const unsubscribe = [
    stack.trace.subscribe((entry) => {
      remember(entry);
      notify();
    }),
    stack.logs.subscribe(notify),
    // Every visible change of a bot message: posted, each streamed part, stopped, updated.
    stack.slack.workspace.onBotText(notify),
  ];
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': heartbeat\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: `console error: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ConsoleStartError(`the console could not listen on ${LOOPBACK}:${options.port}${error.code === 'EADDRINUSE' ? ' (port in use; set LOCAL_STACK_CONSOLE_PORT)' : ''}`, { cause: error })),
    );
    server.listen(options.port, LOOPBACK, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : options.port);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const refusal = guardRequest(
      { method, host: req.headers.host, origin: req.headers.origin, token: header(req, CONSOLE_TOKEN_HEADER), control: method !== 'GET' && method !== 'HEAD' },
      port,
      token,
    );
    if (refusal !== undefined) return send(res, 403, { message: refusalMessage(refusal) });
    const body = method === 'GET' ? undefined : await readJson(req);
    if (body instanceof Error) return send(res, 400, { message: body.message });
    const route = `${method} ${url.pathname}`;

    if (route === 'GET /' || route === 'GET /index.html') return sendAsset(res, '.html', Buffer.from((assets.get('index.html') as Buffer).toString('utf8').replace(TOKEN_MARKER, token)));
    if (method === 'GET' && url.pathname.startsWith('/assets/')) {
      const name = url.pathname.slice('/assets/'.length);
      const asset = assets.get(name);
      return asset === undefined || name === 'index.html' ? send(res, 404, { message: `no asset ${name}` }) : sendAsset(res, name.slice(name.lastIndexOf('.')), asset);
    }
    if (route === 'GET /api/state') return send(res, 200, consoleState(stack, (channel, ts) => eventIds.get(`${channel} ${ts}`)));
    if (route === 'GET /api/trace') {
      const eventId = url.searchParams.get('event_id');
      if (eventId === null || eventId === '') return send(res, 400, { message: 'event_id is required' });
      return send(res, 200, timelineOf(eventId));
    }
    if (route === 'GET /api/events') return openStream(req, res);
    if (route === 'GET /api/principals') {
      return send(res, 200, {
        principals: consolePrincipals(stack.credentials.principals),
        resources,
        // Every resource of the cloud assembly, with its physical id, and what has no local counterpart.
        assembly: stack.deployment.resources.map((r) => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId })),
        notEmulated: stack.deployment.notEmulated,
      });
    }
    if (route === 'GET /api/iam/decide') {
      try {
        return send(res, 200, decide({ principal: url.searchParams.get('principal') ?? '', action: url.searchParams.get('action') ?? '', resource: url.searchParams.get('resource') ?? '' }, stack.credentials.principals, resources));
      } catch (error) {
        if (error instanceof ConsoleIamQueryError) return send(res, 400, { message: error.message });
        throw error;
      }
    }
    if (route === 'POST /api/messages') return postMessage(res, body ?? {});
    if (route === 'PUT /api/deployment') return redeploy(res, body ?? {});
    if (route === 'PUT /api/model') return setModel(res, body ?? {});
    if (url.pathname === '/api/faults' || url.pathname.startsWith('/api/faults/')) return forwardFault(res, method, url.pathname.slice('/api'.length), body);
    return send(res, 404, { message: `no console route ${route}` });
  }

  function timelineOf(eventId: string) {
    const trace = stack.trace.forEvent(eventId);
    const { channel, ts } = postedAs.get(eventId) ?? {};
    const threadTs = channel === undefined ? undefined : (stack.slack.workspace.history(channel).find((m) => m.ts === ts)?.thread_ts ?? ts);
    const attempts = trace.filter((e) => e.kind === 'invocation' && e.functionName === stack.functions.execution.name);
    const from = Math.min(...attempts.map((e) => (e.kind === 'invocation' ? e.at.getTime() - e.durationMs - e.queuedMs : Infinity)));
    const to = Math.max(...attempts.map((e) => e.at.getTime()));
    // The Slack calls of this message: in its thread or on one of the thread's messages (a reaction, a streamed
    // reply's appendStream/stopStream), made while one of its execution attempts ran.
    const inThread = new Set(channel === undefined ? [] : stack.slack.workspace.history(channel).filter((m) => m.ts === threadTs || m.thread_ts === threadTs).map((m) => m.ts));
    const slackCalls = stack.slack.calls().filter((call) => {
      const at = call.at.getTime();
      const onThread = call.params['thread_ts'] === threadTs || [call.params['ts'], call.params['timestamp']].some((v) => typeof v === 'string' && inThread.has(v));
      return call.params['channel'] === channel && onThread && at >= from && at <= to;
    });
    return buildTimeline({ eventId, executionFunctionName: stack.functions.execution.name, trace, logsFor: (requestId) => stack.logs.entries({ requestId }), slackCalls });
  }

  async function postMessage(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const text = body['text'];
    if (typeof text !== 'string' || text.trim() === '') return send(res, 400, { message: 'text is required' });
    const threadTs = typeof body['threadTs'] === 'string' && body['threadTs'] !== '' ? body['threadTs'] : undefined;
    const channel = typeof body['channel'] === 'string' && body['channel'] !== '' ? body['channel'] : SLACK_IDS.channelId;
    if (!stack.slack.workspace.channelIds().includes(channel)) return send(res, 400, { message: `unknown channel ${JSON.stringify(channel)}` });
    // A DM channel (`D…`) gets a direct message; any other channel a mention.
    const result = await stack.slack.postUserMessage({ text, channel, direct: channel.startsWith('D'), ...(threadTs !== undefined ? { threadTs } : {}) });
    notify();
    return send(res, 200, { eventId: result.eventId, ts: result.ts, threadTs: result.threadTs, ackStatus: result.status });
  }

  /** The local model's latency (the time to its first token) and its speed in tokens per second (0: all at once). */
  function setModel(res: ServerResponse, body: Record<string, unknown>): void {
    const latencyMs = body['latencyMs'];
    const tokensPerSecond = body['tokensPerSecond'];
    const whole = (value: unknown, max: number) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
    if (latencyMs !== undefined && !whole(latencyMs, 600_000)) return send(res, 400, { message: 'latencyMs must be a whole number of ms from 0 to 600000' });
    if (tokensPerSecond !== undefined && !whole(tokensPerSecond, 10_000)) return send(res, 400, { message: 'tokensPerSecond must be a whole number from 0 to 10000' });
    if (typeof latencyMs === 'number') stack.modelLatencyMs = latencyMs;
    if (typeof tokensPerSecond === 'number') stack.modelStream = { ...stack.modelStream, tokensPerSecond };
    notify();
    return send(res, 200, { modelLatencyMs: stack.modelLatencyMs, tokensPerSecond: stack.modelStream.tokensPerSecond ?? 0 });
  }

  async function redeploy(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const change = Object.fromEntries(Object.values(REDEPLOY_CONTEXT_KEYS).flatMap((key) => (body[key] === undefined ? [] : [[key, body[key]]])));
    let deployed: RedeployContext;
    try {
      // The stack's redeploy is the only way the hand-off changes; it checks the context before changing anything.
      deployed = await stack.redeploy(change);
    } catch (error) {
      if (error instanceof RedeployContextError) return send(res, 400, { message: error.message });
      throw error;
    }
    notify();
    return send(res, 200, deployed);
  }

  /** Faults go through the stack's own faults API (`/_local/faults` on the AWS endpoint), never around it. */
  async function forwardFault(res: ServerResponse, method: string, path: string, body: Record<string, unknown> | undefined): Promise<void> {
    const response = await fetch(`${stack.urls.aws}/_local${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    notify();
    res.writeHead(response.status, { 'content-type': 'application/json', ...SECURITY_HEADERS });
    res.end(await response.text());
  }

  function openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive', ...SECURITY_HEADERS });
    // The browser reconnects after this many ms if the stream drops (EventSource `retry`).
    res.write(`retry: 2000\nevent: ${CONSOLE_EVENTS.changed}\ndata: {}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    close: async () => {
      for (const off of unsubscribe) off();
      clearInterval(heartbeat);
      if (pending !== undefined) clearTimeout(pending);
      for (const stream of streams) stream.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function readAssets(dir: string): Map<string, Buffer> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new ConsoleStartError(`the console page ${join(dir, 'index.html')} does not exist; build it with: npx nx run local-stack:build-console`);
  }
  return new Map(readdirSync(dir).filter((name) => /^[\w.-]+$/.test(name) && !name.endsWith('.map')).map((name) => [name, readFileSync(join(dir, name))]));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...SECURITY_HEADERS });
  res.end(text);
}

function sendAsset(res: ServerResponse, extension: string, body: Buffer): void {
  res.writeHead(200, { 'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream', 'content-length': String(body.length), ...SECURITY_HEADERS });
  res.end(body);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined | Error> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return resolve(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`));
      if (size === 0) return resolve(undefined);
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : new Error('the body must be a JSON object'));
      } catch {
        resolve(new Error('the body must be JSON'));
      }
    });
    req.on('error', (error) => resolve(error));
  });
}
