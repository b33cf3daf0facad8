import { DEFAULT_ROLLBACK_RETRY, deployWithRetry, type RollbackRetry, ROLLBACK_TARGET } from './deploy-retry';
import type { DeployRequest } from './deploy';
import { type DeployExtras, DEFAULT_PLAN } from './plan';
import { checkStateIdentity, iso, LIVE_STATUSES, type RolloutDeps, type RunOutcome } from './rollout-deps';
import type { RolloutState } from './state';
import { commitLatest, type StateWriter } from './state-writer';

/** Options of {@link rollbackNow}. */
export interface RollbackOptions {
  /** The stack; must match the state file's, if there is one. */
  readonly stack: string;
  /** Region, checked against the state file's. */
  readonly region?: string;
  /** Why, recorded in the state. @default 'manual rollback' */
  readonly reason?: string;
  /** Report the command only. */
  readonly dryRun?: boolean;
  /** Retry policy. @default DEFAULT_ROLLBACK_RETRY */
  readonly retry?: RollbackRetry;
  /** Extra deploy context and arguments. @default those of the run in the state file, else none */
  readonly extras?: DeployExtras;
}

/**
 * Deploys 0 % (fallback on) at once. Never asks for confirmation and never waits for a lock: it writes `rolling_back`
 * to the state (so a running `run` stops at its next step), deploys with retries, then writes `rolled_back`. Without a
 * state file it only deploys.
 *
 * @param deps - store, deploy step, clock and reporter are used
 * @param options - stack, reason, dry-run
 * @returns the outcome, result `rolled_back` (or `dry_run`)
 * @throws DeployError when every deploy attempt failed (the state stays `rolling_back`; any later command finishes it)
 */
export async function rollbackNow(
  deps: Pick<RolloutDeps, 'store' | 'deploy' | 'clock' | 'reporter'>,
  options: RollbackOptions,
): Promise<RunOutcome> {
  const reason = options.reason ?? 'manual rollback';
  const retry = options.retry ?? DEFAULT_ROLLBACK_RETRY;
  let state = await deps.store.load();
  if (state) checkStateIdentity(state, options.stack, options.region, deps.store.location);
  if (options.dryRun) {
    const request = rollbackRequest(state, reason, options.extras);
    deps.reporter.emit({ type: 'dry_run', action: 'deploy 0 % (fallback on)', command: deps.deploy.describe(request) });
    return { result: 'dry_run', state };
  }
  if (!state) {
    await deployWithRetry(deps, rollbackRequest(undefined, reason, options.extras), retry);
    deps.reporter.emit({ type: 'rolled_back', breach: undefined });
    return { result: 'rolled_back', state: undefined };
  }
  // Takes precedence over a running `run`: the write is retried on the latest revision, and the run stops when it sees it.
  state = await commitLatest(
    deps,
    state,
    (current) => ({
      status: 'rolling_back',
      breach:
        current.status === 'rolling_back' && current.breach
          ? current.breach
          : {
              kind: 'manual',
              at: iso(deps.clock.now()),
              stageIndex: LIVE_STATUSES.includes(current.status) ? current.stageIndex : undefined,
              percentage: LIVE_STATUSES.includes(current.status) ? current.plan.stages[current.stageIndex]?.percentage : undefined,
              gates: [],
              message: reason,
            },
    }),
    `rollback requested: ${reason}`,
  );
  await deployWithRetry(deps, rollbackRequest(state, reason, options.extras), retry);
  state = await commitLatest(deps, state, () => ({ status: 'rolled_back', extensionStartedAt: undefined }), 'rolled back to 0 %');
  deps.reporter.emit({ type: 'rolled_back', breach: state.breach });
  return { result: 'rolled_back', state };
}

/** The rollback deploy: 0 % with the fallback on, with the run's deploy extras unless others are given. */
export function rollbackRequest(state: RolloutState | undefined, reason: string, extras?: DeployExtras): DeployRequest {
  return { ...ROLLBACK_TARGET, reason: `rollback: ${reason}`, extras: extras ?? state?.plan.deploy ?? DEFAULT_PLAN.deploy };
}

/** Deploys 0 % for a run in `rolling_back` and records `rolled_back`. */
export async function finishRollback(deps: RolloutDeps, writer: StateWriter, retry: RollbackRetry): Promise<void> {
  const reason = writer.state.breach?.message ?? 'rollback';
  await deployWithRetry(deps, rollbackRequest(writer.state, reason), retry);
  await writer.commit({ status: 'rolled_back', extensionStartedAt: undefined }, 'rolled back to 0 %');
  deps.reporter.emit({ type: 'rolled_back', breach: writer.state.breach });
}
