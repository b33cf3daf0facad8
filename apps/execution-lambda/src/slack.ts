import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  WebClientEvent,
  type Logger as SlackLogger,
  type RetryOptions,
} from '@slack/web-api';
import { SlackApiError } from './errors';
import { slackStreamApi, type SlackStreamApi } from './slack-stream';
import type { SlackThreadMessage } from './thread-history';

/**
 * Slack's own retries: small, so that a Slack outage is handed to Lambda's async retries (and its failure
 * destination) well inside the function timeout. A 429 waits for `Retry-After`, then uses one of these retries.
 */
export const SLACK_RETRY_CONFIG: RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000, randomize: true };
/** Per-request timeout of Slack Web API calls. */
export const SLACK_TIMEOUT_MS = 8_000;
/** `conversations.replies` page size when reading a thread. */
export const THREAD_PAGE_SIZE = 200;
/** At most this many `conversations.replies` pages are read (the first 600 messages of a thread, oldest first). */
export const THREAD_MAX_PAGES = 3;

/**
 * Platform error codes a retry can fix; every other `ok: false` error (`channel_not_found`, `not_in_channel`,
 * `invalid_auth`, `is_archived`, `msg_too_long`, `missing_scope`…) is terminal.
 */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** Platform errors that mean the bot token itself is bad: the cached token is dropped. */
export const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

/** Things the Slack client reports that the app logs. */
export interface SlackClientObserver {
  /** Slack answered 429; the client waits `retryAfterSeconds` then retries. */
  onRateLimited(retryAfterSeconds: number, method: string): void;
}

/** Options of {@link createSlackClient}. */
export interface SlackClientOptions {
  /** Base URL of the Web API, ending in `/` (`SLACK_API_URL`). */
  readonly apiUrl: string;
  readonly observer: SlackClientObserver;
  /** Default {@link SLACK_RETRY_CONFIG}; tests shorten the backoff. */
  readonly retryConfig?: RetryOptions;
  /** Default {@link SLACK_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/**
 * The client's own console output is silenced: its debug lines carry request bodies (message text), and every
 * failure it would warn about reaches the app as an error that the app classifies and logs itself.
 */
function silentLogger(): SlackLogger {
  let level: LogLevel = LogLevel.ERROR;
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: ignore,
  };
}

/**
 * Create a Web API client for one token: base URL from configuration (so the local stack can stand in for Slack),
 * small retry budget, `rejectRateLimitedCalls: false` (a 429 waits for `Retry-After` and retries), only relative
 * method URLs (a token is never sent elsewhere).
 */
export function createSlackClient(token: string, options: SlackClientOptions): WebClient {
  const client = new WebClient(token, {
    slackApiUrl: options.apiUrl,
    retryConfig: options.retryConfig ?? SLACK_RETRY_CONFIG,
    rejectRateLimitedCalls: false,
    timeout: options.timeoutMs ?? SLACK_TIMEOUT_MS,
    allowAbsoluteUrls: false,
    logger: silentLogger(),
  });
  client.on(WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number, request: { url?: string }) => {
    const method = (request.url ?? '').split('/').pop() ?? 'unknown';
    options.observer.onRateLimited(retryAfterSeconds, method);
  });
  return client;
}

/**
 * Classify a failed Web API call: platform errors by code (see {@link TOKEN_ERRORS} and the transient set), HTTP 5xx
 * and 408, network errors, timeouts and exhausted rate limits as transient; other HTTP 4xx as terminal.
 */
export function classifySlackError(method: string, error: unknown): SlackApiError {
  if (error instanceof SlackApiError) return error;
  if (error instanceof WebAPIPlatformError) {
    const code = typeof error.data.error === 'string' ? error.data.error : 'unknown';
    return new SlackApiError(method, code, TRANSIENT_PLATFORM_ERRORS.has(code), { cause: error });
  }
  if (error instanceof WebAPIHTTPError) {
    const retryable = error.statusCode >= 500 || error.statusCode === 408;
    return new SlackApiError(method, `http_${error.statusCode}`, retryable, { cause: error });
  }
  if (error instanceof WebAPIRequestError) return new SlackApiError(method, 'request_failed', true, { cause: error });
  if (error instanceof WebAPIRateLimitedError) return new SlackApiError(method, 'rate_limited', true, { cause: error });
  if (error instanceof Error && /rate limit was exceeded/i.test(error.message)) {
    return new SlackApiError(method, 'rate_limited', true, { cause: error });
  }
  return new SlackApiError(method, 'unknown', true, { cause: error });
}

/**
 * Run one Web API call, throwing its failure classified ({@link classifySlackError}).
 *
 * @param method - the Web API method, for the error
 * @param run - the call
 */
export async function callSlack<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw classifySlackError(method, error);
  }
}

/** The Web API calls the core makes, each throwing a classified {@link SlackApiError}. */
export interface SlackApi extends SlackStreamApi {
  /** `chat.postMessage`; returns the new message's `ts`. */
  postMessage(args: { channel: string; text: string; threadTs?: string }): Promise<string | undefined>;
  /** `reactions.add`. */
  addReaction(args: { channel: string; timestamp: string; name: string }): Promise<void>;
  /** `reactions.remove`. */
  removeReaction(args: { channel: string; timestamp: string; name: string }): Promise<void>;
  /** `conversations.replies`, following cursors up to {@link THREAD_MAX_PAGES} pages. */
  threadReplies(args: { channel: string; threadTs: string }): Promise<SlackThreadMessage[]>;
}

/** Wrap a `WebClient` as the {@link SlackApi} the core uses. */
export function slackApi(client: WebClient): SlackApi {
  return {
    ...slackStreamApi(client),
    async postMessage({ channel, text, threadTs }) {
      const result = await callSlack('chat.postMessage', () =>
        client.chat.postMessage({
          channel,
          text,
          ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return result.ts;
    },
    async addReaction(args) {
      await callSlack('reactions.add', () => client.reactions.add(args));
    },
    async removeReaction(args) {
      await callSlack('reactions.remove', () => client.reactions.remove(args));
    },
    async threadReplies({ channel, threadTs }) {
      const messages: SlackThreadMessage[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < THREAD_MAX_PAGES; page += 1) {
        const result = await callSlack('conversations.replies', () =>
          client.conversations.replies({
            channel,
            ts: threadTs,
            limit: THREAD_PAGE_SIZE,
            ...(cursor !== undefined ? { cursor } : {}),
          }),
        );
        for (const m of result.messages ?? []) {
          // The SDK's generated type omits `subtype`, which Slack does send.
          const subtype = 'subtype' in m && typeof m.subtype === 'string' ? m.subtype : undefined;
          messages.push({ ts: m.ts, text: m.text, user: m.user, bot_id: m.bot_id, subtype });
        }
        cursor = result.response_metadata?.next_cursor || undefined;
        if (cursor === undefined || result.has_more !== true) break;
      }
      return messages;
    },
  };
}
