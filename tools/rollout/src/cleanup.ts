import { BEDROCK_PROCESSOR_ARN_ALIAS_ENV, EXECUTION_FUNCTION_ARN_ENV } from '@slack-ai-app/stack-contract';
import { CLEANUP_TARGET, deployWithRetry } from './deploy-retry';
import type { DeployRequest } from './deploy';
import { NotConfirmedError, PreconditionError } from './errors';
import { checkStateIdentity, type RolloutDeps, type RunOutcome } from './rollout-deps';
import { describeShare } from './stack-reader';
import { StateWriter } from './state-writer';

/** Options of {@link cleanupRollout}. */
export interface CleanupOptions {
  /** The stack; must match the state file's. */
  readonly stack: string;
  /** Region, checked against the state file's. */
  readonly region?: string;
  /** Check and report only. */
  readonly dryRun?: boolean;
}

/**
 * Removes the direct-invoke fallback (deploys 100 % with `enableDirectInvokeFallback=false`), only when the state shows a
 * completed run whose last stage is 100 % and whose final gates were all green, and the stack still runs 100 % through
 * the API. An interrupted cleanup (`cleaning_up`) is finished.
 *
 * @param deps - injected dependencies (metrics unused)
 * @param options - stack, dry-run
 * @returns the outcome, with result `completed` (or `dry_run`)
 * @throws PreconditionError when cleanup is not allowed yet, with the reason
 * @throws NotConfirmedError when the operator declines
 * @throws DeployError when the deploy fails (the state stays `cleaning_up`)
 */
export async function cleanupRollout(deps: RolloutDeps, options: CleanupOptions): Promise<RunOutcome> {
  const state = await deps.store.load();
  if (!state) {
    throw new PreconditionError(`no rollout recorded in ${deps.store.location}; cleanup needs a completed run at 100 %`);
  }
  checkStateIdentity(state, options.stack, options.region, deps.store.location);
  if (state.status === 'cleaned_up') {
    deps.reporter.emit({ type: 'info', message: 'the fallback was already removed' });
    return { result: 'nothing_to_do', state };
  }
  if (state.status !== 'completed' && state.status !== 'cleaning_up') {
    const stage = state.plan.stages[state.stageIndex];
    throw new PreconditionError(
      `cleanup is allowed only after 100 % has baked with all gates green; the rollout is ${state.status.replace('_', ' ')} ` +
        `at stage ${state.stageIndex + 1}/${state.plan.stages.length} (${stage?.percentage} %)`,
    );
  }
  const lastIndex = state.plan.stages.length - 1;
  const last = state.plan.stages[lastIndex];
  const record = state.completedStages.find((entry) => entry.index === lastIndex);
  if (last?.percentage !== 100) {
    throw new PreconditionError(`cleanup needs a rollout that ends at 100 %; this plan ended at ${last?.percentage} %`);
  }
  if (!record || record.gates.some((gate) => gate.status !== 'pass')) {
    throw new PreconditionError('cleanup needs the final 100 % stage recorded with every gate green; the state has no such record');
  }
  const deployed = await deps.stack.read();
  if (deployed.routing.effectivePercentage !== 100) {
    throw new PreconditionError(`the stack no longer sends 100 % through the API (${describeShare(deployed.routing)}); cleanup refused`);
  }
  const request: DeployRequest = { ...CLEANUP_TARGET, reason: 'cleanup: remove the direct-invoke fallback', extras: state.plan.deploy };
  if (options.dryRun) {
    deps.reporter.emit({ type: 'dry_run', action: 'deploy 100 % without the fallback', command: deps.deploy.describe(request) });
    return { result: 'dry_run', state };
  }
  if (!(await deps.confirm(`Remove the direct-invoke fallback (${EXECUTION_FUNCTION_ARN_ENV}, its alias ${BEDROCK_PROCESSOR_ARN_ALIAS_ENV} and the invoke grant) from ${state.stack}?`))) {
    throw new NotConfirmedError('cleanup was not confirmed; nothing was changed');
  }
  const writer = StateWriter.resume(deps, state);
  if (state.status !== 'cleaning_up') await writer.commit({ status: 'cleaning_up' }, 'cleanup started');
  await deployWithRetry(deps, request, { attempts: 1, delayMs: 0 });
  await writer.commit({ status: 'cleaned_up' }, 'fallback removed');
  deps.reporter.emit({ type: 'cleaned_up' });
  return { result: 'completed', state: writer.state };
}
