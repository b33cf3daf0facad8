/** The fixed marker that replaces every masked value. */
export const REDACTED = '[REDACTED]';

/**
 * Name endings (letters and digits only, lower case) that mark a field as secret: `bot_token`, `X-Amz-Security-Token`,
 * `x-slack-signature`, `SLACK_SIGNING_SECRET`, `aws_secret_access_key`, `Authorization`, `set-cookie`, ...
 * Plurals that carry counts (`inputTokens`, `max_tokens`) deliberately do not match.
 */
const SECRET_NAME_ENDINGS = [
  'token',
  'secret',
  'secrets',
  'password',
  'passwd',
  'passphrase',
  'signature',
  'authorization',
  'secretaccesskey',
  'secretstring',
  'secretbinary',
  'apikey',
  'privatekey',
  'cookie',
  'cookies',
];

const SECRET_KEY = new RegExp(`(?:${SECRET_NAME_ENDINGS.join('|')})$`);
const NON_ALPHANUMERIC = /[^a-z0-9]/g;
const KEY_CACHE_LIMIT = 1024;
const keyCache = new Map<string, boolean>();

/**
 * Whether an object key names a secret, compared case-insensitively and ignoring separators, so `Authorization`,
 * `authorization`, `x-amz-security-token`, `X-Amz-Security-Token`, `signingSecret` and `SLACK_SIGNING_SECRET` all match.
 */
export function isSecretKey(key: string): boolean {
  const cached = keyCache.get(key);
  if (cached !== undefined) return cached;
  const secret = SECRET_KEY.test(key.toLowerCase().replace(NON_ALPHANUMERIC, ''));
  // Keys repeat from line to line; a small bounded cache keeps the per-key cost to one lookup.
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(key, secret);
  return secret;
}

/** The same endings for names inside free text, where words are joined by `-`, `_` or `.` (`X-Amz-Security-Token=`). */
const TEXT_NAME =
  '[A-Za-z0-9_.-]*?(?:token|secrets?|password|passwd|passphrase|signature|authorization|' +
  'secret[-_]?access[-_]?key|secret[-_]?string|secret[-_]?binary|api[-_]?key|private[-_]?key|cookies?)';

/** Slack tokens (`xoxb-`, `xoxp-`, `xoxa-`, any `xox?-`, app-level `xapp-`) anywhere, even inside a longer word. */
const SLACK_TOKEN = /x(?:ox[a-z]|app)-[A-Za-z0-9-]*/gi;
/** A Slack request signature value (`v0=` + 64 hex digits), e.g. from a raw header list. */
const SLACK_SIGNATURE = /v0=[0-9a-f]{64}/gi;
/** `Bearer <token>` as in an Authorization header value. */
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
/** A JSON member with a secret name and a string value, inside a string (a logged response body). */
const JSON_MEMBER = new RegExp(`("${TEXT_NAME}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/**
 * `name=value`, `name: value` (header dumps, query strings, form bodies, env dumps), also with quotes around the name.
 * A colon only separates when followed by a space or a quote, so ARNs such as `...:secret:slack-signing` stay readable.
 */
const NAME_VALUE = new RegExp(
  `(?<![A-Za-z0-9_.-])(${TEXT_NAME}\\\\?["']?\\s*(?:=|:(?=[\\s"'\\\\]))\\s*\\\\?["']?)[^\\s"'&,;\\\\]+`,
  'gi',
);

/**
 * Masks secrets inside a free-form string (a message, an error message or stack, a URL, a response body):
 * Slack tokens (`xoxb-`, `xoxp-`, `xoxa-`... anywhere), Slack `v0=` signatures, `Bearer` tokens, and the value of any
 * `name=value`, `name: value` or JSON `"name": "value"` pair whose name ends like a secret (`token`, `secret`,
 * `signature`, `authorization`, `password`, `secret_access_key`, `api_key`, `cookie`...). Each masked value becomes
 * {@link REDACTED}; the rest of the string is kept.
 *
 * @param text - any string.
 * @returns the string with secrets masked (the same string when there is nothing to mask).
 * @example
 * ```ts
 * redactSecrets('auth failed for xoxb-123-456-abc'); // 'auth failed for [REDACTED]'
 * redactSecrets('https://x/?X-Amz-Security-Token=IQo&a=1'); // 'https://x/?X-Amz-Security-Token=[REDACTED]&a=1'
 * ```
 */
export function redactSecrets(text: string): string {
  return text
    .replace(SLACK_TOKEN, REDACTED)
    .replace(SLACK_SIGNATURE, `v0=${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(JSON_MEMBER, `$1"${REDACTED}"`)
    .replace(NAME_VALUE, `$1${REDACTED}`);
}
