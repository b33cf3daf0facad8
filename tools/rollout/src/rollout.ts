import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';
import type { DeployRequest, DeployStep, DeployTarget } from './deploy';
import {
  ConcurrentModificationError,
  describeError,
  MetricsReadError,
  NotConfirmedError,
  PreconditionError,
  StateFileError,
} from './errors';
import type { Reporter } from './events';
import { evaluateGates, GATE_LABELS, type GateResult, type LatencyBaseline, overallVerdict } from './gates';
import type { MetricsReader } from './metrics';
import { formatDuration } from './duration';
import {
  applyOverrides,
  DEFAULT_PLAN,
  type DeployExtras,
  diffPlans,
  formatStages,
  hasOverrides,
  type PlanOverrides,
  type RolloutPlan,
} from './plan';
import { describeShare, type StackReader } from './stack-reader';
import type { Breach, RolloutState, RolloutStatus, StateStore } from './state';

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

/** How a failed rollback deploy is retried (CloudFormation refuses an update while another is in progress). */
export interface RollbackRetry {
  /** Deploy attempts in all. @default 5 */
  readonly attempts: number;
  /** Wait between attempts. @default 60 s */
  readonly delayMs: number;
}

/** Default {@link RollbackRetry}: 5 attempts, 60 s apart. */
export const DEFAULT_ROLLBACK_RETRY: RollbackRetry = Object.freeze({ attempts: 5, delayMs: 60_000 });

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

/**
 * The context of a stage deploy: the stage's percentage through the API, fallback kept. `useApiGateway` (which would
 * send every event through the API whatever the percentage) stays `false`: the percentage is the rollout's one knob.
 *
 * @param percentage - the stage's percentage
 * @returns the deploy target
 */
export function stageTarget(percentage: number): DeployTarget {
  return { percentage, useApiGateway: false, enableDirectInvokeFallback: true };
}

/**
 * The rollback target: 0 % through the API (`useApiGateway=false`), fallback on. It also restores the direct path
 * after a cleanup, and never removes the API itself, so it changes as little as possible in the middle of an incident.
 */
export const ROLLBACK_TARGET: DeployTarget = Object.freeze({
  percentage: 0,
  useApiGateway: false,
  enableDirectInvokeFallback: true,
});

/**
 * The cleanup target: 100 % through the API, fallback removed (no `BEDROCK_PROCESSOR_ARN`, no invoke grant). The
 * percentage stays the knob, so a later rollback is again a single deploy to 0 %.
 */
export const CLEANUP_TARGET: DeployTarget = Object.freeze({
  percentage: 100,
  useApiGateway: false,
  enableDirectInvokeFallback: false,
});

const iso = (ms: number): string => new Date(ms).toISOString();

/** Statuses in which a stage of the run is (being) deployed. */
export const LIVE_STATUSES: readonly RolloutStatus[] = ['deploying', 'baking', 'held'];

/** Whether a state shows a rollback started or done (by any command). */
function isRollback(state: RolloutState | undefined): boolean {
  return state?.status === 'rolling_back' || state?.status === 'rolled_back';
}

/** Writes states with optimistic concurrency (compare revision, then write) and records history. */
class StateWriter {
  private constructor(
    private readonly deps: Pick<RolloutDeps, 'store' | 'clock'>,
    public state: RolloutState,
    private expectedRevision: number | undefined,
  ) {}

  /** A writer continuing from a state read from the store. */
  static resume(deps: Pick<RolloutDeps, 'store' | 'clock'>, state: RolloutState): StateWriter {
    return new StateWriter(deps, state, state.revision);
  }

  /** Writes the first state of a new run over `previous` (what this process read: nothing, or the run it restarts). */
  static async start(
    deps: Pick<RolloutDeps, 'store' | 'clock'>,
    fresh: RolloutState,
    previous: RolloutState | undefined,
    note: string,
  ): Promise<StateWriter> {
    // Revisions keep counting across restarts, so a process still holding the old run notices the new one.
    const writer = new StateWriter(deps, { ...fresh, revision: previous?.revision ?? 0 }, previous?.revision);
    await writer.commit({}, note);
    return writer;
  }

  /**
   * Writes `changes` over the current state; with `note`, also records a history entry for the (new) status.
   *
   * @throws ConcurrentModificationError when another process wrote since
   */
  async commit(changes: Partial<RolloutState>, note?: string): Promise<RolloutState> {
    const now = this.deps.clock.now();
    const merged = { ...this.state, ...changes };
    const next: RolloutState = {
      ...merged,
      revision: this.state.revision + 1,
      updatedAt: iso(now),
      history:
        note === undefined
          ? merged.history
          : [...merged.history, { at: iso(now), status: merged.status, stageIndex: merged.stageIndex, note }],
    };
    await this.deps.store.save(next, this.expectedRevision);
    this.state = next;
    this.expectedRevision = next.revision;
    return next;
  }

  /** @throws ConcurrentModificationError when another process wrote the state since this one last did */
  async checkNotModified(): Promise<void> {
    const current = await this.deps.store.load();
    if (current?.revision !== this.expectedRevision) {
      throw new ConcurrentModificationError(this.expectedRevision ?? -1, current?.revision ?? -1);
    }
  }
}

/**
 * Applies `change` to the latest stored state and writes it, reloading and re-applying on a concurrent write (up to five
 * times): how `rollback` wins over a running `run`.
 */
async function commitLatest(
  deps: Pick<RolloutDeps, 'store' | 'clock'>,
  state: RolloutState,
  change: (current: RolloutState) => Partial<RolloutState>,
  note: string,
): Promise<RolloutState> {
  let current = state;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await StateWriter.resume(deps, current).commit(change(current), note);
    } catch (error) {
      const latest = error instanceof ConcurrentModificationError ? await deps.store.load() : undefined;
      if (latest === undefined || attempt >= 5) throw error;
      current = latest;
    }
  }
}

/**
 * Deploys `target`, retrying a failed deploy per `retry`.
 *
 * @throws DeployError from the last attempt
 */
async function deployWithRetry(
  deps: Pick<RolloutDeps, 'deploy' | 'reporter' | 'clock'>,
  request: DeployRequest,
  retry: RollbackRetry,
): Promise<void> {
  const target = pickTarget(request);
  for (let attempt = 1; ; attempt += 1) {
    deps.reporter.emit({ type: 'deploy_started', reason: request.reason, target, command: deps.deploy.describe(request), attempt });
    try {
      await deps.deploy.deploy(request);
      deps.reporter.emit({ type: 'deploy_finished', reason: request.reason, target });
      return;
    } catch (error) {
      const last = attempt >= retry.attempts;
      deps.reporter.emit({
        type: 'deploy_failed',
        reason: request.reason,
        attempt,
        error: describeError(error),
        retryInMs: last ? undefined : retry.delayMs,
      });
      if (last) throw error;
      await deps.clock.sleep(retry.delayMs);
    }
  }
}

function pickTarget(request: DeployRequest): DeployTarget {
  return {
    percentage: request.percentage,
    useApiGateway: request.useApiGateway,
    enableDirectInvokeFallback: request.enableDirectInvokeFallback,
  };
}

function checkStateIdentity(state: RolloutState, stack: string, region: string | undefined, location: string): void {
  if (state.stack !== stack) {
    throw new StateFileError(location, `belongs to stack ${state.stack}, not ${stack}; pass --state-file for another file`);
  }
  if (region && state.region && state.region !== region) {
    throw new PreconditionError(`the rollout in ${location} runs in ${state.region}, not ${region}`);
  }
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

function failingGates(gates: readonly GateResult[]): GateResult[] {
  return gates.filter((gate) => gate.status === 'fail');
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

function rollbackRequest(state: RolloutState | undefined, reason: string, extras?: DeployExtras): DeployRequest {
  return { ...ROLLBACK_TARGET, reason: `rollback: ${reason}`, extras: extras ?? state?.plan.deploy ?? DEFAULT_PLAN.deploy };
}

async function finishRollback(deps: RolloutDeps, writer: StateWriter, retry: RollbackRetry): Promise<void> {
  const reason = writer.state.breach?.message ?? 'rollback';
  await deployWithRetry(deps, rollbackRequest(writer.state, reason), retry);
  await writer.commit({ status: 'rolled_back', extensionStartedAt: undefined }, 'rolled back to 0 %');
  deps.reporter.emit({ type: 'rolled_back', breach: writer.state.breach });
}

/** Runs the stages from the writer's state until the run completes, rolls back or holds. */
async function driveStages(deps: RolloutDeps, writer: StateWriter, options: RunOptions): Promise<RunOutcome> {
  const retry = options.rollbackRetry ?? DEFAULT_ROLLBACK_RETRY;
  for (;;) {
    const state = writer.state;
    const { plan } = state;
    const stage = plan.stages[state.stageIndex];
    if (!stage) throw new StateFileError(deps.store.location, `no stage ${state.stageIndex + 1} in the plan`);
    const label = `stage ${state.stageIndex + 1}/${plan.stages.length} (${stage.percentage} %)`;

    if (state.status === 'deploying') {
      await writer.checkNotModified();
      await deployWithRetry(deps, { ...stageTarget(stage.percentage), reason: label, extras: plan.deploy }, { attempts: 1, delayMs: 0 });
      await writer.commit(
        { status: 'baking', bakeStartedAt: iso(deps.clock.now()), extensionStartedAt: undefined, lastGates: undefined },
        `${label} deployed; bake started`,
      );
    } else if (state.status === 'held') {
      await writer.commit({ status: 'baking', extensionStartedAt: iso(deps.clock.now()) }, `${label} resumed from held; waiting for samples`);
    }

    const verdict = await bakeStage(deps, writer, options.pollIntervalMs);
    const current = writer.state;

    if (verdict.kind === 'breach') {
      const failing = failingGates(verdict.gates);
      const breach: Breach = {
        kind: 'gate',
        at: iso(deps.clock.now()),
        stageIndex: current.stageIndex,
        percentage: stage.percentage,
        gates: failing,
        message: `${label}: ${failing.map((gate) => gate.detail).join('; ')}`,
      };
      await writer.commit({ status: 'rolling_back', breach, lastGates: verdict.gates }, `gate breach: ${breach.message}`);
      deps.reporter.emit({ type: 'breach', breach });
      await finishRollback(deps, writer, retry);
      return { result: 'rolled_back', state: writer.state };
    }

    if (verdict.kind === 'held') {
      const short = verdict.gates.filter((gate) => gate.status === 'insufficient_data');
      const message =
        `${label}: too few samples after the bake and ${formatDuration(plan.maxExtensionMs)} more ` +
        `(${short.map((gate) => `${GATE_LABELS[gate.id]} ${gate.samples}/${gate.minSamples}`).join(', ')}); ` +
        'the stage stays deployed; run again to keep waiting, or rollback';
      await writer.commit({ status: 'held', lastGates: verdict.gates }, message);
      deps.reporter.emit({ type: 'held', stageIndex: current.stageIndex, percentage: stage.percentage, gates: verdict.gates, message });
      return { result: 'held', state: writer.state };
    }

    const record = {
      index: current.stageIndex,
      percentage: stage.percentage,
      bakeStartedAt: current.bakeStartedAt as string,
      evaluatedAt: iso(deps.clock.now()),
      gates: verdict.gates,
    };
    deps.reporter.emit({ type: 'stage_passed', stageIndex: current.stageIndex, percentage: stage.percentage, gates: verdict.gates });
    const completedStages = [...current.completedStages.filter((entry) => entry.index !== record.index), record];
    if (current.stageIndex === plan.stages.length - 1) {
      await writer.commit(
        { status: 'completed', completedStages, lastGates: verdict.gates, extensionStartedAt: undefined },
        `${label} passed; rollout completed`,
      );
      deps.reporter.emit({ type: 'completed', stages: plan.stages.length });
      return { result: 'completed', state: writer.state };
    }
    await writer.commit(
      {
        status: 'deploying',
        stageIndex: current.stageIndex + 1,
        completedStages,
        bakeStartedAt: undefined,
        extensionStartedAt: undefined,
        lastGates: undefined,
      },
      `${label} passed`,
    );
  }
}

type StageVerdict = { kind: 'pass' | 'breach' | 'held'; gates: GateResult[] };

/** Consecutive failed metric reads after which a bake gives up (the run can be resumed). */
const MAX_FAILED_METRIC_READS = 5;

/**
 * Bakes the current stage: polls the metrics every `pollIntervalMs` over [bake start, now], reports live gate values,
 * and decides once the bake and the metrics delay are over (or earlier on a breach with `earlyAbort`).
 */
async function bakeStage(deps: RolloutDeps, writer: StateWriter, pollIntervalMs: number): Promise<StageVerdict> {
  const { plan } = writer.state;
  const stage = plan.stages[writer.state.stageIndex] as { percentage: number; bakeMs: number };
  const bakeStart = Date.parse(writer.state.bakeStartedAt as string);
  const bakeEnd = bakeStart + stage.bakeMs;
  const evaluateAt = bakeEnd + plan.metricsDelayMs;
  let failedReads = 0;
  for (;;) {
    const now = deps.clock.now();
    let snapshot;
    try {
      snapshot = await deps.metrics.read({ start: new Date(bakeStart), end: new Date(now) });
      failedReads = 0;
    } catch (error) {
      // A transient CloudWatch failure must not end a long bake: try again at the next poll, a few times.
      failedReads += 1;
      if (!(error instanceof MetricsReadError) || failedReads >= MAX_FAILED_METRIC_READS) throw error;
      deps.reporter.emit({
        type: 'warning',
        message:
          `${describeError(error)}; trying again in ${formatDuration(pollIntervalMs)} ` +
          `(${failedReads} of ${MAX_FAILED_METRIC_READS - 1} retries)`,
      });
      await deps.clock.sleep(pollIntervalMs);
      await writer.checkNotModified();
      continue;
    }
    const gates = evaluateGates(snapshot, plan.gates, writer.state.baseline);
    const extensionStart = writer.state.extensionStartedAt === undefined ? undefined : Date.parse(writer.state.extensionStartedAt);
    const final = now >= evaluateAt;
    const phase = now < bakeEnd ? 'baking' : !final ? 'settling' : extensionStart === undefined ? 'evaluating' : 'extending';
    // The end of the current phase: the bake, the metrics delay, or the wait for samples.
    const deadline = now < bakeEnd ? bakeEnd : !final ? evaluateAt : (extensionStart ?? now) + plan.maxExtensionMs;
    deps.reporter.emit({
      type: 'bake_progress',
      stageIndex: writer.state.stageIndex,
      stageCount: plan.stages.length,
      percentage: stage.percentage,
      phase,
      remainingMs: phase === 'evaluating' ? 0 : Math.max(0, deadline - now),
      window: { start: snapshot.window.start.toISOString(), end: snapshot.window.end.toISOString() },
      gates,
    });
    await writer.commit({ lastGates: gates });

    const verdict = overallVerdict(gates);
    if (verdict === 'fail' && (final || plan.earlyAbort)) return { kind: 'breach', gates };
    if (final && verdict === 'pass') return { kind: 'pass', gates };
    if (final) {
      if (extensionStart === undefined) {
        await writer.commit(
          { extensionStartedAt: iso(now) },
          `bake over with too few samples; waiting up to ${formatDuration(plan.maxExtensionMs)} more`,
        );
      } else if (now >= deadline) {
        return { kind: 'held', gates };
      }
    }
    await deps.clock.sleep(Math.max(0, Math.min(pollIntervalMs, deadline - now)));
    await writer.checkNotModified();
  }
}

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
  if (!(await deps.confirm(`Remove the direct-invoke fallback (BEDROCK_PROCESSOR_ARN and the invoke grant) from ${state.stack}?`))) {
    throw new NotConfirmedError('cleanup was not confirmed; nothing was changed');
  }
  const writer = StateWriter.resume(deps, state);
  if (state.status !== 'cleaning_up') await writer.commit({ status: 'cleaning_up' }, 'cleanup started');
  await deployWithRetry(deps, request, { attempts: 1, delayMs: 0 });
  await writer.commit({ status: 'cleaned_up' }, 'fallback removed');
  deps.reporter.emit({ type: 'cleaned_up' });
  return { result: 'completed', state: writer.state };
}


