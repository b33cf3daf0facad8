import * as z from 'zod/mini';

/*
 * Field schemas shared by the ExecutionRequest and the Slack envelope.
 *
 * Every constraint here must mean the same thing to zod, to ajv and to API Gateway's draft-04 validator, because
 * the JSON Schema model is generated from these schemas. So: only `minLength`/`maxLength` (zod 4 and ajv both count
 * Unicode code points, a surrogate pair once) and patterns made of ASCII character classes and anchors (no `.`,
 * no `\s`/`\w`, no Unicode classes), which match identically with or without the `u` flag in ECMAScript and in
 * Java's regex dialect. One known difference remains: Java's `$` also matches before a final line terminator, so a
 * Java-based validator may let `"C123\n"` through where zod and ajv reject it; the execution Lambda re-validates
 * with zod, so such a value is still refused there.
 */

/** Longest message text (Unicode code points) the execution layer sends to the model or to Slack. */
export const MAX_TEXT_LENGTH = 4000;

const SLACK_ID_PATTERN = /^[A-Za-z0-9_-]+$/u;
const SLACK_TS_PATTERN = /^[0-9]+\.[0-9]+$/u;
const PRINTABLE_ASCII_PATTERN = /^[!-~]+$/u;
const HTTPS_URL_PATTERN = new RegExp('^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$', 'u');

/** A Slack id (channel, user, team, bot, app, event): letters, digits, `_` or `-`, 1 to 64 characters. */
export const slackId = z.string().check(
  z.minLength(1, { abort: true }),
  z.maxLength(64, { abort: true }),
  z.regex(SLACK_ID_PATTERN, { error: 'must be a Slack id (letters, digits, "_" or "-")' }),
);

/** A Slack message timestamp such as `1355517523.000005`, at most 32 characters. */
export const slackTs = z.string().check(
  z.minLength(1, { abort: true }),
  z.maxLength(32, { abort: true }),
  z.regex(SLACK_TS_PATTERN, { error: 'must be a Slack timestamp (digits "." digits)' }),
);

/** Message text: 0 to {@link MAX_TEXT_LENGTH} code points, any characters. */
export const messageText = z.string().check(z.maxLength(MAX_TEXT_LENGTH));

/** A text we post ourselves: 1 to {@link MAX_TEXT_LENGTH} code points. */
export const noticeText = z.string().check(z.minLength(1), z.maxLength(MAX_TEXT_LENGTH));

/** A correlation id: 1 to 128 printable ASCII characters (no spaces or control characters, so safe in logs). */
export const correlationId = z.string().check(
  z.minLength(1, { abort: true }),
  z.maxLength(128, { abort: true }),
  z.regex(PRINTABLE_ASCII_PATTERN, { error: 'must be printable ASCII without spaces' }),
);

/** An `https://` URL with an ASCII host, an optional port and an optional printable-ASCII path, at most 2048 characters. */
export const httpsUrl = z.string().check(
  z.maxLength(2048, { abort: true }),
  z.regex(HTTPS_URL_PATTERN, { error: 'must be an https URL' }),
);

/** A Slack token (legacy payloads only): 1 to 512 printable ASCII characters. Its value never appears in errors. */
export const slackToken = z.string().check(
  z.minLength(1, { abort: true }),
  z.maxLength(512, { abort: true }),
  z.regex(PRINTABLE_ASCII_PATTERN, { error: 'must be printable ASCII without spaces' }),
);
