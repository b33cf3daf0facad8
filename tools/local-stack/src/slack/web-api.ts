import { randomBytes } from 'node:crypto';
import type { FaultController } from '../faults';
import type { HttpHandler, HttpReply, HttpRequestData } from '../http/types';
import { unanswered, headerValue, jsonReply } from '../http/types';
import type { SlackStandIn } from './stand-in';
import type { RecordedCall } from './workspace';

/**
 * The Slack Web API stand-in's HTTP layer: `/api/{method}` (form-encoded, JSON or query arguments, as
 * `@slack/web-api` sends them; token from `Authorization: Bearer` or the `token` argument), plus local routes for
 * tests and the demo:
 *
 * - `GET /_local/calls[?method=]` every recorded call; `DELETE /_local/calls` forgets them;
 * - `POST /_local/messages` `{text, channel?, user?, thread_ts?, event_id?}` posts as a user and delivers the signed
 *   `app_mention` (answers the delivery result);
 * - `GET /_local/replies?channel=&thread_ts=[&wait=seconds]` the bot's replies in a thread, waiting up to `wait`
 *   seconds (at most 60) for the first one (a streamed one once its stream has stopped);
 * - `GET /_local/changes?channel=&ts=` how a bot message grew: `{changes: [{at, method, text}]}`, one per call;
 * - `GET /_local/health`.
 */

/** Longest wait of `/_local/replies`. */
const MAX_WAIT_SECONDS = 60;

/** Options of {@link createSlackApiHandler}. */
export interface SlackApiOptions {
  readonly slack: SlackStandIn;
  readonly faults: FaultController;
  readonly now: () => Date;
  /** Aborted when the stack stops (ends long polls). */
  readonly signal: AbortSignal;
}

/**
 * Creates the stand-in's request handler.
 *
 * @param options - the stand-in, faults, clock, stop signal
 */
export function createSlackApiHandler(options: SlackApiOptions): HttpHandler {
  const { slack } = options;
  return async (request) => {
    if (request.path.startsWith('/_local/')) return localRoute(request, options);
    const match = /^\/api\/([A-Za-z0-9_.]+)$/.exec(request.path);
    if (match === null) return jsonReply(404, { ok: false, error: 'unknown_method' });
    const method = match[1] as string;
    const params = parseArguments(request);
    if (params === undefined) return record(method, {}, 'not_authed', 200, { ok: false, error: 'invalid_form_data' });

    const fault = options.faults.take('slack', (spec) => spec.methods === undefined || spec.methods.includes(method));
    if (fault !== undefined) {
      if (fault.mode !== 'status') {
        slack.workspace.record({ at: options.now(), method, params, auth: 'ok', status: 0, response: undefined, fault: fault.mode });
        return unanswered(fault.mode);
      }
      const body = fault.status === 429 ? { ok: false, error: 'ratelimited' } : { ok: false, error: 'internal_error' };
      const headers: Record<string, string> = fault.status === 429 ? { 'retry-after': String(fault.retryAfterSeconds ?? 1) } : {};
      slack.workspace.record({ at: options.now(), method, params, auth: 'ok', status: fault.status, response: body, fault: 'status' });
      return slackReply(fault.status, body, headers);
    }

    const authorization = headerValue(request.headers, 'authorization');
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
    const { auth, body } = slack.workspace.call(method, params, bearer);
    return record(method, params, auth, 200, body);
  };

  function record(method: string, params: Record<string, unknown>, auth: RecordedCall['auth'], status: number, body: Record<string, unknown>): HttpReply {
    slack.workspace.record({ at: options.now(), method, params, auth, status, response: body });
    return slackReply(status, body);
  }
}

function slackReply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): HttpReply {
  return jsonReply(status, body, { 'content-type': 'application/json; charset=utf-8', 'x-slack-req-id': randomBytes(16).toString('hex'), ...headers });
}

function parseArguments(request: HttpRequestData): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = Object.fromEntries(request.query);
  if (request.body.length === 0) return params;
  const type = (headerValue(request.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  const text = request.body.toString('utf8');
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...params, ...(parsed as Record<string, unknown>) } : undefined;
    } catch {
      return undefined;
    }
  }
  if (type === 'application/x-www-form-urlencoded') return { ...params, ...Object.fromEntries(new URLSearchParams(text)) };
  return undefined;
}

async function localRoute(request: HttpRequestData, options: SlackApiOptions): Promise<HttpReply> {
  const { slack } = options;
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case 'GET /_local/health':
      return jsonReply(200, { ok: true, service: 'slack-web-api-stand-in' });
    case 'GET /_local/calls':
      return jsonReply(200, { calls: slack.calls(request.query.has('method') ? { method: request.query.get('method') as string } : {}) });
    case 'DELETE /_local/calls':
      slack.workspace.clearCalls();
      return jsonReply(200, { ok: true });
    case 'POST /_local/messages': {
      let input: { text?: unknown; channel?: unknown; user?: unknown; thread_ts?: unknown; event_id?: unknown };
      try {
        input = JSON.parse(request.body.toString('utf8')) as typeof input;
      } catch {
        return jsonReply(400, { ok: false, error: 'body must be JSON: {"text": "..."}' });
      }
      if (typeof input.text !== 'string' || input.text.trim() === '') return jsonReply(400, { ok: false, error: 'text is required' });
      const optional = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
      const channel = optional(input.channel);
      const user = optional(input.user);
      const threadTs = optional(input.thread_ts);
      const eventId = optional(input.event_id);
      try {
        const result = await slack.postUserMessage({
          text: input.text,
          ...(channel !== undefined ? { channel } : {}),
          ...(user !== undefined ? { user } : {}),
          ...(threadTs !== undefined ? { threadTs } : {}),
          ...(eventId !== undefined ? { eventId } : {}),
        });
        const { envelope: _envelope, ...summary } = result;
        return jsonReply(200, { ok: true, ...summary });
      } catch (error) {
        return jsonReply(502, { ok: false, error: `could not deliver the event: ${(error as Error).message}` });
      }
    }
    case 'GET /_local/replies': {
      const channel = request.query.get('channel');
      const threadTs = request.query.get('thread_ts');
      if (channel === null || threadTs === null) return jsonReply(400, { ok: false, error: 'channel and thread_ts are required' });
      const waitSeconds = Math.min(Math.max(Number(request.query.get('wait') ?? '0') || 0, 0), MAX_WAIT_SECONDS);
      if (waitSeconds > 0) await slack.waitForReply(channel, threadTs, waitSeconds * 1000, options.signal);
      return jsonReply(200, { ok: true, replies: slack.botReplies({ channel, threadTs }) });
    }
    case 'GET /_local/changes': {
      const channel = request.query.get('channel');
      const ts = request.query.get('ts');
      if (channel === null || ts === null) return jsonReply(400, { ok: false, error: 'channel and ts are required' });
      return jsonReply(200, { ok: true, changes: slack.workspace.textChanges(channel, ts) });
    }
    default:
      return jsonReply(404, { ok: false, error: `unknown local route ${route}` });
  }
}
