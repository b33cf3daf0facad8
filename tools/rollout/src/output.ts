import type { CheckAuthReport } from './check-auth';
import type { DeployTarget } from './deploy';
import { formatDuration } from './duration';
import type { Reporter, RolloutEvent } from './events';
import type { GateResult, GateStatus } from './gates';
import { formatRate, formatStages, type RolloutPlan } from './plan';
import type { StatusReport } from './status';
import { BEDROCK_PROCESSOR_ARN_ALIAS_ENV, EXECUTION_FUNCTION_ARN_ENV, VERIFICATION_ENV } from '@slack-ai-app/stack-contract';
import { formatTimeline } from './timeline';

const STATUS_TAG: Readonly<Record<GateStatus, string>> = { pass: 'ok', fail: 'FAIL', insufficient_data: 'wait' };

function ms(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.round(value)} ms`;
}

/**
 * One gate in a few words with its live value and verdict, e.g. `5XX 0.1% (1/1000) ok`, `p95 1.02x (210/206 ms live) ok`,
 * `fallback n/a (0/0) wait`.
 *
 * @param gate - the gate result
 * @returns the short form used in progress lines
 */
export function formatGateShort(gate: GateResult): string {
  const tag = STATUS_TAG[gate.status];
  const counts = `(${gate.numerator ?? 0}/${gate.denominator ?? 0})`;
  switch (gate.id) {
    case 'auth_errors':
      return `auth 4XX ${gate.numerator ?? 0}/${gate.denominator ?? 0} ${tag}`;
    case 'api_5xx_rate':
      return `5XX ${gate.value === undefined ? 'n/a' : formatRate(gate.value)} ${counts} ${tag}`;
    case 'fallback_rate':
      return `fallback ${gate.value === undefined ? 'n/a' : formatRate(gate.value)} ${counts} ${tag}`;
    case 'p95_ratio': {
      const ratio = gate.value === undefined ? 'n/a' : `${gate.value.toFixed(2)}x`;
      const round = (value: number | undefined) => (value === undefined ? '-' : String(Math.round(value)));
      const numbers = `${round(gate.numerator)}/${round(gate.denominator)} ms ${gate.reference ?? ''}`.trim();
      return `p95 ${ratio} (${numbers}) ${tag}`;
    }
  }
}

/**
 * The gates with their thresholds, e.g. `auth 4XX ≤ 0, 5XX ≤ 0.1%, fallback ≤ 0.1%, p95 api ≤ 1.05× direct; min 20 samples`.
 *
 * @param plan - the plan
 * @returns one line
 */
export function formatGateThresholds(plan: RolloutPlan): string {
  const { gates } = plan;
  return (
    `auth 4XX ≤ ${gates.maxAuthErrors}, 5XX ≤ ${formatRate(gates.max5xxRate)}, fallback ≤ ${formatRate(gates.maxFallbackRate)}, ` +
    `p95 api ≤ ${gates.maxP95Ratio}× direct; min ${gates.minSamples} samples per gate`
  );
}

function formatTarget(target: DeployTarget): string {
  return (
    `executionApiPercentage=${target.percentage} useApiGateway=${target.useApiGateway} ` +
    `enableDirectInvokeFallback=${target.enableDirectInvokeFallback}`
  );
}

/**
 * Renders the plan for a person: stages with bake times, gates, timing.
 *
 * @param plan - the plan
 * @returns lines
 */
export function formatPlan(plan: RolloutPlan): string[] {
  const lines = ['Stages:'];
  plan.stages.forEach((stage, index) => {
    lines.push(`  ${index + 1}. ${stage.percentage} % through the execution API, bake ${formatDuration(stage.bakeMs)}`);
  });
  lines.push(`Gates (over each whole stage): ${formatGateThresholds(plan)}`);
  lines.push(
    `Timing: metrics delay ${formatDuration(plan.metricsDelayMs)}, wait for samples up to ${formatDuration(plan.maxExtensionMs)}, ` +
      `p95 baseline over the ${formatDuration(plan.baselineWindowMs)} before the run; ` +
      `early abort on breach ${plan.earlyAbort ? 'on' : 'off'}`,
  );
  const context = Object.entries(plan.deploy.context).map(([key, value]) => `${key}=${value}`);
  if (context.length > 0 || plan.deploy.args.length > 0) {
    lines.push(`Deploy extras: ${[...context.map((entry) => `--context ${entry}`), ...plan.deploy.args].join(' ')}`);
  }
  lines.push('On breach: deploy 0 % at once (fallback kept on) and stop. After 100 % passes: cleanup removes the fallback.');
  return lines;
}

/**
 * Renders one event as lines for a person.
 *
 * @param event - the event
 * @returns zero or more lines
 */
export function formatEvent(event: RolloutEvent): string[] {
  switch (event.type) {
    case 'run_started':
      return [
        `${event.resumed ? 'Resuming' : 'Starting'} the rollout of ${event.stack}: ${formatStages(event.plan.stages)}` +
          (event.resumed ? ` (at stage ${event.stageIndex + 1}/${event.plan.stages.length}, ${event.status})` : ''),
        `  gates: ${formatGateThresholds(event.plan)}`,
      ];
    case 'baseline':
      return [
        `Baseline: direct-path p95 ${ms(event.baseline.directP95Ms)} over ${event.baseline.samples} hand-offs ` +
          `(${event.baseline.window.start} to ${event.baseline.window.end})`,
      ];
    case 'deploy_started':
      return [
        `Deploying (${event.reason}${event.attempt > 1 ? `, attempt ${event.attempt}` : ''}): ${formatTarget(event.target)}`,
        `  $ ${event.command}`,
      ];
    case 'deploy_finished':
      return [`Deployed (${event.reason}).`];
    case 'deploy_failed':
      return [
        `Deploy failed (${event.reason}, attempt ${event.attempt}): ${event.error}` +
          (event.retryInMs === undefined ? '' : `; retrying in ${formatDuration(event.retryInMs)}`),
      ];
    case 'dry_run':
      return [`[dry-run] would ${event.action}${event.command ? `:\n  $ ${event.command}` : ''}`];
    case 'bake_progress': {
      const left =
        event.phase === 'baking'
          ? `baking, ${formatDuration(event.remainingMs)} left`
          : event.phase === 'settling'
            ? `bake done, waiting ${formatDuration(event.remainingMs)} for CloudWatch`
            : event.phase === 'evaluating'
              ? 'final evaluation'
              : `waiting for samples, ${formatDuration(event.remainingMs)} left`;
      return [
        `[stage ${event.stageIndex + 1}/${event.stageCount} ${event.percentage}%] ${left} | ${event.gates.map(formatGateShort).join(' | ')}`,
      ];
    }
    case 'stage_passed':
      return [`Stage ${event.stageIndex + 1} (${event.percentage} %) passed: ${event.gates.map((gate) => gate.detail).join('; ')}`];
    case 'breach':
      return [
        `BREACH at ${event.breach.percentage} %: rolling back to 0 %`,
        ...event.breach.gates.map((gate) => `  failed: ${gate.detail}`),
      ];
    case 'rolled_back':
      return [`Rolled back: 0 % through the API, direct-invoke fallback on.${event.breach ? ` Reason: ${event.breach.message}` : ''}`];
    case 'held':
      return [`HELD: ${event.message}`];
    case 'completed':
      return [`Rollout completed: all ${event.stages} stages green. Next, when ready: cleanup (removes the fallback).`];
    case 'timeline':
      return ['Timeline:', ...formatTimeline(event.rows).map((line) => `  ${line}`)];
    case 'cleaned_up':
      return [`Cleanup done: ${EXECUTION_FUNCTION_ARN_ENV}, its alias ${BEDROCK_PROCESSOR_ARN_ALIAS_ENV} and the invoke grant are removed.`];
    case 'info':
      return [event.message];
    case 'warning':
      return [`warning: ${event.message}`];
  }
}

/** Renders events for a person, one or more lines each. */
export class HumanReporter implements Reporter {
  /** @param write - receives each line (without newline) */
  constructor(private readonly write: (line: string) => void) {}

  /** @param event - the event to render */
  emit(event: RolloutEvent): void {
    for (const line of formatEvent(event)) this.write(line);
  }
}

/** Renders events as one JSON object per line, each with a `time` (ISO) taken from `now`. */
export class JsonReporter implements Reporter {
  /**
   * @param write - receives each JSON line (without newline)
   * @param now - clock, epoch ms
   */
  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number,
  ) {}

  /** @param event - the event to write */
  emit(event: RolloutEvent): void {
    this.write(JSON.stringify({ time: new Date(this.now()).toISOString(), ...event }));
  }
}

/**
 * Renders a status report for a person.
 *
 * @param report - the report
 * @returns lines
 */
export function formatStatus(report: StatusReport): string[] {
  const { deployed, metrics } = report;
  const percentage = deployed.percentage ?? (deployed.percentageRaw === undefined ? 'unset' : `invalid "${deployed.percentageRaw}"`);
  const rate = (numerator: number, denominator: number) =>
    denominator > 0 ? formatRate(numerator / denominator) : 'n/a';
  const lines = [
    `Stack ${report.stack}: ${deployed.stackStatus}${deployed.lastUpdated ? `, updated ${deployed.lastUpdated}` : ''}`,
    `  ${VERIFICATION_ENV.useApiGateway}=${deployed.useApiGateway}, ${VERIFICATION_ENV.apiGatewayPercentage}=${percentage}: ` +
      `${deployed.effectivePercentage === undefined ? 'unknown share' : `${deployed.effectivePercentage} %`} of hand-offs through the API; ` +
      `fallback ${deployed.fallbackEnabled ? `enabled (${EXECUTION_FUNCTION_ARN_ENV} set)` : `disabled (no ${EXECUTION_FUNCTION_ARN_ENV})`}`,
    `  execution API: ${deployed.executionApiUrl ?? 'no ExecutionApiUrl output'}`,
    `Last hour (${metrics.window.start} to ${metrics.window.end}):`,
    `  API requests ${metrics.apiCount}, 4XX ${metrics.api4xx}, 5XX ${metrics.api5xx} (${rate(metrics.api5xx, metrics.apiCount)}); ` +
      `API Gateway p95 latency ${ms(metrics.apiLatencyP95Ms)}, integration ${ms(metrics.apiIntegrationLatencyP95Ms)}`,
    `  hand-off p95: api ${ms(metrics.handoffP95Ms.api)} (n=${metrics.handoffSamples.api}), ` +
      `direct ${ms(metrics.handoffP95Ms.direct)} (n=${metrics.handoffSamples.direct})`,
    `  fallbacks ${metrics.fallbacks} of ${metrics.apiHandoffs} API hand-offs (${rate(metrics.fallbacks, metrics.apiHandoffs)}); ` +
      `auth 4XX ${metrics.authErrors}`,
    `  gates: ${report.gates.map(formatGateShort).join(' | ')}`,
  ];
  const { rollout } = report;
  if (rollout === undefined) {
    lines.push('Rollout: none recorded');
  } else {
    lines.push(
      `Rollout ${rollout.runId}: ${rollout.status} at stage ${rollout.stageIndex + 1}/${rollout.stageCount} (${rollout.percentage} %)` +
        (rollout.bakeRemainingMs === undefined ? '' : `, ${formatDuration(rollout.bakeRemainingMs)} of bake left`) +
        `, updated ${rollout.updatedAt}`,
    );
    if (rollout.breach) lines.push(`  rolled back: ${rollout.breach.message}`);
    lines.push(...formatTimeline(rollout.timeline).map((line) => `  ${line}`));
  }
  return lines;
}

/**
 * Renders a check-auth report plainly: one PASS/FAIL line per probe and a summary.
 *
 * @param report - the report
 * @returns lines
 */
export function formatCheckAuth(report: CheckAuthReport): string[] {
  const names = { unsigned: 'unsigned POST', caller_signed: 'POST signed with your credentials' } as const;
  return [
    `check-auth ${report.url}`,
    ...report.probes.map(
      (probe) =>
        `  ${probe.pass ? 'PASS' : 'FAIL'} ${names[probe.probe]}: ` +
        `${probe.status}${probe.errorType ? ` ${probe.errorType}` : ''}: ${probe.verdict}`,
    ),
    report.pass
      ? 'Result: PASS, the execution API refuses everyone but the verification role.'
      : 'Result: FAIL, see above.',
  ];
}
