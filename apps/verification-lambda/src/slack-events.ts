/**
 * Which Slack deliveries the bot answers. Pure functions over the verified body; nothing here does I/O.
 *
 * @packageDocumentation
 */
import {
  isAppMentionEvent,
  isMessageEvent,
  parseSlackEnvelope,
  type SlackEventCallback,
} from '@slack-ai-app/payload-schemas';

/** The shared schema's `event_callback` envelope (`@slack-ai-app/payload-schemas`), re-exported for this app. */
export type { SlackEventCallback };

/** A verified Slack body, classified. */
export type SlackDelivery =
  | { readonly kind: 'url_verification'; readonly challenge: string }
  | { readonly kind: 'event_callback'; readonly envelope: SlackEventCallback }
  /** Any other envelope type Slack may send (e.g. `app_rate_limited`): acknowledged, not handled. */
  | { readonly kind: 'other'; readonly type: string };

/** The outcome of {@link parseSlackBody}. */
export type SlackBodyParse = { readonly ok: true; readonly delivery: SlackDelivery } | { readonly ok: false; readonly error: string };

/** Why an event was acknowledged without a hand-off. Logged with `event_ignored`. */
export type IgnoreReason =
  | 'bot_message'
  | 'own_message'
  | 'message_changed'
  | 'message_deleted'
  | 'edited'
  | 'other_subtype'
  | 'not_direct_message'
  | 'unsupported_event_type';

/** An event the bot answers, with the fields the hand-off needs. */
export interface AcceptedEvent {
  readonly type: 'app_mention' | 'message';
  readonly eventId: string;
  readonly teamId: string;
  readonly userId: string;
  readonly channel: string;
  readonly text: string;
  /** `event.ts`: the user's message. */
  readonly ts: string;
  /** `event.thread_ts`, only when the message is inside a thread. */
  readonly threadTs: string | undefined;
}

/** The outcome of {@link classifyEvent}. */
export type EventDecision =
  | { readonly action: 'handle'; readonly event: AcceptedEvent }
  | { readonly action: 'ignore'; readonly reason: IgnoreReason; readonly subtype?: string }
  | { readonly action: 'reject'; readonly error: string };

/**
 * Parses a verified body as a Slack Events API envelope with the shared schema (`parseSlackEnvelope`), so that every
 * id and timestamp handed on already satisfies the ExecutionRequest's field rules.
 *
 * @param body - the raw body bytes (UTF-8 JSON)
 * @returns the classified delivery, or a message naming what is wrong (for a 400); never the offending value
 */
export function parseSlackBody(body: Buffer): SlackBodyParse {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, error: 'request body is not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: 'request body is not a JSON object' };
  const type = (json as Record<string, unknown>)['type'];
  if (typeof type === 'string' && type !== '' && type !== 'url_verification' && type !== 'event_callback') {
    return { ok: true, delivery: { kind: 'other', type: type.slice(0, 64) } };
  }
  const parsed = parseSlackEnvelope(json);
  if (!parsed.ok) return { ok: false, error: parsed.error.message };
  const envelope = parsed.value;
  return envelope.type === 'url_verification'
    ? { ok: true, delivery: { kind: 'url_verification', challenge: envelope.challenge } }
    : { ok: true, delivery: { kind: 'event_callback', envelope } };
}

/**
 * The bot's own user id: `SLACK_BOT_USER_ID` when configured, else `authorizations[0].user_id` when that authorization
 * is the bot's (`is_bot: true`). A user-token authorization is not the bot, and must not silence that user.
 *
 * @param envelope - the event callback
 * @param configured - `SLACK_BOT_USER_ID`, if set
 */
export function botUserIdOf(envelope: SlackEventCallback, configured: string | undefined): string | undefined {
  if (configured !== undefined) return configured;
  const first = envelope.authorizations?.[0];
  return first?.is_bot === true && first.user_id !== undefined && first.user_id !== '' ? first.user_id : undefined;
}

/**
 * Decides whether the bot answers an event.
 *
 * Handled: `app_mention`, and `message` in a direct-message channel (`channel_type: "im"`). Ignored: bot messages
 * (`bot_id`, `subtype: bot_message`), edits (`message_changed`, or an `edited` marker) and deletions, any other
 * subtype, the bot's own messages, `message` outside a DM (the channel case arrives as `app_mention`), and other types.
 *
 * @param envelope - the event callback
 * @param botUserId - the bot's own user id, if known (see {@link botUserIdOf})
 * @returns handle (with the fields to hand off), ignore (with the reason), or reject (a required field is missing)
 */
export function classifyEvent(envelope: SlackEventCallback, botUserId: string | undefined): EventDecision {
  const event = envelope.event;
  if (!isAppMentionEvent(event) && !isMessageEvent(event)) return { action: 'ignore', reason: 'unsupported_event_type' };

  const { subtype } = event;
  if (subtype === 'bot_message' || (event.bot_id !== undefined && event.bot_id !== '')) return { action: 'ignore', reason: 'bot_message' };
  if (subtype === 'message_changed') return { action: 'ignore', reason: 'message_changed' };
  if (subtype === 'message_deleted') return { action: 'ignore', reason: 'message_deleted' };
  if (subtype !== undefined) return { action: 'ignore', reason: 'other_subtype', subtype: subtype.slice(0, 64) };
  if (event.edited !== undefined) return { action: 'ignore', reason: 'edited' };
  if (botUserId !== undefined && event.user === botUserId) return { action: 'ignore', reason: 'own_message' };
  if (event.type === 'message' && event.channel_type !== 'im') return { action: 'ignore', reason: 'not_direct_message' };
  if (event.user === undefined) return { action: 'reject', error: `invalid Slack envelope: event.user: required` };

  return {
    action: 'handle',
    event: {
      type: event.type,
      eventId: envelope.event_id,
      teamId: envelope.team_id,
      userId: event.user,
      channel: event.channel,
      text: event.text ?? '',
      ts: event.ts,
      threadTs: event.thread_ts,
    },
  };
}
