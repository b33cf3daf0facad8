import { HEALTH_SERVICE_NAME } from '../local-routes';
import type { LocalStackOptions } from '../options';
import { startLocalStack, type LocalStackUrls } from '../stack';
import type { BotReply } from '../slack/workspace';
import type { TraceEntry } from '../trace';
import type { TextChange } from '../slack/workspace';
import type { DemoTrace, ReplyTiming } from './format';

/** Thrown when the demo cannot complete (stack unreachable, delivery refused). */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  readonly question: string;
  /** Where a running stack's AWS endpoint would be (its `/_local/health` is probed). */
  readonly awsUrl: string;
  /** Options of the in-process stack started when none is running (its ports default to free ones). */
  readonly inProcess?: LocalStackOptions;
  /** How long to wait for the stack to finish handling the event. @default 60000 */
  readonly replyTimeoutMs?: number;
}

const PROBE_TIMEOUT_MS = 1000;

/**
 * Sends a correctly Slack-signed `app_mention` with the question to the running stack (or to one it starts
 * in-process when none answers at `awsUrl`), waits for the bot's reply, and collects the trace of that event.
 *
 * Everything goes over the stacks' HTTP endpoints, so a running stack and an in-process one are driven the same way.
 *
 * @param options - question, where to look for a running stack
 * @returns what happened, ready for `formatDemoTrace`
 * @throws {@link DemoError} when the event cannot be delivered
 */
export async function runDemo(options: DemoOptions): Promise<DemoTrace> {
  let urls = await probe(options.awsUrl);
  const stackWasRunning = urls !== undefined;
  const stack =
    urls === undefined
      ? await startLocalStack({ ...options.inProcess, ports: { slack: 0, slackApi: 0, aws: 0, ...options.inProcess?.ports } })
      : undefined;
  urls ??= stack?.urls;
  if (urls === undefined) throw new DemoError('no local stack is reachable');
  try {
    const slackOrigin = new URL(urls.slackApi).origin;
    const started = performance.now();
    const sent = (await call(`${slackOrigin}/_local/messages`, { method: 'POST', body: JSON.stringify({ text: options.question }) })) as {
      ok: boolean;
      error?: string;
      status: number;
      latencyMs: number;
      eventId: string;
      channel: string;
      threadTs: string;
    };
    if (!sent.ok) throw new DemoError(`the Slack stand-in could not deliver the event: ${sent.error ?? 'unknown error'}`);
    // Everything the event causes (hand-off, execution attempts, the reply, retries) has happened once the stack is idle.
    const idle = await fetch(`${urls.aws}/_local/idle?timeout_ms=${options.replyTimeoutMs ?? 60_000}`);
    if (idle.status !== 200 && idle.status !== 504) throw new DemoError(`the stack answered ${idle.status} to /_local/idle`);
    const replies = (await call(`${slackOrigin}/_local/replies?channel=${encodeURIComponent(sent.channel)}&thread_ts=${encodeURIComponent(sent.threadTs)}`)) as {
      replies: BotReply[];
    };
    const reply = replies.replies[0];
    // Slack ts values are the post times, so the reply's delay is the difference of the two.
    const replyAfterMs = reply === undefined ? performance.now() - started : Math.max(0, tsMillis(reply.ts) - tsMillis(sent.threadTs));
    const trace = (await call(`${urls.aws}/_local/trace?event_id=${encodeURIComponent(sent.eventId)}`)) as { entries: TraceEntry[] };
    let timing: ReplyTiming | undefined;
    if (reply !== undefined) {
      const { changes } = (await call(`${slackOrigin}/_local/changes?channel=${encodeURIComponent(sent.channel)}&ts=${encodeURIComponent(reply.ts)}`)) as {
        changes: Array<Omit<TextChange, 'at'> & { at: string }>;
      };
      const asked = tsMillis(sent.threadTs);
      const first = changes[0];
      const last = changes[changes.length - 1];
      if (first !== undefined && last !== undefined) {
        timing = { firstTextAfterMs: Math.max(0, Date.parse(first.at) - asked), lastTextAfterMs: Math.max(0, Date.parse(last.at) - asked), calls: changes.length };
      }
    }
    return {
      question: options.question,
      eventId: sent.eventId,
      ackStatus: sent.status,
      ackLatencyMs: sent.latencyMs,
      reply,
      replyAfterMs,
      timing,
      entries: trace.entries,
      stackWasRunning,
    };
  } finally {
    await stack?.stop();
  }
}

function tsMillis(ts: string): number {
  const [seconds = '0', micros = '0'] = ts.split('.');
  return Number(seconds) * 1000 + Number(micros.padEnd(6, '0')) / 1000;
}

async function probe(awsUrl: string): Promise<LocalStackUrls | undefined> {
  try {
    const response = await fetch(`${awsUrl}/_local/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    const health = (await response.json()) as { service?: string; urls?: LocalStackUrls };
    return health.service === HEALTH_SERVICE_NAME ? health.urls : undefined;
  } catch {
    return undefined;
  }
}

async function call(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json' } });
  const body = (await response.json()) as unknown;
  if (!response.ok) throw new DemoError(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}
