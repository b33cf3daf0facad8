/**
 * The fallback matrix: what an API-path attempt means for the hand-off. Kept in one place so it is easy to read and change.
 */

/** One attempt on the API path, as the execution API client reports it. The client never throws. */
export type ApiAttempt =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly latencyMs: number }
  | {
      readonly kind: 'exception';
      readonly failure: 'timeout' | 'network' | 'signing' | 'unknown';
      readonly error: unknown;
      readonly latencyMs: number;
    };

/** Why an API attempt was not a success. */
export type ApiFailureReason =
  | 'payload_rejected'
  | 'forbidden'
  | 'throttled'
  | 'server_error'
  | 'unexpected_status'
  | 'timeout'
  | 'network_error'
  | 'signing_error'
  | 'exception';

/** What to do after an API attempt. */
export type ApiVerdict =
  | { readonly action: 'success' }
  /** 400: our payload is wrong; the direct path would carry the same bug, so no fallback. */
  | { readonly action: 'no_fallback'; readonly reason: 'payload_rejected' }
  | { readonly action: 'fallback'; readonly reason: Exclude<ApiFailureReason, 'payload_rejected'> };

/**
 * The fallback matrix.
 *
 * | API answer | verdict |
 * | --- | --- |
 * | 200, 202 | success (an earlier design counted only 202 and posted duplicates) |
 * | 400 | no fallback: a bug in our payload |
 * | 403 | fallback (`forbidden`: IAM or resource policy) |
 * | 429 | fallback (`throttled`) |
 * | 5xx | fallback (`server_error`) |
 * | any other status | fallback (`unexpected_status`): delivery matters more, and the execution layer is idempotent on `event_id` |
 * | timeout, network error, signing error, other exception | fallback |
 *
 * The fallback itself happens only when `BEDROCK_PROCESSOR_ARN` is set.
 *
 * @param attempt - the API attempt
 */
export function apiVerdict(attempt: ApiAttempt): ApiVerdict {
  if (attempt.kind === 'exception') {
    switch (attempt.failure) {
      case 'timeout':
        return { action: 'fallback', reason: 'timeout' };
      case 'network':
        return { action: 'fallback', reason: 'network_error' };
      case 'signing':
        return { action: 'fallback', reason: 'signing_error' };
      default:
        return { action: 'fallback', reason: 'exception' };
    }
  }
  const { status } = attempt;
  if (status === 200 || status === 202) return { action: 'success' };
  if (status === 400) return { action: 'no_fallback', reason: 'payload_rejected' };
  if (status === 403) return { action: 'fallback', reason: 'forbidden' };
  if (status === 429) return { action: 'fallback', reason: 'throttled' };
  if (status >= 500 && status <= 599) return { action: 'fallback', reason: 'server_error' };
  return { action: 'fallback', reason: 'unexpected_status' };
}
