/**
 * Typed errors of the verification Lambda. Each sets `name`, chains `cause`, and carries a message that is safe to log:
 * no secret, no token, no header value.
 */

/**
 * The environment does not describe a usable configuration. Thrown by `parseConfig` at cold start.
 *
 * The message is the variable name(s) followed by the problem, as a sentence (no `NAME: value` pairs, which the logging
 * lib would mask as secrets for names like `SLACK_SIGNING_SECRET`).
 *
 * @example
 * new ConfigError('USE_API_GATEWAY_PERCENTAGE', 'must be an integer from 0 to 100, got "150"')
 * // message: 'USE_API_GATEWAY_PERCENTAGE must be an integer from 0 to 100, got "150"'
 */
export class ConfigError extends Error {
  /** The environment variable(s) at fault, e.g. `['SLACK_SIGNING_SECRET_ARN', 'SLACK_SIGNING_SECRET']`. */
  readonly variables: readonly string[];

  /**
   * @param variables - the variable or variables at fault, named in the message
   * @param problem - what is wrong with them, as the rest of a sentence; never a value that may be secret
   * @param options - optional `cause`
   */
  constructor(variables: string | readonly string[], problem: string, options?: { cause?: unknown }) {
    const names = typeof variables === 'string' ? [variables] : [...variables];
    super(`${names.join(' or ')} ${problem}`, options);
    this.name = 'ConfigError';
    this.variables = names;
  }

  /**
   * Combines several problems into one error whose message lists each (`A …; B …`) and whose `variables` names all.
   *
   * @param errors - at least one error
   */
  static combine(errors: readonly ConfigError[]): ConfigError {
    const [first] = errors;
    if (first === undefined) throw new RangeError('ConfigError.combine needs at least one error');
    if (errors.length === 1) return first;
    const combined = new ConfigError(
      errors.flatMap((e) => e.variables),
      '',
      { cause: first },
    );
    combined.message = errors.map((e) => e.message).join('; ');
    return combined;
  }
}

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

/** Returns `error.name` when `error` is an Error, else `typeof error`. Used to log a cause without its message. */
export function errorKind(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Returns a short description of a thrown value for logs: `Name: message`, followed by up to two `cause`s
 * (`<- Name: message`), capped at 500 characters. Callers only pass errors whose messages hold no secret (ours say
 * so; the logging lib masks tokens in any string besides).
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  const text = parts.join(' <- ');
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
