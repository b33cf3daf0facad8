import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';

/**
 * The Slack side of the Events API: building `app_mention` envelopes, signing them with the v0 scheme
 * (`v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret) and delivering them to the Request URL.
 */

/**
 * Computes Slack's request signature.
 *
 * @param signingSecret - the app's signing secret
 * @param timestamp - `X-Slack-Request-Timestamp`, epoch seconds
 * @param body - the raw body
 * @returns `v0=<hex>`
 */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`;
}

/** What an `app_mention` event describes. */
export interface AppMentionInput {
  readonly eventId: string;
  /** Epoch seconds. */
  readonly eventTime: number;
  readonly teamId: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly channel: string;
  readonly user: string;
  /** The message text, including the `<@BOT>` mention. */
  readonly text: string;
  readonly ts: string;
  /** Set when the message is a reply in a thread. */
  readonly threadTs?: string;
}

/**
 * Builds an `event_callback` envelope carrying an `app_mention`, shaped as Slack sends it.
 *
 * @param input - the event's facts
 */
export function appMentionEnvelope(input: AppMentionInput): Record<string, unknown> {
  return {
    token: 'local-verification-token-unused',
    team_id: input.teamId,
    context_team_id: input.teamId,
    api_app_id: input.appId,
    event: {
      type: 'app_mention',
      user: input.user,
      text: input.text,
      ts: input.ts,
      ...(input.threadTs !== undefined ? { thread_ts: input.threadTs } : {}),
      team: input.teamId,
      channel: input.channel,
      event_ts: input.ts,
      client_msg_id: `00000000-0000-4000-8000-${input.eventId.replace(/[^0-9A-Za-z]/g, '').slice(-12).padStart(12, '0').toLowerCase()}`,
    },
    type: 'event_callback',
    event_id: input.eventId,
    event_time: input.eventTime,
    authorizations: [{ enterprise_id: null, team_id: input.teamId, user_id: input.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-local-${input.eventId}`,
  };
}

/**
 * Builds an `event_callback` envelope carrying a direct message to the bot: a `message` event with
 * `channel_type: "im"`, shaped as Slack sends it (https://api.slack.com/events/message.im); the text has no mention.
 *
 * @param input - the event's facts (`channel` is the DM channel, `D…`)
 */
export function directMessageEnvelope(input: AppMentionInput): Record<string, unknown> {
  const envelope = appMentionEnvelope(input);
  return { ...envelope, event: { ...(envelope['event'] as Record<string, unknown>), type: 'message', channel_type: 'im' } };
}

/** How to deliver (and, for tests, how to get it wrong). */
export interface DeliveryOptions {
  /** `X-Slack-Retry-Num` (Slack's retries send 1, 2, 3). */
  readonly retryNum?: number;
  /** `X-Slack-Retry-Reason`, e.g. `http_timeout`. */
  readonly retryReason?: string;
  /** `X-Slack-Request-Timestamp`, epoch seconds; default: now. */
  readonly timestamp?: number;
  /** Sign with this secret instead of the app's. */
  readonly signingSecret?: string;
  /** Send this body instead of the signed one (a body tampered with after signing). */
  readonly bodyAfterSigning?: string;
}

/** The Request URL's answer. */
export interface DeliveryResponse {
  readonly status: number;
  readonly body: string;
  readonly latencyMs: number;
}

/**
 * Signs and POSTs a body to the Request URL, as Slack does.
 *
 * @param url - the Request URL
 * @param body - the JSON body to sign
 * @param signingSecret - the app's signing secret
 * @param now - epoch seconds of the request
 * @param options - retries and deliberate mistakes
 * @throws Error when the Request URL cannot be reached
 */
export function deliverSigned(url: string, body: string, signingSecret: string, now: number, options: DeliveryOptions = {}): Promise<DeliveryResponse> {
  const timestamp = options.timestamp ?? now;
  const signature = slackSignature(options.signingSecret ?? signingSecret, timestamp, body);
  const sent = options.bodyAfterSigning ?? body;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
    'content-length': String(Buffer.byteLength(sent)),
  };
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  const started = performance.now();
  return new Promise<DeliveryResponse>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), latencyMs: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(sent);
  });
}
