import * as z from 'zod/mini';
import type { ParseResult } from './errors';
import { slackId, slackTs } from './fields';
import { describeType, failure, parseWith, prefixIssues } from './issues';

/** Slack's `url_verification` request, sent when the Request URL is configured. Answer with `challenge`. */
export interface SlackUrlVerification {
  type: 'url_verification';
  challenge: string;
  /** Slack's deprecated verification token. Never log it; requests are authenticated by signature instead. */
  token?: string;
}

/** One installation the event is visible to (Slack truncates the list to one). */
export interface SlackAuthorization {
  user_id: string;
  is_bot?: boolean;
}

/** Who edited a message, and when. */
export interface SlackEdited {
  user?: string;
  ts: string;
}

/** Fields the handlers use from `app_mention` and `message` events. Everything else is dropped. */
export interface SlackMessageLikeEvent {
  /** Absent on some subtypes (`message_changed`, `message_deleted`, `bot_message`). */
  user?: string;
  channel: string;
  /** `channel`, `group`, `im`, `mpim` or `app_home` today; kept as a string so new values are not rejected. */
  channel_type?: string;
  text?: string;
  ts: string;
  /** Present when the message is inside a thread (for a thread reply, the root's `ts`). */
  thread_ts?: string;
  /** Present when a bot or app posted the message. */
  bot_id?: string;
  /** `bot_message`, `message_changed`, `message_deleted`, ...; absent on a plain user message. */
  subtype?: string;
  edited?: SlackEdited;
}

/** An `app_mention` event: someone mentioned the app in a conversation it is in. */
export interface SlackAppMentionEvent extends SlackMessageLikeEvent {
  type: 'app_mention';
}

/** A `message` event (for this app: a direct message, `channel_type: 'im'`, or one of its subtypes). */
export interface SlackMessageEvent extends SlackMessageLikeEvent {
  type: 'message';
}

/** Any other event type, kept only by name so the handler can acknowledge and ignore it. */
export interface SlackOtherEvent {
  type: string;
}

/** The inner event of an `event_callback`. Narrow it with {@link isAppMentionEvent} / {@link isMessageEvent}. */
export type SlackEvent = SlackAppMentionEvent | SlackMessageEvent | SlackOtherEvent;

/** Slack's `event_callback` wrapper around one event. */
export interface SlackEventCallback {
  type: 'event_callback';
  team_id: string;
  api_app_id?: string;
  /** Unique per event; Slack retries carry the same id. */
  event_id: string;
  event_time?: number;
  authorizations?: SlackAuthorization[];
  event: SlackEvent;
}

/** A Slack Events API request body the verification layer accepts. */
export type SlackEnvelope = SlackUrlVerification | SlackEventCallback;

const SUBJECT = 'Slack envelope';

const urlVerificationSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string().check(z.minLength(1), z.maxLength(1024)),
  token: z.optional(z.string()),
});

const eventCallbackSchema = z.object({
  type: z.literal('event_callback'),
  team_id: slackId,
  api_app_id: z.optional(slackId),
  event_id: slackId,
  event_time: z.optional(z.number()),
  authorizations: z.optional(
    z.array(
      z.object({
        user_id: slackId,
        is_bot: z.optional(z.boolean()),
      }),
    ),
  ),
  // The event is checked against its own schema below, once its type is known.
  event: z.looseObject({ type: z.string().check(z.minLength(1), z.maxLength(255)) }),
});

const messageLikeShape = {
  user: z.optional(slackId),
  channel: slackId,
  channel_type: z.optional(z.string().check(z.maxLength(64))),
  text: z.optional(z.string()),
  ts: slackTs,
  thread_ts: z.optional(slackTs),
  bot_id: z.optional(slackId),
  subtype: z.optional(z.string().check(z.maxLength(255))),
  edited: z.optional(z.object({ user: z.optional(slackId), ts: slackTs })),
};

const appMentionSchema = z.object({ type: z.literal('app_mention'), ...messageLikeShape });
const messageSchema = z.object({ type: z.literal('message'), ...messageLikeShape });

/**
 * Parses a Slack Events API request body (already signature-checked and JSON-parsed).
 *
 * Accepts `url_verification` and `event_callback`. Inside an `event_callback`, `app_mention` and `message` events
 * are validated field by field; any other event type is accepted as `{ type }` so the handler can answer 200 and
 * ignore it. Unknown fields are dropped everywhere. Text is not length-limited here: deciding what to do with
 * over-long text (a notice) is the verification handler's job.
 *
 * @returns the envelope, or an error naming each bad field (`invalid Slack envelope: event.channel: required`).
 *   Any other envelope `type` (for example `app_rate_limited`) is an error on `type`. Never throws.
 */
export function parseSlackEnvelope(input: unknown): ParseResult<SlackEnvelope> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return failure(SUBJECT, '', `expected object, received ${describeType(input)}`);
  }
  const type = (input as Record<string, unknown>)['type'];
  if (type === 'url_verification') return parseWith<SlackUrlVerification>(urlVerificationSchema, SUBJECT, input);
  if (type !== 'event_callback') {
    return failure(
      SUBJECT,
      'type',
      type === undefined ? 'required' : 'must be one of "url_verification", "event_callback"',
    );
  }

  const envelope = parseWith(eventCallbackSchema, SUBJECT, input);
  if (!envelope.ok) return envelope;
  const event = parseEvent(envelope.value.event);
  if (!event.ok) return { ok: false, error: prefixIssues('event', event.error, SUBJECT) };
  return { ok: true, value: { ...envelope.value, event: event.value } };
}

function parseEvent(event: { type: string }): ParseResult<SlackEvent> {
  switch (event.type) {
    case 'app_mention':
      return parseWith<SlackAppMentionEvent>(appMentionSchema, SUBJECT, event);
    case 'message':
      return parseWith<SlackMessageEvent>(messageSchema, SUBJECT, event);
    default:
      return { ok: true, value: { type: event.type } };
  }
}

/** True for an `app_mention` event. */
export function isAppMentionEvent(event: SlackEvent): event is SlackAppMentionEvent {
  return event.type === 'app_mention';
}

/** True for a `message` event (any subtype). */
export function isMessageEvent(event: SlackEvent): event is SlackMessageEvent {
  return event.type === 'message';
}
