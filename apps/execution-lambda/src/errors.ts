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
 * No message here ever contains a token, an ARN, a stack or the text of a Slack message. `ConfigError` and `errorName`
 * are shared with the verification Lambda (`@slack-ai-app/errors`).
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

/**
 * What an administrator should check when Bedrock refuses access, told apart by the text of Bedrock's error. The
 * catalogue entry `bedrock_access_denied` covers them all; the hint says which setup step is missing.
 */
export type BedrockAccessHint =
  | 'marketplace_subscription'
  | 'use_case_form'
  | 'explicit_deny'
  | 'iam_policy'
  | 'model_access'
  | 'model_not_available'
  | 'credentials_rejected'
  | 'unknown';

/**
 * One line per hint, for the logs and for the workspace admin in the Slack reply. No ARN, account id or stack: only
 * what to check.
 */
export const BEDROCK_ACCESS_HINTS: Readonly<Record<BedrockAccessHint, string>> = {
  marketplace_subscription:
    'Bedrock could not subscribe the AWS account to this model in AWS Marketplace; an administrator must enable it once (see the infra README, "Model access").',
  use_case_form: 'the AWS account has not submitted Anthropic’s first-time use case form in the Bedrock console.',
  explicit_deny: 'an explicit Deny (for example a Service Control Policy or a Region restriction) blocks this model.',
  iam_policy: 'the execution role may not invoke this model (or the Regions its inference profile routes to); redeploy with the model id the function uses.',
  model_access: 'the AWS account has no access to this model in this Region; check the model id, the Region and the model’s availability.',
  model_not_available: 'the configured model or inference profile does not exist in this Region; check BEDROCK_MODEL_ID.',
  credentials_rejected: 'Bedrock did not accept the function’s AWS credentials.',
  unknown: 'check the execution Lambda’s bedrock_access_denied log events.',
};

/**
 * Bedrock's access-denied texts, most specific first. Each pattern is a phrase of a real message:
 * - "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace
 *   actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe)…" and "…is not authorized to perform:
 *   aws-marketplace:ViewSubscriptions…": https://github.com/aws-samples/anthropic-on-aws/issues/251,
 *   https://github.com/aws-solutions-library-samples/accelerated-intelligent-document-processing-on-aws/issues/124
 * - FTUFormNotFilled, "Model use case details have not been submitted for this account":
 *   https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html
 * - "…is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: … with an explicit deny in an
 *   identity-based policy": https://github.com/posit-dev/positron/issues/10683
 * - "…is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:…:inference-profile/… because no
 *   identity-based policy allows the bedrock:InvokeModel action": https://github.com/anthropics/claude-code/issues/6191
 * - "You don't have access to the model with the specified model ID.": https://github.com/andrewyng/aisuite/issues/174
 */
const ACCESS_HINT_PATTERNS: ReadonlyArray<readonly [RegExp, BedrockAccessHint]> = [
  [/aws-marketplace:|AWS Marketplace/i, 'marketplace_subscription'],
  [/use case details|use case form|FTUFormNotFilled/i, 'use_case_form'],
  [/with an explicit deny/i, 'explicit_deny'],
  [/not authorized to perform: bedrock:/i, 'iam_policy'],
  [/don.t have access to the model/i, 'model_access'],
];

/**
 * Tells which setup step an access failure points to, from the AWS error's name and message. The message itself is
 * never logged or shown: it holds the caller's ARN and account id.
 *
 * @param awsErrorName - e.g. `AccessDeniedException`, `ResourceNotFoundException`
 * @param message - the error's message
 * @returns the hint
 */
export function bedrockAccessHint(awsErrorName: string, message: string): BedrockAccessHint {
  if (awsErrorName === 'UnrecognizedClientException') return 'credentials_rejected';
  for (const [pattern, hint] of ACCESS_HINT_PATTERNS) if (pattern.test(message)) return hint;
  return awsErrorName === 'ResourceNotFoundException' ? 'model_not_available' : 'unknown';
}

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

/** A Bedrock Converse call failed; `kind` selects the catalogue entry. */
export class BedrockInvocationError extends ExecutionError {
  override readonly name = 'BedrockInvocationError';
  /** Catalogue kind. */
  readonly kind: BedrockErrorKind;
  /** The AWS error name (e.g. `ThrottlingException`), safe to log. */
  readonly awsErrorName: string;
  readonly retryable: boolean;
  /** For `bedrock_access_denied`: which setup step to check. */
  readonly accessHint: BedrockAccessHint | undefined;
  constructor(kind: BedrockErrorKind, awsErrorName: string, options?: ErrorOptions & { readonly accessHint?: BedrockAccessHint }) {
    super(`Bedrock Converse failed: ${kind} (${awsErrorName})`, options);
    this.kind = kind;
    this.awsErrorName = awsErrorName;
    this.retryable = BEDROCK_ERROR_CATALOGUE[kind].retryable;
    this.accessHint = options?.accessHint;
  }
}

/**
 * What the user reads for a terminal model failure: the catalogue's message, plus, for an access failure, one line for
 * the workspace admin saying what to check.
 *
 * @param error - a terminal {@link BedrockInvocationError}
 * @returns the Slack text
 */
export function bedrockUserMessage(error: BedrockInvocationError): string {
  const message = BEDROCK_ERROR_CATALOGUE[error.kind].userMessage ?? '';
  return error.accessHint === undefined ? message : `${message}\n_For the admin: ${BEDROCK_ACCESS_HINTS[error.accessHint]}_`;
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
