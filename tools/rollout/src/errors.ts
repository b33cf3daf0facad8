import { describeErrorLine } from '@slack-ai-app/errors';

/**
 * Typed errors of the rollout tool. Each sets `name`, chains `cause` when there is one, and carries a message meant for
 * the operator: it says what was wrong and what to do, and never contains a credential or a secret.
 */

/** A command-line flag or a plan value is invalid. The CLI exits with code 2 and prints the message. */
export class UsageError extends Error {
  /**
   * @param message - what is wrong, naming the flag or value
   * @param options - optional `cause`
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** The state file cannot be read, parsed or written. */
export class StateFileError extends Error {
  /** The state file at fault. */
  readonly path: string;

  /**
   * @param path - the state file
   * @param problem - what is wrong with it
   * @param options - optional `cause`
   */
  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(`state file ${path}: ${problem}`, options);
    this.name = 'StateFileError';
    this.path = path;
  }
}

/**
 * The state file changed under a running command: another `run`, `rollback` or `cleanup` wrote it. The running command
 * stops without deploying anything further.
 */
export class ConcurrentModificationError extends Error {
  /** The revision this process last wrote or read. */
  readonly expectedRevision: number;
  /** The revision found on disk. */
  readonly actualRevision: number;

  /**
   * @param expectedRevision - the revision this process expected
   * @param actualRevision - the revision found
   */
  constructor(expectedRevision: number, actualRevision: number) {
    super(
      `the rollout state changed under this command (expected revision ${expectedRevision}, found ${actualRevision}): ` +
        'another rollout command is running against this stack; stopping without further deploys',
    );
    this.name = 'ConcurrentModificationError';
    this.expectedRevision = expectedRevision;
    this.actualRevision = actualRevision;
  }
}

/** The infra deploy step failed (non-zero exit code, or the process could not start). */
export class DeployError extends Error {
  /** The exit code of the deploy process, when it exited at all. */
  readonly exitCode: number | undefined;

  /**
   * @param message - what failed
   * @param exitCode - the exit code, when there was one
   * @param options - optional `cause`
   */
  constructor(message: string, exitCode?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
    this.exitCode = exitCode;
  }
}

/** The deployed stack could not be read, or lacks an output or variable the tool needs. */
export class StackReadError extends Error {
  /**
   * @param message - what could not be read and how to fix it
   * @param options - optional `cause`
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StackReadError';
  }
}

/** CloudWatch could not be read. */
export class MetricsReadError extends Error {
  /**
   * @param message - what failed
   * @param options - optional `cause`
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetricsReadError';
  }
}

/**
 * The requested command is not allowed in the current rollout state, e.g. `cleanup` before 100 % has baked green, or
 * `run` after a rollback without `--restart`. Nothing was deployed.
 */
export class PreconditionError extends Error {
  /**
   * @param message - why the command is refused and what to do instead
   */
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionError';
  }
}

/** The operator declined the confirmation prompt, or no prompt was possible and `--yes` was not given. */
export class NotConfirmedError extends Error {
  /**
   * @param message - what was not confirmed
   */
  constructor(message: string) {
    super(message);
    this.name = 'NotConfirmedError';
  }
}

/** `check-auth` could not complete a request (network failure, timeout, credentials unavailable). */
export class CheckAuthError extends Error {
  /**
   * @param message - what failed
   * @param options - optional `cause`
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckAuthError';
  }
}

/**
 * A short, single-line description of an unknown thrown value for the terminal: its name and message, capped at 500
 * characters. The shared one-line form (`@slack-ai-app/errors`), not the Lambdas' `describeError`: each message here
 * already says what failed, and a terminal line has no room for the cause chain.
 */
export function describeError(error: unknown): string {
  return describeErrorLine(error, 500);
}
