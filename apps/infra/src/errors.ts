/**
 * Typed errors of the CDK app. Each sets `name`, chains `cause` when there is one, and says what was wrong in words an
 * operator can act on. None of them ever carries a secret value (the app never sees one).
 */

/**
 * A CDK context value (`-c key=value` or `cdk.json`) is missing, malformed or inconsistent with another one.
 *
 * @example
 * new ContextError('executionApiPercentage', 'must be an integer from 0 to 100, got "150"')
 */
export class ContextError extends Error {
  /** The context key at fault, e.g. `executionApiPercentage`. */
  readonly key: string;

  /**
   * @param key - the context key at fault, named first in the message
   * @param problem - what is wrong with it
   * @param options - optional `cause`
   */
  constructor(key: string, problem: string, options?: { cause?: unknown }) {
    super(`Context "${key}" ${problem}`, options);
    this.name = 'ContextError';
    this.key = key;
  }
}

/**
 * A construct was given props it refuses. Thrown before anything is built, so a refused construct leaves no half-built
 * resources in the tree.
 *
 * @example
 * new ConstructPropsError('ExecutionApi', 'throttlingBurstLimit', 'must be an integer of at least throttlingRateLimit (50), got 10')
 */
export class ConstructPropsError extends Error {
  /** The construct class that refused its props, e.g. `ExecutionApi`. */
  readonly construct: string;
  /** The prop at fault. */
  readonly prop: string;

  /**
   * @param construct - the construct class name
   * @param prop - the prop at fault
   * @param problem - what is wrong with it
   */
  constructor(construct: string, prop: string, problem: string) {
    super(`${construct}: "${prop}" ${problem}`);
    this.name = 'ConstructPropsError';
    this.construct = construct;
    this.prop = prop;
  }
}

/**
 * A grant that the target cannot honour, e.g. asking the execution API to admit a second principal while its resource
 * policy (from `libs/execution-api-contract`) explicitly denies everyone but its one invoker.
 */
export class GrantError extends Error {
  /**
   * @param message - why the grant is refused
   */
  constructor(message: string) {
    super(message);
    this.name = 'GrantError';
  }
}

/**
 * A Lambda bundle that a function's code comes from is not on disk. The message names the Nx target that builds it.
 */
export class LambdaBundleMissingError extends Error {
  /** The directory that was expected to hold `main.js`. */
  readonly bundleDir: string;

  /**
   * @param bundleDir - the directory that was expected to hold `main.js`
   * @param buildTarget - the Nx target that builds it, e.g. `verification-lambda:build`
   */
  constructor(bundleDir: string, buildTarget: string) {
    super(`Lambda bundle not found: ${bundleDir}/main.js. Build it first: npx nx run ${buildTarget}`);
    this.name = 'LambdaBundleMissingError';
    this.bundleDir = bundleDir;
  }
}
