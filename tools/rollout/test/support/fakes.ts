/**
 * Test doubles for the rollout core: a fake clock whose sleeps only move time, a small simulated deployment (deploy
 * step + stack reader over the same routing), scripted metrics, and a recording reporter.
 */
import type { Clock } from '../../src/clock';
import type { DeployRequest, DeployStep } from '../../src/deploy';
import type { Reporter, RolloutEvent } from '../../src/events';
import { emptySnapshot, type MetricsReader, type MetricsSnapshot, type TimeWindow } from '../../src/metrics';
import type { RolloutDeps } from '../../src/rollout-deps';
import { type DeployedState, type RoutingConfig, routingFromEnvironment, type StackReader } from '../../src/stack-reader';
import { MemoryStateStore, type StateStore } from '../../src/state';

/** 2025-03-03T09:00:00.000Z: a Monday morning. */
export const T0 = Date.parse('2025-03-03T09:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
const PROCESSOR_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:SlackBedrockStack-Execution';

/** Thrown by {@link FakeClock} to simulate the process dying during a wait. */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash');
    this.name = 'SimulatedCrash';
  }
}

/** A clock that never waits: `sleep` records the duration and moves time forward. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  /** Throw {@link SimulatedCrash} on this (1-based) sleep call. */
  crashOnSleep: number | undefined;
  /** Called after each sleep, with the new time (e.g. to let "another process" act). */
  onSleep: ((now: number) => Promise<void> | void) | undefined;

  constructor(public time: number = T0) {}

  now = (): number => this.time;

  sleep = async (ms: number): Promise<void> => {
    if (this.crashOnSleep !== undefined && this.sleeps.length + 1 === this.crashOnSleep) {
      this.crashOnSleep = undefined;
      throw new SimulatedCrash();
    }
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    await this.onSleep?.(this.time);
  };

  /** Total time slept. */
  slept(): number {
    return this.sleeps.reduce((a, b) => a + b, 0);
  }
}

/**
 * The deployed stack, reduced to the verification Lambda's environment: the fake deploy step writes it the way the
 * infra app maps CDK context to variables, and the fake stack reader reads it back through `routingFromEnvironment`.
 */
export class FakeDeployment implements DeployStep, StackReader {
  env: Record<string, string>;
  readonly requests: DeployRequest[] = [];
  /** Make the deploy of the n-th (1-based) call fail with this error. */
  failures = new Map<number, Error>();
  /** Make every deploy fail with this error. */
  alwaysFail: Error | undefined;
  outputs: Record<string, string> = {
    ExecutionApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
    ExecutionApiName: 'SlackBedrockStack-execution-api',
    VerificationFunctionName: 'SlackBedrockStack-Verification',
  };

  constructor(env: Record<string, string> = { USE_API_GATEWAY: 'false', USE_API_GATEWAY_PERCENTAGE: '0', BEDROCK_PROCESSOR_ARN: PROCESSOR_ARN }) {
    this.env = { EXECUTION_API_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/', ...env };
  }

  get routing(): RoutingConfig {
    return routingFromEnvironment(this.env);
  }

  describe(request: DeployRequest): string {
    return `deploy executionApiPercentage=${request.percentage} useApiGateway=${request.useApiGateway} enableDirectInvokeFallback=${request.enableDirectInvokeFallback}`;
  }

  async deploy(request: DeployRequest): Promise<void> {
    this.requests.push(request);
    const failure = this.alwaysFail ?? this.failures.get(this.requests.length);
    if (failure) throw failure;
    const { BEDROCK_PROCESSOR_ARN: _removed, ...rest } = this.env;
    this.env = {
      ...rest,
      USE_API_GATEWAY: String(request.useApiGateway),
      USE_API_GATEWAY_PERCENTAGE: String(request.percentage),
      ...(request.enableDirectInvokeFallback ? { BEDROCK_PROCESSOR_ARN: PROCESSOR_ARN } : {}),
    };
  }

  async read(): Promise<DeployedState> {
    return {
      stackName: 'SlackBedrockStack',
      stackStatus: 'UPDATE_COMPLETE',
      lastUpdated: new Date(T0),
      outputs: this.outputs,
      verificationFunctionName: this.outputs.VerificationFunctionName as string,
      routing: this.routing,
    };
  }

  /** `[percentage, useApiGateway, fallback]` of every deploy, in order. */
  deployed(): Array<[number, boolean, boolean]> {
    return this.requests.map((request) => [request.percentage, request.useApiGateway, request.enableDirectInvokeFallback]);
  }
}

/** Per-minute traffic that {@link TrafficMetrics} turns into window sums. */
export interface Traffic {
  /** API-path hand-off attempts per minute (all accepted unless `errorsPerMinute`). */
  apiHandoffsPerMinute: number;
  /** Direct-path hand-offs per minute. */
  directHandoffsPerMinute: number;
  /** API Gateway requests per minute. @default apiHandoffsPerMinute */
  apiRequestsPerMinute?: number;
  /** API Gateway 5XX per minute. */
  api5xxPerMinute?: number;
  /** Fallbacks per minute. */
  fallbacksPerMinute?: number;
  /** API-path 403s per minute. */
  authErrorsPerMinute?: number;
  apiP95Ms?: number;
  directP95Ms?: number;
}

const HEALTHY: Traffic = { apiHandoffsPerMinute: 10, directHandoffsPerMinute: 10, apiP95Ms: 200, directP95Ms: 200 };

/**
 * Metrics computed from traffic per minute, aligned to whole minutes like CloudWatch. `traffic` may depend on the
 * deployment (e.g. the current percentage), so each stage can behave differently.
 */
export class TrafficMetrics implements MetricsReader {
  readonly reads: TimeWindow[] = [];

  constructor(private readonly traffic: (window: TimeWindow) => Traffic = () => HEALTHY) {}

  async read(window: TimeWindow): Promise<MetricsSnapshot> {
    this.reads.push(window);
    const start = Math.ceil(window.start.getTime() / MINUTE) * MINUTE;
    const end = Math.max(start, Math.floor(window.end.getTime() / MINUTE) * MINUTE);
    const aligned = { start: new Date(start), end: new Date(end) };
    const minutes = (end - start) / MINUTE;
    if (minutes === 0) return emptySnapshot(aligned);
    const t = { ...HEALTHY, ...this.traffic(aligned) };
    const apiAttempts = t.apiHandoffsPerMinute * minutes;
    const authErrors = (t.authErrorsPerMinute ?? 0) * minutes;
    return {
      window: aligned,
      api: {
        count: (t.apiRequestsPerMinute ?? t.apiHandoffsPerMinute) * minutes,
        error4xx: authErrors,
        error5xx: (t.api5xxPerMinute ?? 0) * minutes,
        latencyP95Ms: apiAttempts > 0 ? 50 : undefined,
        integrationLatencyP95Ms: apiAttempts > 0 ? 30 : undefined,
      },
      handoff: {
        api: {
          success: apiAttempts - authErrors,
          error: authErrors,
          failed: 0,
          fallback: (t.fallbacksPerMinute ?? 0) * minutes,
          authError: authErrors,
          latency: { p95Ms: apiAttempts > 0 ? t.apiP95Ms : undefined, samples: apiAttempts - authErrors },
        },
        direct: {
          success: t.directHandoffsPerMinute * minutes,
          error: 0,
          failed: 0,
          latency: {
            p95Ms: t.directHandoffsPerMinute > 0 ? t.directP95Ms : undefined,
            samples: t.directHandoffsPerMinute * minutes,
          },
        },
      },
    };
  }
}

/** Keeps every event. */
export class RecordingReporter implements Reporter {
  readonly events: RolloutEvent[] = [];

  emit(event: RolloutEvent): void {
    this.events.push(event);
  }

  ofType<T extends RolloutEvent['type']>(type: T): Array<Extract<RolloutEvent, { type: T }>> {
    return this.events.filter((event): event is Extract<RolloutEvent, { type: T }> => event.type === type);
  }
}

/** A full set of fakes, wired like the CLI wires the real ones. */
export interface World {
  clock: FakeClock;
  deployment: FakeDeployment;
  metrics: TrafficMetrics;
  reporter: RecordingReporter;
  store: StateStore;
  questions: string[];
  deps: RolloutDeps;
}

/**
 * Builds a {@link World}.
 *
 * @param options - traffic model, confirmation answer, a store to share between "processes", the starting time
 */
export function makeWorld(
  options: {
    traffic?: (window: TimeWindow, deployment: FakeDeployment) => Traffic;
    confirm?: boolean;
    store?: StateStore;
    deployment?: FakeDeployment;
    time?: number;
  } = {},
): World {
  const clock = new FakeClock(options.time ?? T0);
  const deployment = options.deployment ?? new FakeDeployment();
  const traffic = options.traffic;
  const metrics = new TrafficMetrics(traffic ? (window) => traffic(window, deployment) : undefined);
  const reporter = new RecordingReporter();
  const store = options.store ?? new MemoryStateStore();
  const questions: string[] = [];
  return {
    clock,
    deployment,
    metrics,
    reporter,
    store,
    questions,
    deps: {
      store,
      deploy: deployment,
      metrics,
      stack: deployment,
      clock,
      reporter,
      confirm: async (question) => {
        questions.push(question);
        return options.confirm ?? true;
      },
    },
  };
}
