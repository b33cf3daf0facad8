import type { WebClient } from '@slack/web-api';
import { callSlack, classifySlackError } from './slack';

/**
 * Slack's streaming methods for AI apps, as the core uses them: `chat.startStream` (returns the new message's `ts`),
 * `chat.appendStream`, `chat.stopStream`, and `chat.update` to replace a message. `markdown_text` is standard
 * Markdown, at most 12,000 characters per call. A message is streamed to a user in a thread, so a channel stream names
 * `recipient_team_id` and `recipient_user_id`.
 * See https://docs.slack.dev/reference/methods/chat.startStream, …/chat.appendStream, …/chat.stopStream.
 */

/** Most characters of `markdown_text` one streaming call may carry (Slack's limit on the argument). */
export const STREAM_TEXT_LIMIT = 12_000;

/**
 * Errors of `chat.startStream` that rule streaming out for this channel or app while `chat.postMessage` may still
 * work: the answer is then posted whole. From the method's documented errors (`channel_type_not_supported`,
 * `not_allowed_token_type`, `feature_not_enabled`) and what a workspace without the method answers (`unknown_method`).
 */
export const STREAM_REFUSED_ERRORS: ReadonlySet<string> = new Set([
  'channel_type_not_supported',
  'not_allowed_token_type',
  'feature_not_enabled',
  'unknown_method',
  'missing_scope',
  'invalid_arguments',
]);

/** Errors of `chat.appendStream`/`chat.stopStream` meaning the message is no longer streaming (it can be updated). */
export const STREAM_ENDED_ERRORS: ReadonlySet<string> = new Set(['message_not_in_streaming_state', 'streaming_state_conflict']);

/** The streaming calls of the Web API, each throwing a classified `SlackApiError`. */
export interface SlackStreamApi {
  /** `chat.startStream` in a thread, with the first text; returns the message `ts`. */
  startStream(args: {
    channel: string;
    threadTs: string;
    markdownText: string;
    recipientTeamId?: string;
    recipientUserId?: string;
  }): Promise<string>;
  /** `chat.appendStream`. */
  appendStream(args: { channel: string; ts: string; markdownText: string }): Promise<void>;
  /** `chat.stopStream`, with the last text if any. */
  stopStream(args: { channel: string; ts: string; markdownText?: string }): Promise<void>;
  /** `chat.update`: replace a message's text (mrkdwn). */
  update(args: { channel: string; ts: string; text: string }): Promise<void>;
}

/**
 * Wrap a `WebClient`'s streaming methods as {@link SlackStreamApi}.
 *
 * @param client - the Web API client (its retries and rate-limit handling apply)
 */
export function slackStreamApi(client: WebClient): SlackStreamApi {
  return {
    async startStream({ channel, threadTs, markdownText, recipientTeamId, recipientUserId }) {
      const result = await callSlack('chat.startStream', () =>
        client.chat.startStream({
          channel,
          thread_ts: threadTs,
          markdown_text: markdownText,
          ...(recipientTeamId !== undefined ? { recipient_team_id: recipientTeamId } : {}),
          ...(recipientUserId !== undefined ? { recipient_user_id: recipientUserId } : {}),
        }),
      );
      if (typeof result.ts !== 'string' || result.ts === '') {
        throw classifySlackError('chat.startStream', new Error('chat.startStream answered without a ts'));
      }
      return result.ts;
    },
    async appendStream({ channel, ts, markdownText }) {
      await callSlack('chat.appendStream', () => client.chat.appendStream({ channel, ts, markdown_text: markdownText }));
    },
    async stopStream({ channel, ts, markdownText }) {
      await callSlack('chat.stopStream', () =>
        client.chat.stopStream({ channel, ts, ...(markdownText !== undefined && markdownText !== '' ? { markdown_text: markdownText } : {}) }),
      );
    },
    async update({ channel, ts, text }) {
      await callSlack('chat.update', () => client.chat.update({ channel, ts, text }));
    },
  };
}
