/**
 * What text goes to the model: bot mentions stripped, and a notice instead of the text when it is empty or too long.
 */

/** A notice for the execution layer to post as is, without a model call (`ExecutionRequest.notice`). */
export interface TextNotice {
  readonly kind: 'empty_text' | 'text_too_long';
  readonly text: string;
}

/** The outcome of {@link prepareText}. */
export type PreparedText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly notice: TextNotice; readonly textLength: number };

/** Posted when the user mentioned the bot (or sent a DM) with no question. */
export const EMPTY_TEXT_NOTICE =
  "Hi! It looks like your message was empty. Mention me with a question and I'll do my best to answer.";

/**
 * Posted when the question is longer than the limit.
 *
 * @param maxLength - the limit, in characters
 */
export function textTooLongNotice(maxLength: number): string {
  return `Sorry, your message is too long for me to answer. Please shorten it to ${maxLength.toLocaleString('en-US')} characters or fewer and ask again.`;
}

/**
 * Removes mentions of the bot (`<@U123>` or `<@U123|name>`), with one following space, then trims.
 * When the bot's id is unknown, every user mention is removed, since the mention that triggered the event cannot be told
 * apart from the others.
 *
 * @param text - Slack message text (mrkdwn)
 * @param botUserId - the bot's own user id, if known
 */
export function stripBotMentions(text: string, botUserId: string | undefined): string {
  const id = botUserId === undefined ? '[UW][A-Z0-9]+' : escapeRegExp(botUserId);
  return text.replace(new RegExp(`<@${id}(?:\\|[^>]*)?>[ \\t]?`, 'g'), '').trim();
}

/**
 * Prepares the text handed to the model.
 *
 * Length is counted in Unicode code points (an emoji counts once), the unit the ExecutionRequest schema validates
 * `MAX_TEXT_LENGTH` in.
 *
 * @param rawText - `event.text`
 * @param botUserId - the bot's own user id, if known
 * @param maxLength - the limit, `MAX_TEXT_LENGTH` (4,000)
 * @returns the text to send, or a notice to post instead
 */
export function prepareText(rawText: string, botUserId: string | undefined, maxLength: number): PreparedText {
  const text = stripBotMentions(rawText, botUserId);
  if (text === '') return { ok: false, notice: { kind: 'empty_text', text: EMPTY_TEXT_NOTICE }, textLength: 0 };
  const length = codePointLength(text);
  if (length > maxLength) {
    return { ok: false, notice: { kind: 'text_too_long', text: textTooLongNotice(maxLength) }, textLength: length };
  }
  return { ok: true, text };
}

/** Counts Unicode code points: a surrogate pair once, as zod and JSON Schema `maxLength` do. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
