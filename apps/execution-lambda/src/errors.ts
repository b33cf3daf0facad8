import type { LogEventName } from '@slack-ai-app/logging';

/**
 * Typed errors of the execution Lambda and the catalogue of what each one means for the user.
 *
 * Two families:
 * - **terminal** errors end the request: a short, friendly, specific message is posted in the thread (when Slack can
 *   still be reached) and the invocation succeeds, because a retry could not fix them;
 * - **transient** errors are thrown out of the handler, so that Lambda's async retries and then its failure
 *   destination keep the event.
 *
 * No message here ever contains a token, an ARN, a stack or the text of a Slack message.
 */

/** The kinds of model failure, each with its own log event and user message. */
export type BedrockErrorKind =
  | 'bedrock_throttled'
  | 'bedrock_access_denied'
  | 'bedrock_timeout'
  | 'bedrock_validation_error'
  | 'bedrock_error';

/** One entry of the error catalogue. */
export interface CatalogueEntry {
  /** The log event written when this kind of failure happens. */
  readonly logEvent: LogEventName;
  /** `true`: thrown for Lambda to retry; `false`: ends the request with {@link CatalogueEntry.userMessage}. */
  readonly retryable: boolean;
  /** What the user reads in the thread (terminal kinds only). */
  readonly userMessage?: string;
}

/**
 * What each model failure means. The user messages are deliberately short and name what the user can do;
 * they never carry the underlying error.
 */
export const BEDROCK_ERROR_CATALOGUE: Readonly<Record<BedrockErrorKind, CatalogueEntry>> = {
  bedrock_throttled: {
    logEvent: 'bedrock_throttled',
    retryable: false,
    userMessage:
      ':hourglass_flowing_sand: I’m getting more requests than I can handle right now, so I couldn’t answer this one. Please try again in a minute.',
  },
  bedrock_access_denied: {
    logEvent: 'bedrock_access_denied',
    retryable: false,
    userMessage:
      ':lock: I can’t reach the AI model because of a permissions or setup problem on our side. Please let your workspace admin know.',
  },
  bedrock_timeout: {
    logEvent: 'bedrock_timeout',
    retryable: false,
    userMessage:
      ':stopwatch: The AI model took too long to answer. Please try again, perhaps with a shorter or simpler question.',
  },
  bedrock_validation_error: {
    logEvent: 'bedrock_validation_error',
    retryable: false,
    userMessage:
      ':warning: The AI model couldn’t accept this request, most likely because the conversation is too long. Please start a new thread or shorten your message.',
  },
  bedrock_error: {
    logEvent: 'bedrock_error',
    retryable: true,
  },
};

/** Posted when the model declines to answer (content filter or guardrail). */
export const MODEL_DECLINED_MESSAGE =
  ':no_entry_sign: I can’t help with that request. Please rephrase it or ask something else.';

/** Posted when the question itself is empty (a legacy payload, or a request without a notice). */
export const EMPTY_QUESTION_MESSAGE =
  ':wave: Your message looks empty. Mention me with a question and I’ll answer in this thread.';

/** Posted when the model returns no text at all. */
export const EMPTY_ANSWER_MESSAGE =
  ':thinking_face: I couldn’t come up with an answer to that. Please try rephrasing your question.';

/** Appended to a reply that the model cut short at the token limit. */
export const TRUNCATED_SUFFIX = '\n\n_(My answer was cut short because it reached the length limit.)_';

/** Base of every error this app throws: a `kind` for logs and a `retryable` flag for the handler. */
export abstract class ExecutionError extends Error {
  /** Whether Lambda should retry the event (the handler throws) or the request ends here. */
  abstract readonly retryable: boolean;
}

/** A configuration variable is missing or invalid; the message names the variable, never its value. */
export class ConfigError extends ExecutionError {
  override readonly name = 'ConfigError';
  readonly retryable = true;
  /** The environment variable at fault. */
  readonly variable: string;
  constructor(variable: string, problem: string, options?: ErrorOptions) {
    super(`Invalid configuration: ${variable} ${problem}`, options);
    this.variable = variable;
  }
}

/** A Bedrock Converse call failed; `kind` selects the catalogue entry. */
export class BedrockInvocationError extends ExecutionError {
  override readonly name = 'BedrockInvocationError';
  /** Catalogue kind. */
  readonly kind: BedrockErrorKind;
  /** The AWS error name (e.g. `ThrottlingException`), safe to log. */
  readonly awsErrorName: string;
  readonly retryable: boolean;
  constructor(kind: BedrockErrorKind, awsErrorName: string, options?: ErrorOptions) {
    super(`Bedrock Converse failed: ${kind} (${awsErrorName})`, options);
    this.kind = kind;
    this.awsErrorName = awsErrorName;
    this.retryable = BEDROCK_ERROR_CATALOGUE[kind].retryable;
  }
}

/** A Slack Web API call failed. `slackError` is Slack's error code or `http_<status>` / `request_failed` / `rate_limited`. */
export class SlackApiError extends ExecutionError {
  override readonly name = 'SlackApiError';
  /** The Web API method, e.g. `chat.postMessage`. */
  readonly method: string;
  /** Slack's error code (`channel_not_found`), or `http_503`, `request_failed`, `rate_limited`, `unknown`. */
  readonly slackError: string;
  readonly retryable: boolean;
  constructor(method: string, slackError: string, retryable: boolean, options?: ErrorOptions) {
    super(`Slack ${method} failed: ${slackError}`, options);
    this.method = method;
    this.slackError = slackError;
    this.retryable = retryable;
  }
}

/** The bot token could not be obtained (Secrets Manager failure, empty or malformed secret, no source configured). */
export class BotTokenError extends ExecutionError {
  override readonly name = 'BotTokenError';
  readonly retryable = true;
}

/** The idempotency store (DynamoDB) could not be read or written; the event is never processed unguarded. */
export class IdempotencyStoreError extends ExecutionError {
  override readonly name = 'IdempotencyStoreError';
  readonly retryable = true;
}

/**
 * Another invocation holds the in-progress record for this `event_id`. Thrown so that Lambda retries this delivery
 * later: by then the first attempt has either completed (the retry ends as a duplicate) or failed and released the
 * record (the retry does the work). See README, "Idempotency".
 */
export class EventInProgressError extends ExecutionError {
  override readonly name = 'EventInProgressError';
  readonly retryable = true;
  /** The event being processed elsewhere. */
  readonly eventId: string;
  constructor(eventId: string, options?: ErrorOptions) {
    super(`Event ${eventId} is already being processed by another invocation; retry later`, options);
    this.eventId = eventId;
  }
}

/** Narrow an unknown throwable to its `name`, for logs. */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}
