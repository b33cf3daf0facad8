import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call received by the stand-in. */
export interface RecordedCall {
  readonly method: string;
  readonly params: Record<string, string>;
  readonly authorization: string | undefined;
}

/** A scripted answer: HTTP status, headers and JSON body. */
export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/**
 * A local HTTP server standing in for the Slack Web API (`POST /api/<method>`), reached through the real
 * `@slack/web-api` client. It records every call and answers from per-method scripts, then from defaults:
 * `chat.postMessage` returns a fresh `ts`, `reactions.*` succeed, `conversations.replies` returns `threadMessages`.
 */
export class SlackStandIn {
  readonly calls: RecordedCall[] = [];
  threadMessages: unknown[] = [];
  private readonly scripts = new Map<string, ScriptedResponse[]>();
  private server: Server | undefined;
  private seq = 0;

  /** Base URL to use as `SLACK_API_URL`, ending in `/`. */
  get apiUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('stand-in not started');
    return `http://127.0.0.1:${address.port}/api/`;
  }

  /** Queue answers for a method; each call consumes one. */
  script(method: string, ...responses: ScriptedResponse[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...responses]);
  }

  /** Recorded calls of one method, in order. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Forget calls and scripts (between tests). */
  reset(): void {
    this.calls.length = 0;
    this.scripts.clear();
    this.threadMessages = [];
    this.seq = 0;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
        const params = parseParams(raw, req.headers['content-type']);
        this.calls.push({ method, params, authorization: req.headers.authorization });
        const scripted = this.scripts.get(method)?.shift();
        const response = scripted ?? this.defaultResponse(method);
        res.writeHead(response.status ?? 200, { 'content-type': 'application/json', ...(response.headers ?? {}) });
        res.end(JSON.stringify(response.body ?? { ok: true }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())));
  }

  private defaultResponse(method: string): ScriptedResponse {
    switch (method) {
      case 'chat.postMessage':
        this.seq += 1;
        return { body: { ok: true, ts: `1700000100.${String(this.seq).padStart(6, '0')}` } };
      case 'conversations.replies':
        return { body: { ok: true, messages: this.threadMessages, has_more: false } };
      case 'chat.startStream':
        this.seq += 1;
        return { body: { ok: true, channel: 'C0123ABCDEF', ts: `1700000200.${String(this.seq).padStart(6, '0')}` } };
      default:
        return { body: { ok: true } };
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseParams(raw: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes('application/json')) {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
