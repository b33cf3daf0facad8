/**
 * Returns `error.name` when `error` is an Error, else `typeof error`: a thrown value's kind for logs, without its
 * message.
 *
 * @param error - any thrown value
 * @returns e.g. `ThrottlingException`, `TypeError`, `string`
 */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** The longest description {@link describeError} returns, before its ellipsis. */
export const DESCRIBE_ERROR_MAX_LENGTH = 500;

/**
 * Returns a short description of a thrown value for logs: `Name: message`, followed by up to two `cause`s
 * (`<- Name: message`), capped at {@link DESCRIBE_ERROR_MAX_LENGTH} characters. Callers only pass errors whose messages
 * hold no secret (ours say so; the logging lib masks tokens in any string besides).
 *
 * @param error - any thrown value
 * @returns the description
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  const text = parts.join(' <- ');
  return text.length > DESCRIBE_ERROR_MAX_LENGTH ? `${text.slice(0, DESCRIBE_ERROR_MAX_LENGTH)}…` : text;
}

/**
 * One line for a terminal or a report cell: `Name: message` with whitespace collapsed, capped at `maxLength`
 * characters. Unlike {@link describeError} it leaves out the causes: the tools put it inside a sentence of their own
 * that already says what failed.
 *
 * @param error - any thrown value
 * @param maxLength - the longest line returned, before its ellipsis
 * @returns the line
 */
export function describeErrorLine(error: unknown, maxLength: number): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > maxLength ? `${oneLine.slice(0, maxLength)}…` : oneLine;
}
