import * as z from 'zod/mini';
import type { ParseResult } from './errors';
import { correlationId, httpsUrl, messageText, noticeText, slackId, slackToken, slackTs } from './fields';
import { describeType, failure, parseWith } from './issues';

/** Why the verification layer asks the execution layer to post a fixed notice instead of calling the model. */
export type NoticeKind = 'empty_text' | 'text_too_long';

/** A message for the execution layer to post as is, with no model call. */
export interface ExecutionNotice {
  kind: NoticeKind;
  /** The text to post, 1 to 4000 code points. */
  text: string;
}

/**
 * The work the verification layer hands to the execution layer (API Gateway body, or direct-invoke payload).
 *
 * Unknown fields are accepted (a newer verification layer may add fields first) but dropped from the parsed value.
 */
export interface ExecutionRequest {
  /** Channel to reply in (Slack id). */
  channel: string;
  /** The user's message, mention stripped; 0 to 4000 code points. May be empty when `notice` is set. */
  text: string;
  /** Slack user who wrote the message. */
  user_id: string;
  /** Slack workspace. */
  team_id: string;
  /** Slack `event_id`: the idempotency key. */
  event_id: string;
  /** Follows the request through both Lambdas' logs; 1 to 128 printable ASCII characters. */
  correlation_id: string;
  /** The event's `thread_ts`, only when the message is inside a thread. */
  thread_ts?: string;
  /** The user's message `ts` (reactions; thread root when `thread_ts` is absent). */
  message_ts?: string;
  /** Slack `response_url`, an https URL. */
  response_url?: string;
  /** A notice to post as is, with no model call (text empty or over 4000 characters). */
  notice?: ExecutionNotice;
  /**
   * @deprecated Legacy direct-invoke payloads only. Never required and never logged; the execution layer reads
   * its token from Secrets Manager.
   */
  bot_token?: string;
}

/** The payload of the old direct-invoke path. Still accepted by {@link parseHandoffPayload}. */
export interface LegacyExecutionRequest {
  channel: string;
  text: string;
  /** @deprecated Never required and never logged. */
  bot_token?: string;
}

/** What {@link parseHandoffPayload} found: a current request, or a legacy one. */
export type HandoffPayload =
  | { kind: 'current'; request: ExecutionRequest }
  | { kind: 'legacy'; request: LegacyExecutionRequest };

/** @internal zod/mini schema of {@link ExecutionRequest}; also the source of the generated JSON Schema. */
export const executionRequestSchema = z.object({
  channel: slackId,
  text: messageText,
  user_id: slackId,
  team_id: slackId,
  event_id: slackId,
  correlation_id: correlationId,
  thread_ts: z.optional(slackTs),
  message_ts: z.optional(slackTs),
  response_url: z.optional(httpsUrl),
  notice: z.optional(
    z.object({
      kind: z.enum(['empty_text', 'text_too_long']),
      text: noticeText,
    }),
  ),
  bot_token: z.optional(slackToken),
});

/** @internal zod/mini schema of {@link LegacyExecutionRequest}. */
export const legacyExecutionRequestSchema = z.object({
  channel: slackId,
  text: messageText,
  bot_token: z.optional(slackToken),
});

/**
 * Keys that only the current contract defines. A payload carrying any of them is parsed as an ExecutionRequest (so
 * a half-built current payload fails loudly rather than passing as legacy); one with none is legacy. `thread_ts`
 * is deliberately not in the list: the old path may have sent it.
 */
const CURRENT_ONLY_KEYS = [
  'user_id',
  'team_id',
  'event_id',
  'correlation_id',
  'message_ts',
  'response_url',
  'notice',
] as const;

/**
 * Parses an {@link ExecutionRequest}. Unknown fields are dropped; `bot_token` is accepted but never required.
 *
 * @returns `{ ok: true, value }`, or `{ ok: false, error }` whose message names each bad field
 *   (`invalid ExecutionRequest: channel: expected string, received number; event_id: required`). Never throws.
 */
export function parseExecutionRequest(input: unknown): ParseResult<ExecutionRequest> {
  return parseWith<ExecutionRequest>(executionRequestSchema, 'ExecutionRequest', input);
}

/**
 * Parses what reached the execution layer over the hand-off: a current {@link ExecutionRequest}, or the legacy
 * `{channel, text, bot_token}` of the old direct-invoke path.
 *
 * An object with any key only the current contract defines (`user_id`, `team_id`, `event_id`, `correlation_id`,
 * `message_ts`, `response_url`, `notice`) is parsed as current; any other object as legacy. Errors say which
 * contract was applied (`invalid ExecutionRequest: ...` or `invalid LegacyExecutionRequest: ...`); input that is
 * not an object fails as `invalid hand-off payload: expected object, received <type>`.
 *
 * @returns the kind and the parsed request, or an error naming each bad field. Never throws.
 */
export function parseHandoffPayload(input: unknown): ParseResult<HandoffPayload> {
  if (!isRecord(input)) return failure('hand-off payload', '', `expected object, received ${describeType(input)}`);
  if (CURRENT_ONLY_KEYS.some((key) => Object.hasOwn(input, key) && input[key] !== undefined)) {
    const current = parseExecutionRequest(input);
    return current.ok ? { ok: true, value: { kind: 'current', request: current.value } } : current;
  }
  const legacy = parseWith<LegacyExecutionRequest>(legacyExecutionRequestSchema, 'LegacyExecutionRequest', input);
  return legacy.ok ? { ok: true, value: { kind: 'legacy', request: legacy.value } } : legacy;
}

function isRecord(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}
