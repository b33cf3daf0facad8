/**
 * Thrown by {@link createLogger} when the log level (the `level` option or the `LOG_LEVEL` environment variable) is not
 * one of the supported level names. The message names the source of the bad value so that a cold start fails with a
 * message an operator can act on.
 *
 * @example
 * ```ts
 * try {
 *   createLogger();
 * } catch (error) {
 *   if (error instanceof LoggerConfigError) console.error(error.message); // LOG_LEVEL must be one of ...
 * }
 * ```
 */
export class LoggerConfigError extends Error {
  override readonly name = 'LoggerConfigError';

  /**
   * @param message - what was wrong, naming the option or environment variable.
   * @param options - optional `cause` to chain.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Thrown by {@link AppLogger.metric} when the metrics or dimensions cannot form a valid CloudWatch Embedded Metric Format
 * document (for example a non-finite value, more than 30 dimensions, or a name that collides with a field of the line).
 * These are programming errors: the arguments come from code, never from users. `issues` lists every problem found.
 */
export class MetricValidationError extends Error {
  override readonly name = 'MetricValidationError';

  /** Every problem found, one sentence each; never contains a metric or dimension value. */
  readonly issues: readonly string[];

  /**
   * @param event - the event name the metric was logged under.
   * @param issues - every problem found (at least one).
   */
  constructor(event: string, issues: readonly string[]) {
    super(`Invalid metric for event "${event}": ${issues.join('; ')}`);
    this.issues = issues;
  }
}
