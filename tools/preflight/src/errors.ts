/** A command-line argument is missing or malformed; the message names it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
