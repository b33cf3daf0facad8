/**
 * Typed errors of the verification Lambda. Each sets `name`, chains `cause`, and carries a message that is safe to log:
 * no secret, no token, no header value. `ConfigError` and the log helpers are shared with the execution Lambda
 * (`@slack-ai-app/errors`).
 */

/**
 * The Slack signing secret could not be read (extension unreachable, non-2xx answer, timeout, bad JSON, empty secret).
 * The message names the step that failed and never the secret or the session token.
 */
export class SecretFetchError extends Error {
  /**
   * @param message - what failed, safe to log
   * @param options - optional `cause`, and `transient` for a failure another try may not repeat
   */
  constructor(message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, options);
    this.name = 'SecretFetchError';
    this.transient = options?.transient ?? false;
  }

  /** The extension did not answer in time or the connection failed: another try may succeed. */
  readonly transient: boolean;
}

/**
 * The direct `lambda:Invoke` hand-off did not answer 202, or threw. `cause` holds the SDK error when there was one.
 */
export class DirectInvokeError extends Error {
  /** The StatusCode Lambda answered, when it answered at all. */
  readonly statusCode: number | undefined;

  /**
   * @param message - what failed, safe to log
   * @param statusCode - the status Lambda answered, if any
   * @param options - optional `cause`
   */
  constructor(message: string, statusCode?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DirectInvokeError';
    this.statusCode = statusCode;
  }
}
