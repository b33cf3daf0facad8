import type { Clock } from './clock';
import { evaluateGates, type GateResult } from './gates';
import { apiHandoffAttempts, type MetricsReader } from './metrics';
import { DEFAULT_GATES } from './plan';
import { STACK_OUTPUTS } from '@slack-ai-app/stack-contract';
import type { StackReader } from './stack-reader';
import type { Breach, RolloutStatus, StateStore } from './state';
import { buildTimeline, type TimelineRow } from './timeline';

/** The window `status` reads: the last hour. */
export const STATUS_WINDOW_MS = 3_600_000;

/** What `status` reports. */
export interface StatusReport {
  /** The stack. */
  readonly stack: string;
  /** What is deployed. */
  readonly deployed: {
    /** CloudFormation's stack status. */
    readonly stackStatus: string;
    /** When the stack was last updated, ISO. */
    readonly lastUpdated: string | undefined;
    /** `USE_API_GATEWAY`. */
    readonly useApiGateway: boolean;
    /** `USE_API_GATEWAY_PERCENTAGE`, when valid. */
    readonly percentage: number | undefined;
    /** Its raw value, when set. */
    readonly percentageRaw: string | undefined;
    /** The share of events that goes through the API (100 with the flag on); undefined when the percentage is invalid. */
    readonly effectivePercentage: number | undefined;
    /** `BEDROCK_PROCESSOR_ARN` is set. */
    readonly fallbackEnabled: boolean;
    /** The `ExecutionApiUrl` output. */
    readonly executionApiUrl: string | undefined;
  };
  /** The metrics of the window (aligned to whole minutes). */
  readonly metrics: {
    /** The window read, ISO. */
    readonly window: { readonly start: string; readonly end: string };
    /** API Gateway `Count`. */
    readonly apiCount: number;
    /** API Gateway `4XXError` (all causes). */
    readonly api4xx: number;
    /** API Gateway `5XXError`. */
    readonly api5xx: number;
    /** API Gateway `Latency` p95, ms. */
    readonly apiLatencyP95Ms: number | undefined;
    /** API Gateway `IntegrationLatency` p95, ms. */
    readonly apiIntegrationLatencyP95Ms: number | undefined;
    /** Hand-off p95 and sample count per path. */
    readonly handoffP95Ms: { readonly api: number | undefined; readonly direct: number | undefined };
    readonly handoffSamples: { readonly api: number; readonly direct: number };
    /** API-path hand-off attempts. */
    readonly apiHandoffs: number;
    /** `HandoffFallback`. */
    readonly fallbacks: number;
    /** `HandoffAuthError`. */
    readonly authErrors: number;
  };
  /** The gates over the window, with the rollout's thresholds and baseline when a rollout is recorded. */
  readonly gates: readonly GateResult[];
  /** The recorded rollout, if any. */
  readonly rollout:
    | {
        /** The run's id. */
        readonly runId: string;
        /** Where it stands. */
        readonly status: RolloutStatus;
        /** The current stage, 0-based. */
        readonly stageIndex: number;
        /** Stages in the plan. */
        readonly stageCount: number;
        /** The current stage's percentage. */
        readonly percentage: number | undefined;
        /** Time left in the current bake, for `baking`. */
        readonly bakeRemainingMs: number | undefined;
        /** Why it was rolled back, if it was. */
        readonly breach: Breach | undefined;
        /** When the state was last written, ISO. */
        readonly updatedAt: string;
        /** One row per stage window and the rollback, from the state file (see {@link buildTimeline}). */
        readonly timeline: readonly TimelineRow[];
      }
    | undefined;
}

/** Dependencies of {@link readStatus}. */
export interface StatusDeps {
  /** Reads the deployed stack. */
  readonly stack: StackReader;
  /** Reads the metrics. */
  readonly metrics: MetricsReader;
  /** Holds the recorded rollout. */
  readonly store: StateStore;
  /** Gives "now". */
  readonly clock: Clock;
}

/**
 * Reads the deployed flag, percentage and fallback, the last hour's metrics and gates, and the recorded rollout, if any.
 * Read-only.
 *
 * @param deps - stack reader, metrics reader, state store, clock
 * @param stack - the stack name, for the report
 * @returns the report
 * @throws StackReadError, MetricsReadError or StateFileError when a source cannot be read
 */
export async function readStatus(deps: StatusDeps, stack: string): Promise<StatusReport> {
  const now = deps.clock.now();
  const [deployed, snapshot, state] = await Promise.all([
    deps.stack.read(),
    deps.metrics.read({ start: new Date(now - STATUS_WINDOW_MS), end: new Date(now) }),
    deps.store.load(),
  ]);
  const stage = state?.plan.stages[state.stageIndex];
  const bakeStart = state?.bakeStartedAt === undefined ? undefined : Date.parse(state.bakeStartedAt);
  return {
    stack,
    deployed: {
      stackStatus: deployed.stackStatus,
      lastUpdated: deployed.lastUpdated?.toISOString(),
      useApiGateway: deployed.routing.useApiGateway,
      percentage: deployed.routing.percentage,
      percentageRaw: deployed.routing.percentageRaw,
      effectivePercentage: deployed.routing.effectivePercentage,
      fallbackEnabled: deployed.routing.fallbackEnabled,
      executionApiUrl: deployed.outputs[STACK_OUTPUTS.executionApiUrl],
    },
    metrics: {
      window: { start: snapshot.window.start.toISOString(), end: snapshot.window.end.toISOString() },
      apiCount: snapshot.api.count,
      api4xx: snapshot.api.error4xx,
      api5xx: snapshot.api.error5xx,
      apiLatencyP95Ms: snapshot.api.latencyP95Ms,
      apiIntegrationLatencyP95Ms: snapshot.api.integrationLatencyP95Ms,
      handoffP95Ms: { api: snapshot.handoff.api.latency.p95Ms, direct: snapshot.handoff.direct.latency.p95Ms },
      handoffSamples: { api: snapshot.handoff.api.latency.samples, direct: snapshot.handoff.direct.latency.samples },
      apiHandoffs: apiHandoffAttempts(snapshot),
      fallbacks: snapshot.handoff.api.fallback,
      authErrors: snapshot.handoff.api.authError,
    },
    gates: evaluateGates(snapshot, state?.plan.gates ?? DEFAULT_GATES, state?.baseline),
    rollout:
      state === undefined
        ? undefined
        : {
            runId: state.runId,
            status: state.status,
            stageIndex: state.stageIndex,
            stageCount: state.plan.stages.length,
            percentage: stage?.percentage,
            bakeRemainingMs:
              state.status === 'baking' && bakeStart !== undefined && stage !== undefined
                ? Math.max(0, bakeStart + stage.bakeMs - now)
                : undefined,
            breach: state.breach,
            updatedAt: state.updatedAt,
            timeline: buildTimeline(state),
          },
  };
}
