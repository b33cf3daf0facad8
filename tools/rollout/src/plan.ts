import { formatDuration, parseDuration } from './duration';
import { UsageError } from './errors';
import { FALLBACK_RATE_GATE_FRACTION } from '@slack-ai-app/logging';
import { HANDOFF_CONTEXT_KEYS } from '@slack-ai-app/stack-contract';

/** One rollout stage: the share of hand-offs sent through the execution API, and how long it bakes. */
export interface Stage {
  /** `executionApiPercentage` deployed for this stage, an integer from 1 to 100. */
  readonly percentage: number;
  /** How long the stage bakes before its gates are final, in milliseconds. */
  readonly bakeMs: number;
}

/**
 * Gate thresholds. Rates are fractions (0.001 is 0.1 %). A gate passes when its value is at most its threshold; a gate
 * whose denominator has fewer than `minSamples` samples cannot be evaluated (see {@link evaluateGates}).
 */
export interface GateThresholds {
  /** Most hand-offs the execution API may refuse with 401/403 in a stage. @default 0 */
  readonly maxAuthErrors: number;
  /** Highest `5XXError / Count` of the execution API. @default 0.001 (0.1 %) */
  readonly max5xxRate: number;
  /** Highest `HandoffFallback / API-path hand-offs`. @default 0.001 (0.1 %) */
  readonly maxFallbackRate: number;
  /** Highest API-path p95 hand-off latency, as a multiple of the direct-path p95. @default 1.05 */
  readonly maxP95Ratio: number;
  /** Fewest samples a gate's denominator needs before the gate counts. @default 20 */
  readonly minSamples: number;
}

/** Extra arguments for every infra deploy of the run, so that a deploy never drops context the stack was built with. */
export interface DeployExtras {
  /** Extra CDK context (`--context key=value`), e.g. `{ bedrockModelId: '…' }`. Never the keys the tool sets itself. */
  readonly context: Readonly<Record<string, string>>;
  /** Extra raw arguments appended to `cdk deploy`, e.g. `['--exclusively']`. */
  readonly args: readonly string[];
}

/** Everything a run follows. Stored in the state file when a run starts, so a resumed run follows the same plan. */
export interface RolloutPlan {
  /** The stages, percentages strictly increasing. */
  readonly stages: readonly Stage[];
  /** The gate thresholds. */
  readonly gates: GateThresholds;
  /** Wait after a bake ends before the final evaluation, so CloudWatch has ingested the last data points. @default 3 min */
  readonly metricsDelayMs: number;
  /** Longest a stage keeps waiting for enough samples after its bake before the run stops as `held`. @default 1 h */
  readonly maxExtensionMs: number;
  /** Window before the run starts in which the direct-path p95 baseline is measured. @default 24 h */
  readonly baselineWindowMs: number;
  /** Roll back during a bake as soon as a gate with enough samples is breached, instead of waiting for its end. @default true */
  readonly earlyAbort: boolean;
  /** Extra deploy arguments. @default no extras */
  readonly deploy: DeployExtras;
  /**
   * The metric period, ms: the shortest bake and baseline window the plan allows. Below a minute only for a rehearsal
   * on a compressed clock (`--metric-period`). @default 1 min
   */
  readonly metricPeriodMs?: number;
}

/** The default metric period, and so the shortest bake: one minute, CloudWatch's standard resolution. */
export const STANDARD_METRIC_PERIOD_MS = 60_000;

/** The runbook's stages: 10 % for 1 h, 50 % for 1 h, 100 % for 24 h. */
export const DEFAULT_STAGES: readonly Stage[] = Object.freeze([
  { percentage: 10, bakeMs: 3_600_000 },
  { percentage: 50, bakeMs: 3_600_000 },
  { percentage: 100, bakeMs: 86_400_000 },
]);

/** The default gates: no auth failures, 5XX ≤ 0.1 %, fallback ≤ 0.1 %, API p95 ≤ 1.05 × direct p95. */
export const DEFAULT_GATES: GateThresholds = Object.freeze({
  maxAuthErrors: 0,
  max5xxRate: 0.001,
  // Why 0.1 % stops a stage: FALLBACK_RATE_GATE_FRACTION (libs/logging fallback-rate.ts).
  maxFallbackRate: FALLBACK_RATE_GATE_FRACTION,
  maxP95Ratio: 1.05,
  minSamples: 20,
});

/** The default plan: {@link DEFAULT_STAGES}, {@link DEFAULT_GATES} and the documented timing defaults. */
export const DEFAULT_PLAN: RolloutPlan = Object.freeze({
  stages: DEFAULT_STAGES,
  gates: DEFAULT_GATES,
  metricsDelayMs: 180_000,
  maxExtensionMs: 3_600_000,
  baselineWindowMs: 86_400_000,
  earlyAbort: true,
  deploy: Object.freeze({ context: Object.freeze({}), args: Object.freeze([]) }),
});

/** Context keys the tool sets on every deploy; `--context` may not override them. */
export const RESERVED_CONTEXT_KEYS: readonly string[] = Object.values(HANDOFF_CONTEXT_KEYS);

/**
 * Parses a stage list such as `10:1h,50:1h,100:24h`.
 *
 * @param text - comma-separated `<percentage>:<duration>` pairs
 * @returns the stages, validated by {@link validatePlan}'s stage rules
 * @throws UsageError naming the bad entry
 */
export function parseStages(text: string, metricPeriodMs = STANDARD_METRIC_PERIOD_MS): Stage[] {
  const entries = text.split(',').map((entry) => entry.trim());
  const stages = entries.map((entry) => {
    const match = /^(\d+)\s*%?\s*:\s*(\S+)$/.exec(entry);
    if (!match) {
      throw new UsageError(`--stages: "${entry}" is not <percentage>:<duration>, e.g. 10:1h`);
    }
    return { percentage: Number(match[1]), bakeMs: parseDuration(match[2] as string, `--stages entry "${entry}"`) };
  });
  validateStages(stages, metricPeriodMs);
  return stages;
}

/**
 * Parses a rate given as a percentage, e.g. `0.1%` → 0.001. The `%` sign is required so that `0.1` is never mistaken
 * for 10 %.
 *
 * @param text - a non-negative decimal followed by `%`, at most `100%`
 * @param what - the flag, named in the error
 * @returns the rate as a fraction
 * @throws UsageError when the text is not such a percentage
 */
export function parseRate(text: string, what: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (!match) throw new UsageError(`${what}: "${text}" is not a percentage; write e.g. 0.1%`);
  // Scale by moving the decimal point, so "0.1%" gives exactly the double nearest to 0.001.
  const rate = Number(`${match[1]}e-2`);
  if (rate > 1) throw new UsageError(`${what}: "${text}" is above 100%`);
  return rate;
}

/**
 * Parses a non-negative number flag.
 *
 * @param text - the flag value
 * @param what - the flag, named in the error
 * @param integer - whether only whole numbers are valid
 * @returns the number
 * @throws UsageError when the text is not a finite non-negative number (or not whole when `integer`)
 */
export function parseNonNegative(text: string, what: string, integer = false): number {
  const value = /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${what}: "${text}" is not a non-negative ${integer ? 'whole ' : ''}number`);
  }
  return value;
}

function validateStages(stages: readonly Stage[], metricPeriodMs: number): void {
  if (stages.length === 0) throw new UsageError('--stages: at least one stage is needed');
  let previous = 0;
  for (const stage of stages) {
    if (!Number.isInteger(stage.percentage) || stage.percentage < 1 || stage.percentage > 100) {
      throw new UsageError(`--stages: percentage ${stage.percentage} is not a whole number from 1 to 100`);
    }
    if (stage.percentage <= previous) {
      throw new UsageError(`--stages: percentages must increase strictly (${previous} then ${stage.percentage})`);
    }
    if (!Number.isInteger(stage.bakeMs) || stage.bakeMs < metricPeriodMs) {
      throw new UsageError(`--stages: the bake of the ${stage.percentage} % stage must be at least ${formatDuration(metricPeriodMs).replace(/ /g, '')}`);
    }
    previous = stage.percentage;
  }
}

/**
 * Checks a whole plan: stages (1–100, strictly increasing, bakes of at least a minute), thresholds (non-negative, rates
 * at most 1, `maxP95Ratio` ≥ 1, `minSamples` a whole number ≥ 1), timing (non-negative whole milliseconds) and deploy
 * extras (no reserved context key).
 *
 * @param plan - the plan to check
 * @returns the same plan
 * @throws UsageError naming the first bad value
 */
export function validatePlan(plan: RolloutPlan): RolloutPlan {
  const metricPeriodMs = plan.metricPeriodMs ?? STANDARD_METRIC_PERIOD_MS;
  validateStages(plan.stages, metricPeriodMs);
  const { gates } = plan;
  if (!Number.isInteger(gates.maxAuthErrors) || gates.maxAuthErrors < 0) {
    throw new UsageError('--max-auth-errors must be a whole number ≥ 0');
  }
  for (const [flag, rate] of [
    ['--max-5xx-rate', gates.max5xxRate],
    ['--max-fallback-rate', gates.maxFallbackRate],
  ] as const) {
    if (!(rate >= 0 && rate <= 1)) throw new UsageError(`${flag} must be from 0% to 100%`);
  }
  if (!(gates.maxP95Ratio >= 1)) throw new UsageError('--max-p95-ratio must be at least 1');
  if (!Number.isInteger(gates.minSamples) || gates.minSamples < 1) {
    throw new UsageError('--min-samples must be a whole number ≥ 1');
  }
  for (const [flag, ms] of [
    ['--metrics-delay', plan.metricsDelayMs],
    ['--max-extension', plan.maxExtensionMs],
    ['--baseline-window', plan.baselineWindowMs],
  ] as const) {
    if (!Number.isInteger(ms) || ms < 0) throw new UsageError(`${flag} must be a non-negative duration`);
  }
  if (plan.baselineWindowMs < metricPeriodMs) {
    throw new UsageError(`--baseline-window must be at least ${formatDuration(metricPeriodMs).replace(/ /g, '')}`);
  }
  for (const key of Object.keys(plan.deploy.context)) {
    if (RESERVED_CONTEXT_KEYS.includes(key)) {
      throw new UsageError(`--context ${key}=… is set by the tool itself and cannot be overridden`);
    }
  }
  return plan;
}

/**
 * Formats a rate as a percentage with up to four decimals, e.g. 0.001 → `0.1%`, 1/999 → `0.1001%`.
 *
 * @param rate - a fraction
 * @returns the percentage text
 */
export function formatRate(rate: number): string {
  return `${Number((rate * 100).toFixed(4))}%`;
}

/**
 * Formats a stage list the way `--stages` takes it, e.g. `10:1h,50:1h,100:24h`.
 *
 * @param stages - the stages
 * @returns the `--stages` text
 */
export function formatStages(stages: readonly Stage[]): string {
  return stages.map((stage) => `${stage.percentage}:${formatDuration(stage.bakeMs).replace(/ /g, '')}`).join(',');
}

/** Parts of a plan given on the command line; each replaces the same part of the base plan. */
export interface PlanOverrides {
  /** `--stages`. */
  readonly stages?: readonly Stage[];
  /** The gate flags given (`--max-5xx-rate`, `--min-samples`, …). */
  readonly gates?: Partial<GateThresholds>;
  /** `--metrics-delay`. */
  readonly metricsDelayMs?: number;
  /** `--max-extension`. */
  readonly maxExtensionMs?: number;
  /** `--baseline-window`. */
  readonly baselineWindowMs?: number;
  /** `false` for `--no-early-abort`. */
  readonly earlyAbort?: boolean;
  /** `--context` and `--cdk-arg`. */
  readonly deploy?: Partial<DeployExtras>;
  /** `--metric-period`, when shorter than the standard minute. */
  readonly metricPeriodMs?: number;
}

/**
 * Applies overrides to a base plan (the stored plan of a run, or {@link DEFAULT_PLAN}) and validates the result.
 *
 * @param base - the plan to start from
 * @param overrides - the parts to replace
 * @returns the new plan
 * @throws UsageError when the result is invalid
 */
export function applyOverrides(base: RolloutPlan, overrides: PlanOverrides): RolloutPlan {
  return validatePlan({
    stages: overrides.stages ?? base.stages,
    gates: { ...base.gates, ...overrides.gates },
    metricsDelayMs: overrides.metricsDelayMs ?? base.metricsDelayMs,
    maxExtensionMs: overrides.maxExtensionMs ?? base.maxExtensionMs,
    baselineWindowMs: overrides.baselineWindowMs ?? base.baselineWindowMs,
    earlyAbort: overrides.earlyAbort ?? base.earlyAbort,
    deploy: {
      context: overrides.deploy?.context ?? base.deploy.context,
      args: overrides.deploy?.args ?? base.deploy.args,
    },
    ...(overrides.metricPeriodMs ?? base.metricPeriodMs ? { metricPeriodMs: overrides.metricPeriodMs ?? base.metricPeriodMs } : {}),
  });
}

/**
 * Whether `overrides` sets anything at all.
 *
 * @param overrides - the overrides
 * @returns true when at least one part is set
 */
export function hasOverrides(overrides: PlanOverrides): boolean {
  return Object.values(overrides).some(
    (value) => value !== undefined && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0),
  );
}

/**
 * Compares two plans field by field.
 *
 * @param stored - the plan in the state file
 * @param requested - the plan given on the command line
 * @returns one line per difference, e.g. `stages: 10:1h,50:1h,100:24h → 25:1h,100:24h`; empty when equal
 */
export function diffPlans(stored: RolloutPlan, requested: RolloutPlan): string[] {
  const differences: string[] = [];
  const compare = (name: string, a: unknown, b: unknown, show: (v: never) => string = (v) => JSON.stringify(v)) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${name}: ${show(a as never)} → ${show(b as never)}`);
  };
  compare('stages', stored.stages, requested.stages, (v: readonly Stage[]) => formatStages(v));
  for (const key of Object.keys(stored.gates) as Array<keyof GateThresholds>) {
    compare(`gates.${key}`, stored.gates[key], requested.gates[key]);
  }
  compare('metricsDelay', stored.metricsDelayMs, requested.metricsDelayMs, (v: number) => formatDuration(v));
  compare('maxExtension', stored.maxExtensionMs, requested.maxExtensionMs, (v: number) => formatDuration(v));
  compare('baselineWindow', stored.baselineWindowMs, requested.baselineWindowMs, (v: number) => formatDuration(v));
  compare('earlyAbort', stored.earlyAbort, requested.earlyAbort);
  compare('deploy.context', sortedEntries(stored.deploy.context), sortedEntries(requested.deploy.context));
  compare('deploy.args', stored.deploy.args, requested.deploy.args);
  return differences;
}

function sortedEntries(record: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
