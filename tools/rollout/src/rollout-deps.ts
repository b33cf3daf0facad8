import type { Clock } from './clock';
import type { DeployStep } from './deploy';
import { PreconditionError, StateFileError } from './errors';
import type { Reporter } from './events';
import type { MetricsReader } from './metrics';
import type { StackReader } from './stack-reader';
import type { RolloutState, RolloutStatus, StateStore } from './state';

/** What every rollout command needs. All of it is injected; the CLI wires the real implementations. */
export interface RolloutDeps {
  /** Keeps progress across restarts. */
  readonly store: StateStore;
  /** Changes the stack (infra deploy). */
  readonly deploy: DeployStep;
  /** Reads the gates' metrics. */
  readonly metrics: MetricsReader;
  /** Reads what is deployed (read-only). */
  readonly stack: StackReader;
  /** Time and waiting. */
  readonly clock: Clock;
  /** Receives progress. */
  readonly reporter: Reporter;
  /** Asks the operator; resolves true to go on. The CLI answers true for `--yes`. */
  readonly confirm: (question: string) => Promise<boolean>;
}

/**
 * How a command ended. `completed`: every stage passed; `rolled_back`: a gate failed (or another command rolled back);
 * `held`: a stage lacked samples after its extension; `nothing_to_do`: already completed or cleaned up; `dry_run`.
 */
export type RunResult = 'completed' | 'rolled_back' | 'held' | 'nothing_to_do' | 'dry_run';

/** The outcome of {@link runRollout}. */
export interface RunOutcome {
  /** How it ended. */
  readonly result: RunResult;
  /** The state at the end (undefined for a dry run without a state). */
  readonly state: RolloutState | undefined;
}

/** An ISO-8601 timestamp of `ms` (epoch milliseconds), as the state file records times. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Statuses in which a stage of the run is (being) deployed. */
export const LIVE_STATUSES: readonly RolloutStatus[] = ['deploying', 'baking', 'held'];

/** Whether a state shows a rollback started or done (by any command). */
export function isRollback(state: RolloutState | undefined): boolean {
  return state?.status === 'rolling_back' || state?.status === 'rolled_back';
}

/**
 * Checks that a stored state belongs to this stack and region.
 *
 * @throws StateFileError when the state belongs to another stack
 * @throws PreconditionError when the state's region differs
 */
export function checkStateIdentity(state: RolloutState, stack: string, region: string | undefined, location: string): void {
  if (state.stack !== stack) {
    throw new StateFileError(location, `belongs to stack ${state.stack}, not ${stack}; pass --state-file for another file`);
  }
  if (region && state.region && state.region !== region) {
    throw new PreconditionError(`the rollout in ${location} runs in ${state.region}, not ${region}`);
  }
}
