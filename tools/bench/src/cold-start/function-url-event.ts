import { createHmac } from 'node:crypto';

/**
 * Slack requests as the verification Lambda receives them: an `app_mention` envelope, signed with Slack's v0 scheme,
 * wrapped in a Lambda Function URL event (payload format 2.0). Used for the cold-start children, which call the
 * handler directly instead of going through a Function URL.
 */

/** The facts of an `app_mention`. */
export interface AppMentionInput {
  readonly eventId: string;
  readonly teamId: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly channel: string;
  readonly user: string;
  /** The question, without the mention (the mention is prepended). */
  readonly question: string;
  /** The message's `ts`. */
  readonly ts: string;
  /** Epoch seconds. */
  readonly eventTime: number;
}

/**
 * Builds an `event_callback` envelope carrying an `app_mention`, shaped as Slack sends it.
 *
 * @param input - the event's facts
 * @returns the envelope (serialise it once and sign exactly those bytes)
 */
export function appMentionEnvelope(input: AppMentionInput): Record<string, unknown> {
  return {
    token: 'bench-verification-token-unused',
    team_id: input.teamId,
    api_app_id: input.appId,
    event: {
      type: 'app_mention',
      user: input.user,
      text: `<@${input.botUserId}> ${input.question}`,
      ts: input.ts,
      team: input.teamId,
      channel: input.channel,
      event_ts: input.ts,
    },
    type: 'event_callback',
    event_id: input.eventId,
    event_time: input.eventTime,
    authorizations: [{ enterprise_id: null, team_id: input.teamId, user_id: input.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/**
 * Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` keyed with the signing secret.
 *
 * @param signingSecret - the app's signing secret
 * @param timestamp - `X-Slack-Request-Timestamp`, epoch seconds
 * @param body - the raw body
 */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`;
}

/** What {@link signedFunctionUrlEvent} needs. */
export interface SignedRequestInput {
  /** The raw JSON body. */
  readonly body: string;
  readonly signingSecret: string;
  /** The request time (also the signature's timestamp). */
  readonly now: Date;
  /** The Function URL's request id. */
  readonly requestId: string;
}

/**
 * Wraps a Slack-signed body in a Function URL event (payload format 2.0), headers lower-cased as Function URLs deliver them.
 *
 * @param input - body, secret, time and request id
 * @returns the event the handler receives
 */
export function signedFunctionUrlEvent(input: SignedRequestInput): Record<string, unknown> {
  const timestamp = Math.floor(input.now.getTime() / 1000);
  const domainPrefix = 'benchcoldstart0000000000000000000';
  const domainName = `${domainPrefix}.lambda-url.us-east-1.on.aws`;
  const userAgent = 'Slackbot 1.0 (+https://api.slack.com/robots)';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-length': String(Buffer.byteLength(input.body, 'utf8')),
      'content-type': 'application/json',
      host: domainName,
      'user-agent': userAgent,
      'x-forwarded-proto': 'https',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(input.signingSecret, timestamp, input.body),
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: domainPrefix,
      domainName,
      domainPrefix,
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent },
      requestId: input.requestId,
      routeKey: '$default',
      stage: '$default',
      time: input.now.toISOString(),
      timeEpoch: input.now.getTime(),
    },
    body: input.body,
    isBase64Encoded: false,
  };
}
