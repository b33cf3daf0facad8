import { DEFAULT_ROLLBACK_RETRY, deployWithRetry, type RollbackRetry, stageTarget } from './deploy-retry';
import { describeError, MetricsReadError, StateFileError } from './errors';
import { formatDuration } from './duration';
import { evaluateGates, GATE_LABELS, type GateResult, overallVerdict } from './gates';
import { finishRollback } from './rollback';
import { handoffsByChosenPath } from './metrics';
import { iso, type RolloutDeps, type RunOutcome } from './rollout-deps';
import type { Breach } from './state';
import type { StateWriter } from './state-writer';
import { buildTimeline } from './timeline';

/** What the stage loop needs of the run's options. */
export interface StageLoopOptions {
  /** How often a bake reads the metrics and reports progress. */
  readonly pollIntervalMs: number;
  /** Retry policy of the automatic rollback. @default DEFAULT_ROLLBACK_RETRY */
  readonly rollbackRetry?: RollbackRetry;
}

function failingGates(gates: readonly GateResult[]): GateResult[] {
  return gates.filter((gate) => gate.status === 'fail');
}

/** Runs the stages from the writer's state until the run completes, rolls back or holds. */
export async function driveStages(deps: RolloutDeps, writer: StateWriter, options: StageLoopOptions): Promise<RunOutcome> {
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
      const bakeStartedAt = iso(deps.clock.now());
      // What the stack's configuration says now, for the timeline (the stage's percentage unless something else changed it).
      const deployedPercentage = (await deps.stack.read()).routing.effectivePercentage;
      await writer.commit(
        { status: 'baking', bakeStartedAt, extensionStartedAt: undefined, lastGates: undefined, lastHandoffs: undefined, deployedPercentage },
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
      emitTimeline(deps, writer);
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
      emitTimeline(deps, writer);
      return { result: 'held', state: writer.state };
    }

    const record = {
      index: current.stageIndex,
      percentage: stage.percentage,
      bakeStartedAt: current.bakeStartedAt as string,
      evaluatedAt: iso(deps.clock.now()),
      gates: verdict.gates,
      deployedPercentage: current.deployedPercentage,
      handoffs: current.lastHandoffs,
    };
    deps.reporter.emit({ type: 'stage_passed', stageIndex: current.stageIndex, percentage: stage.percentage, gates: verdict.gates });
    const completedStages = [...current.completedStages.filter((entry) => entry.index !== record.index), record];
    if (current.stageIndex === plan.stages.length - 1) {
      await writer.commit(
        { status: 'completed', completedStages, lastGates: verdict.gates, extensionStartedAt: undefined },
        `${label} passed; rollout completed`,
      );
      emitTimeline(deps, writer);
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
        lastHandoffs: undefined,
        deployedPercentage: undefined,
      },
      `${label} passed`,
    );
    emitTimeline(deps, writer);
  }
}

/** Reports the run's timeline as the state now records it. */
export function emitTimeline(deps: Pick<RolloutDeps, 'reporter'>, writer: StateWriter): void {
  deps.reporter.emit({ type: 'timeline', rows: buildTimeline(writer.state) });
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
    await writer.commit({ lastGates: gates, lastHandoffs: handoffsByChosenPath(snapshot) });

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
