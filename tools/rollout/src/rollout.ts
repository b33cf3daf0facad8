import { randomBytes } from 'node:crypto';
import { DEFAULT_ROLLBACK_RETRY, type RollbackRetry, stageTarget } from './deploy-retry';
import { ConcurrentModificationError, NotConfirmedError, PreconditionError } from './errors';
import { driveStages, emitTimeline } from './bake';
import type { LatencyBaseline } from './gates';
import { formatDuration } from './duration';
import {
  applyOverrides,
  DEFAULT_PLAN,
  diffPlans,
  formatStages,
  hasOverrides,
  type PlanOverrides,
  type RolloutPlan,
} from './plan';
import { finishRollback, rollbackRequest } from './rollback';
import { checkStateIdentity, iso, isRollback, type RolloutDeps, type RunOutcome } from './rollout-deps';
import { describeShare } from './stack-reader';
import type { RolloutState } from './state';
import { StateWriter } from './state-writer';

/** Options of {@link runRollout}. */
export interface RunOptions {
  /** The stack; must match the state file's. */
  readonly stack: string;
  /** The region, recorded in a new state and checked against an existing one. */
  readonly region?: string;
  /**
   * Plan parts given on the command line, applied to the stored plan (or {@link DEFAULT_PLAN} when none). Resuming with
   * overrides that change the stored plan is refused; `restart` takes them.
   */
  readonly overrides?: PlanOverrides;
  /** How often a bake reads the metrics and reports progress. */
  readonly pollIntervalMs: number;
  /** Discard a finished, rolled-back or in-progress run and start again at the first stage. */
  readonly restart?: boolean;
  /** Report what would be done; deploy nothing, write nothing, wait for nothing. */
  readonly dryRun?: boolean;
  /** Retry policy of the automatic rollback. @default DEFAULT_ROLLBACK_RETRY */
  readonly rollbackRetry?: RollbackRetry;
}

/**
 * The plan a run would follow: the stored plan (or {@link DEFAULT_PLAN} when there is none) with `overrides` applied.
 *
 * @param stored - the stored state, if any
 * @param overrides - plan parts from the command line
 * @returns the plan, validated
 * @throws UsageError when the overrides make an invalid plan
 */
export function resolvePlan(stored: RolloutState | undefined, overrides: PlanOverrides | undefined): RolloutPlan {
  const base = stored?.plan ?? DEFAULT_PLAN;
  return overrides && hasOverrides(overrides) ? applyOverrides(base, overrides) : base;
}

/**
 * Runs (or resumes) a staged rollout: for each stage, deploy its percentage through the infra deploy, bake while
 * reporting live gate values, then evaluate the gates over the whole stage. A breach rolls back to 0 % at once (fallback
 * on) and records the failing gates with their numbers; too few samples extends the wait up to `maxExtensionMs`, then
 * stops as `held` without changing anything. Every transition is written to the state store before the next step, so a
 * restarted run continues where the last one stopped, including the time left in a bake.
 *
 * @param deps - injected dependencies
 * @param options - stack, plan, polling, restart and dry-run
 * @returns how the run ended
 * @throws PreconditionError when the state forbids running (rolled back without `--restart`, plan mismatch, drift)
 * @throws NotConfirmedError when the operator declines
 * @throws DeployError when a stage deploy fails (the run can be resumed) or the rollback deploy fails after its retries
 * @throws ConcurrentModificationError when another command (not a rollback) writes the state meanwhile
 * @throws MetricsReadError when CloudWatch cannot be read five polls in a row (the run can be resumed)
 */
export async function runRollout(deps: RolloutDeps, options: RunOptions): Promise<RunOutcome> {
  const stored = await deps.store.load();
  if (stored) checkStateIdentity(stored, options.stack, options.region, deps.store.location);
  const requestedPlan = resolvePlan(stored, options.overrides);

  if (stored && !options.restart) {
    switch (stored.status) {
      case 'completed':
        deps.reporter.emit({
          type: 'info',
          message: `the rollout of ${stored.stack} completed at ${stored.plan.stages.at(-1)?.percentage} %; next: cleanup (or run --restart)`,
        });
        return { result: 'nothing_to_do', state: stored };
      case 'cleaned_up':
        deps.reporter.emit({ type: 'info', message: `the rollout of ${stored.stack} is complete and cleaned up` });
        return { result: 'nothing_to_do', state: stored };
      case 'rolled_back':
        throw new PreconditionError(
          `the rollout of ${stored.stack} was rolled back${stored.breach ? ` (${stored.breach.message})` : ''}; ` +
            'fix the cause, then pass --restart to start again at the first stage',
        );
      case 'cleaning_up':
        throw new PreconditionError('a cleanup was interrupted; run the cleanup command again to finish it');
      default:
        break;
    }
    if (stored.status !== 'rolling_back') {
      const differences = diffPlans(stored.plan, requestedPlan);
      if (differences.length > 0) {
        throw new PreconditionError(
          `the run in progress follows another plan (${differences.join('; ')}); ` +
            'drop those flags to resume it, or pass --restart to start a new run at the first stage',
        );
      }
    }
  }

  if (stored?.status === 'rolling_back') {
    // An interrupted rollback is finished first, whatever was asked.
    if (options.dryRun) {
      const request = rollbackRequest(stored, stored.breach?.message ?? 'interrupted rollback');
      deps.reporter.emit({ type: 'dry_run', action: 'finish the interrupted rollback', command: deps.deploy.describe(request) });
      return { result: 'dry_run', state: stored };
    }
    const writer = StateWriter.resume(deps, stored);
    await finishRollback(deps, writer, options.rollbackRetry ?? DEFAULT_ROLLBACK_RETRY);
    emitTimeline(deps, writer);
    return { result: 'rolled_back', state: writer.state };
  }

  const resuming = stored !== undefined && !options.restart;
  const plan = resuming ? (stored as RolloutState).plan : requestedPlan;
  const deployed = await deps.stack.read();

  if (resuming) {
    const state = stored as RolloutState;
    const stage = plan.stages[state.stageIndex];
    if (state.status === 'baking' || state.status === 'held') {
      const live = deployed.routing;
      if (live.effectivePercentage !== stage?.percentage) {
        throw new PreconditionError(
          `the stack sends ${describeShare(live)} through the API but the state says stage ${state.stageIndex + 1} ` +
            `(${stage?.percentage} %) is live: it was changed outside this tool. Run rollback, then run --restart`,
        );
      }
    }
  } else if ((deployed.routing.effectivePercentage ?? 0) > (plan.stages[0]?.percentage ?? 0)) {
    deps.reporter.emit({
      type: 'warning',
      message: `the stack already sends ${describeShare(deployed.routing)} through the API; the first stage sets ${plan.stages[0]?.percentage} %`,
    });
  }

  const now = deps.clock.now();
  deps.reporter.emit({
    type: 'run_started',
    stack: options.stack,
    plan,
    resumed: resuming,
    status: resuming ? (stored as RolloutState).status : 'deploying',
    stageIndex: resuming ? (stored as RolloutState).stageIndex : 0,
  });

  if (options.dryRun) {
    describeRemaining(deps, plan, resuming ? (stored as RolloutState) : undefined, now);
    return { result: 'dry_run', state: stored };
  }

  const question = resuming
    ? `Resume the rollout of ${options.stack} at stage ${(stored as RolloutState).stageIndex + 1} of ${plan.stages.length} ` +
      `(${(stored as RolloutState).status})?`
    : `Start rolling out ${options.stack} through ${formatStages(plan.stages)} (currently ${describeShare(deployed.routing)} via the API)?`;
  if (!(await deps.confirm(question))) throw new NotConfirmedError('the rollout was not confirmed; nothing was changed');

  let writer: StateWriter;
  if (resuming) {
    writer = StateWriter.resume(deps, stored as RolloutState);
  } else {
    const baseline = await measureBaseline(deps, plan, now);
    const fresh: RolloutState = {
      version: 1,
      stack: options.stack,
      region: options.region,
      revision: 0,
      runId: `${iso(now).replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`,
      startedAt: iso(now),
      updatedAt: iso(now),
      plan,
      baseline,
      status: 'deploying',
      stageIndex: 0,
      bakeStartedAt: undefined,
      extensionStartedAt: undefined,
      lastGates: undefined,
      completedStages: [],
      breach: undefined,
      history: [],
    };
    const note = stored ? `run restarted (previous run ${stored.runId}, ${stored.status})` : 'run started';
    writer = await StateWriter.start(deps, fresh, stored, note);
  }

  try {
    return await driveStages(deps, writer, options);
  } catch (error) {
    if (error instanceof ConcurrentModificationError) {
      const latest = await deps.store.load();
      if (isRollback(latest)) {
        deps.reporter.emit({ type: 'info', message: 'another command rolled the stack back; this run stops' });
        return { result: 'rolled_back', state: latest };
      }
    }
    throw error;
  }
}

async function measureBaseline(deps: RolloutDeps, plan: RolloutPlan, now: number): Promise<LatencyBaseline> {
  const snapshot = await deps.metrics.read({ start: new Date(now - plan.baselineWindowMs), end: new Date(now) });
  const baseline: LatencyBaseline = {
    directP95Ms: snapshot.handoff.direct.latency.p95Ms,
    samples: snapshot.handoff.direct.latency.samples,
    window: { start: snapshot.window.start.toISOString(), end: snapshot.window.end.toISOString() },
  };
  deps.reporter.emit({ type: 'baseline', baseline });
  return baseline;
}

function describeRemaining(deps: RolloutDeps, plan: RolloutPlan, state: RolloutState | undefined, now: number): void {
  const first = state?.stageIndex ?? 0;
  plan.stages.forEach((stage, index) => {
    if (index < first) return;
    const label = `stage ${index + 1}/${plan.stages.length} (${stage.percentage} %)`;
    const live = state !== undefined && index === first && (state.status === 'baking' || state.status === 'held');
    if (!live) {
      deps.reporter.emit({
        type: 'dry_run',
        action: `deploy ${label}`,
        command: deps.deploy.describe({ ...stageTarget(stage.percentage), reason: label, extras: plan.deploy }),
      });
    }
    const bakeStart = live && state?.bakeStartedAt ? Date.parse(state.bakeStartedAt) : undefined;
    const left = bakeStart === undefined ? stage.bakeMs : Math.max(0, bakeStart + stage.bakeMs - now);
    deps.reporter.emit({
      type: 'dry_run',
      action: `bake ${label} for ${formatDuration(left)}, then evaluate the gates (a breach deploys 0 %)`,
    });
  });
}
