/**
 * A policy uses valid IAM that {@link authorize} does not emulate (NotPrincipal, a `Federated` principal, a condition
 * operator outside its list, policy variables...). Thrown rather than guessed, so an unmodelled rule never allows.
 */
export class UnsupportedPolicyFeatureError extends Error {
  override readonly name = 'UnsupportedPolicyFeatureError';

  /**
   * @param message - What is not supported and where (e.g. `resource policy Statement[1].Condition: operator "IpAddress"`).
   * @param options - `cause`, when another error led here.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A policy document is not valid IAM JSON (bad Effect, no Action, a Principal in an identity policy...). */
export class MalformedPolicyError extends Error {
  override readonly name = 'MalformedPolicyError';

  /**
   * @param message - What is wrong and where (e.g. `identity policy 0 Statement[2].Effect must be "Allow" or "Deny"`).
   * @param options - `cause`, when another error led here.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An {@link authorize} request is not usable (an empty action, an unknown principal type...). The message names the field. */
export class AuthorizationRequestError extends Error {
  override readonly name = 'AuthorizationRequestError';

  /**
   * @param field - the request field at fault, e.g. `request.action`
   * @param problem - what is wrong with it
   */
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}
