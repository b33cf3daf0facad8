import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a timestamp more than this many seconds old **or** in the future is rejected. */
export const SLACK_REPLAY_WINDOW_SECONDS = 300;

/** Why a Slack request failed verification. Each maps to a short 401 message in {@link slackSignatureFailureMessage}. */
export type SlackSignatureFailure =
  | 'missing_secret'
  | 'missing_signature'
  | 'missing_timestamp'
  | 'missing_body'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'signature_mismatch';

/** The parts of a request that Slack signs, as received. */
export interface SlackSignedParts {
  /** `X-Slack-Signature`, e.g. `v0=a2114d…`. */
  readonly signature: string | undefined;
  /** `X-Slack-Request-Timestamp`, unix seconds as a decimal string. */
  readonly timestamp: string | undefined;
  /** The raw body bytes (already base64-decoded when the Function URL event said so). */
  readonly body: Buffer | undefined;
}

/** The outcome of {@link checkSlackRequestParts}: the parsed timestamp, or why the request is refused before any HMAC. */
export type SlackPartsCheck = { readonly ok: true; readonly timestamp: number } | { readonly ok: false; readonly reason: SlackSignatureFailure };

/** The outcome of {@link verifySlackSignature}. */
export type SlackSignatureResult = { readonly ok: true } | { readonly ok: false; readonly reason: SlackSignatureFailure };

const SIGNATURE_PATTERN = /^v0=([0-9a-f]{64})$/i;
// Ten or eleven digits cover unix seconds until the year 5138; more digits are refused before Number() rounding.
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

/**
 * Checks that a request carries everything Slack signs and that its timestamp lies inside the two-sided replay window.
 * Cheap and secret-free, so it runs before the signing secret is read.
 *
 * @param parts - signature header, timestamp header and raw body
 * @param nowSeconds - the verifier's clock, unix seconds
 * @returns the parsed timestamp, or the first failure found
 */
export function checkSlackRequestParts(parts: SlackSignedParts, nowSeconds: number): SlackPartsCheck {
  if (parts.signature === undefined || parts.signature === '') return { ok: false, reason: 'missing_signature' };
  if (parts.timestamp === undefined || parts.timestamp === '') return { ok: false, reason: 'missing_timestamp' };
  if (parts.body === undefined || parts.body.length === 0) return { ok: false, reason: 'missing_body' };
  if (!TIMESTAMP_PATTERN.test(parts.timestamp)) return { ok: false, reason: 'invalid_timestamp' };
  const timestamp = Number(parts.timestamp);
  // Strict `>`: exactly 300 s old (or ahead) is still accepted, as both official SDKs do.
  if (nowSeconds - timestamp > SLACK_REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  if (timestamp - nowSeconds > SLACK_REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'future_timestamp' };
  return { ok: true, timestamp };
}

/**
 * Computes Slack's v0 signature: `v0=` + hex(HMAC-SHA256(secret, `v0:{timestamp}:{body}`)).
 *
 * @param secret - the signing secret, UTF-8
 * @param timestamp - the `X-Slack-Request-Timestamp` value exactly as sent
 * @param body - the raw body bytes or text
 * @returns the signature string to compare with `X-Slack-Signature`
 */
export function computeSlackSignature(secret: string, timestamp: string, body: Buffer | string): string {
  return `v0=${hmac(secret, timestamp, body).toString('hex')}`;
}

/**
 * Verifies a Slack request: presence of every part, the two-sided 300 s replay window, then the HMAC, compared in
 * constant time. Fails closed: a missing secret, header or body is a failure, never a skip.
 *
 * @param parts - signature header, timestamp header and raw body
 * @param secret - the signing secret; `undefined` or empty fails with `missing_secret`
 * @param nowSeconds - the verifier's clock, unix seconds
 * @returns `{ ok: true }`, or the reason for refusing
 */
export function verifySlackSignature(parts: SlackSignedParts, secret: string | undefined, nowSeconds: number): SlackSignatureResult {
  if (secret === undefined || secret === '') return { ok: false, reason: 'missing_secret' };
  const check = checkSlackRequestParts(parts, nowSeconds);
  if (!check.ok) return check;
  return signatureMatches(parts, secret) ? { ok: true } : { ok: false, reason: 'signature_mismatch' };
}

/**
 * Compares only the HMAC (no presence or window checks) in constant time. Used to re-check against a re-read secret.
 *
 * @param parts - parts already accepted by {@link checkSlackRequestParts}
 * @param secret - the signing secret
 * @returns whether `X-Slack-Signature` matches
 */
export function signatureMatches(parts: SlackSignedParts, secret: string): boolean {
  if (parts.signature === undefined || parts.timestamp === undefined || parts.body === undefined) return false;
  const match = SIGNATURE_PATTERN.exec(parts.signature);
  const expected = hmac(secret, parts.timestamp, parts.body);
  // A malformed header is still compared against a same-length buffer, so that timing says nothing about the secret.
  const given = match?.[1] !== undefined ? Buffer.from(match[1], 'hex') : Buffer.alloc(expected.length);
  return timingSafeEqual(given, expected) && match !== null;
}

/** The short, secret-free message sent back with a 401 for each failure. */
export function slackSignatureFailureMessage(reason: SlackSignatureFailure): string {
  switch (reason) {
    case 'missing_secret':
      return 'signing secret unavailable; request cannot be verified';
    case 'missing_signature':
      return 'missing X-Slack-Signature header';
    case 'missing_timestamp':
      return 'missing X-Slack-Request-Timestamp header';
    case 'missing_body':
      return 'missing request body';
    case 'invalid_timestamp':
      return 'X-Slack-Request-Timestamp is not a unix timestamp';
    case 'stale_timestamp':
      return 'X-Slack-Request-Timestamp is more than 300 s old';
    case 'future_timestamp':
      return 'X-Slack-Request-Timestamp is more than 300 s in the future';
    case 'signature_mismatch':
      return 'invalid X-Slack-Signature';
  }
}

function hmac(secret: string, timestamp: string, body: Buffer | string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`v0:${timestamp}:`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest();
}
