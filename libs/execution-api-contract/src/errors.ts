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
