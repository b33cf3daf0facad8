/**
 * Summarises a message text for logging: its length, never its content (Slack messages and model replies are user
 * data). The length is counted in UTF-16 code units, the same unit as the payload schema's `MAX_TEXT_LENGTH`.
 *
 * @param text - the message text.
 * @returns `{ text_length }`.
 * @example
 * ```ts
 * logger.event(LogEvent.ProcessingStarted, { channel, ...textSummary(request.text) });
 * ```
 */
export function textSummary(text: string): { text_length: number } {
  return { text_length: text.length };
}
