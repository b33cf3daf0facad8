/** A helper of this package got an argument it cannot use. The message names the argument. */
export class ContractArgumentError extends Error {
  override readonly name = 'ContractArgumentError';
  /** The argument at fault, e.g. `stage` or `request.principalArn`. */
  readonly argument: string;

  /**
   * @param argument - The argument at fault.
   * @param problem - What is wrong with it, without echoing secrets (ARNs are not secret here).
   */
  constructor(argument: string, problem: string) {
    super(`${argument}: ${problem}`);
    this.argument = argument;
  }
}

/** A policy document is not valid IAM JSON (bad Effect, missing Action, a condition value that is not a string...). */
export class MalformedPolicyError extends Error {
  override readonly name = 'MalformedPolicyError';
}

/**
 * A policy uses valid IAM that {@link evaluateResourcePolicy} does not model (NotAction, a condition operator or key
 * outside its subset, policy variables...). Thrown rather than guessed, so an unmodelled rule never silently passes.
 */
export class UnsupportedPolicyFeatureError extends Error {
  override readonly name = 'UnsupportedPolicyFeatureError';
}
