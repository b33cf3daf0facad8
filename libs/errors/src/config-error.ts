/**
 * The environment does not describe a usable configuration. Thrown by each Lambda's `parseConfig` at cold start.
 *
 * The message is the variable name(s) followed by the problem, as a sentence (no `NAME: value` pairs, which the logging
 * lib would mask as secrets for names like `SLACK_SIGNING_SECRET`). It never holds a value that may be secret.
 *
 * @example
 * new ConfigError('USE_API_GATEWAY_PERCENTAGE', 'must be an integer from 0 to 100, got "150"')
 * // message: 'USE_API_GATEWAY_PERCENTAGE must be an integer from 0 to 100, got "150"'
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /** The environment variable(s) at fault, e.g. `['SLACK_SIGNING_SECRET_ARN', 'SLACK_SIGNING_SECRET']`. */
  readonly variables: readonly string[];

  /**
   * @param variables - the variable or variables at fault, named in the message (joined with "or")
   * @param problem - what is wrong with them, as the rest of a sentence; never a value that may be secret
   * @param options - optional `cause`
   */
  constructor(variables: string | readonly string[], problem: string, options?: { cause?: unknown }) {
    const names = typeof variables === 'string' ? [variables] : [...variables];
    super(`${names.join(' or ')} ${problem}`, options);
    this.variables = names;
  }

  /**
   * Combines several problems into one error whose message lists each (`A …; B …`) and whose `variables` names all.
   *
   * @param errors - at least one error
   * @returns the only error when there is one, else a new one whose `cause` is the first
   * @throws RangeError when `errors` is empty
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
