import type { ActivityTracker } from '../activity';
import { LOCAL_REGION, functionArn } from '../constants';
import type { FaultController, FunctionFault } from '../faults';
import type { LocalPrincipal } from '../iam/principals';
import { credentialEnvironment } from '../iam/principals';
import type { LogStore } from '../logs';
import type { InvocationSource, TraceStore } from '../trace';
import { eventIdOf } from '../trace';
import { Container } from './container';
import type { RuntimeError } from './runtime-bootstrap';

/** A function's configuration, like Lambda's (only what the local runtime needs). */
export interface FunctionConfiguration {
  readonly name: string;
  /** The account it is deployed in (default: the local account). */
  readonly accountId?: string;
  /** Absolute path of the built bundle (`dist/apps/<app>/main.js`). */
  readonly bundlePath: string;
  /** The exported handler name. */
  readonly handler: string;
  /** The execution role whose credentials the runtime gets. */
  readonly principal: LocalPrincipal;
  /** The function's own environment variables (the app's configuration). */
  readonly environment: Readonly<Record<string, string>>;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** The template's `Runtime` (e.g. `nodejs24.x`), which names `AWS_EXECUTION_ENV`; none for a container image. */
  readonly runtime?: string;
  /**
   * Reserved concurrency, as in Lambda: synchronous invocations beyond it are throttled (the Invoke API's 429
   * `TooManyRequestsException`, a Function URL's 429); asynchronous ones wait, as Lambda's event queue keeps and
   * retries throttled events. `undefined`: unreserved, never throttled (a deployed function would scale out).
   */
  readonly reservedConcurrency?: number;
  /**
   * The most containers this function runs at once on this machine: a local resource limit, not a Lambda rule.
   * Invocations beyond it (and within the reserved concurrency) wait, first come first served, for a free container.
   *
   * @default DEFAULT_MAX_CONTAINERS
   */
  readonly maxContainers?: number;
}

/** Default of {@link FunctionConfiguration.maxContainers}: enough for a burst on a laptop, few enough to start quickly. */
export const DEFAULT_MAX_CONTAINERS = 8;

/** What the runtime environment is wired to. */
export interface RuntimeWiring {
  /** `AWS_ENDPOINT_URL` of the runtime. */
  readonly awsEndpointUrl: string;
  /** The function's Parameters and Secrets extension port. */
  readonly extensionPort: number;
}

/** One invocation attempt to run. */
export interface InvokeRequest {
  readonly payload: unknown;
  readonly requestId: string;
  readonly source: InvocationSource;
  readonly invocationType: 'RequestResponse' | 'Event';
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/** The outcome of {@link LambdaFunction.invoke}. */
export type InvokeResult =
  | { readonly ok: true; readonly payload: string }
  | { readonly ok: false; readonly kind: 'function_error'; readonly error: RuntimeError }
  /** A synchronous invoke beyond the reserved concurrency, or the stack is stopping. */
  | { readonly ok: false; readonly kind: 'throttled' };

/** Dependencies of a {@link LambdaFunction}. */
export interface LambdaFunctionDeps {
  readonly logs: LogStore;
  readonly trace: TraceStore;
  readonly faults: FaultController;
  /** Which fault target applies to this function's handler, if any. */
  readonly faultTarget: 'verificationFunction' | 'executionFunction' | undefined;
  readonly activity: ActivityTracker;
  readonly now: () => Date;
  /** Called after {@link LambdaFunction.updateConfiguration} (e.g. to reset the function's extension). */
  readonly onConfigurationChange?: (config: FunctionConfiguration) => void;
}

interface Slot {
  readonly container: Container;
  readonly generation: number;
}

/**
 * Builds the environment a function's runtime sees, mirroring Lambda's reserved variables plus the function's own.
 *
 * @param config - the function
 * @param wiring - local endpoint and extension port
 * @param logStreamName - the container's log stream
 */
export function lambdaEnvironment(config: FunctionConfiguration, wiring: RuntimeWiring, logStreamName: string): Record<string, string> {
  return {
    ...config.environment,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    // Lambda sets AWS_EXECUTION_ENV to `AWS_Lambda_<runtime identifier>`, e.g. AWS_Lambda_nodejs24.x ("Defined runtime
    // environment variables": https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
    ...(config.runtime !== undefined ? { AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}` } : {}),
    AWS_LAMBDA_FUNCTION_NAME: config.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_ENDPOINT_URL: wiring.awsEndpointUrl,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(wiring.extensionPort),
    NODE_ENV: config.environment['NODE_ENV'] ?? 'production',
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...credentialEnvironment(config.principal),
  };
}

/**
 * A Lambda function: a pool of {@link Container}s running its bundle, grown on demand up to the smaller of its reserved
 * concurrency and the local container cap, and reused while warm. Beyond the reserved concurrency a synchronous
 * invocation is throttled, as Lambda does ("Lambda function scaling" and `PutFunctionConcurrency` in the Lambda
 * docs); anything else that finds no free container waits for one, in arrival order. Writes Lambda's START/END/REPORT
 * platform lines and one trace entry per attempt.
 */
export class LambdaFunction {
  private config: FunctionConfiguration;
  private generation = 0;
  private readonly idle: Slot[] = [];
  private readonly busy = new Set<Slot>();
  private starting = 0;
  private readonly waiters: Array<() => void> = [];
  /** Synchronous invocations within the reserved concurrency that wait for a container: they count against it. */
  private syncWaiting = 0;
  private containerCount = 0;
  private stopped = false;

  constructor(
    config: FunctionConfiguration,
    private readonly wiring: RuntimeWiring,
    private readonly deps: LambdaFunctionDeps,
  ) {
    this.config = config;
  }

  /** The function name. */
  get name(): string {
    return this.config.name;
  }

  /** The unqualified function ARN. */
  get arn(): string {
    return functionArn(this.config.name, this.config.accountId);
  }

  /** The current configuration. */
  get configuration(): FunctionConfiguration {
    return this.config;
  }

  /** How many containers exist now (warm or busy). */
  get containers(): number {
    return this.idle.length + this.busy.size + this.starting;
  }

  /** The most containers that may run at once: the reserved concurrency, bounded by the local container cap. */
  get capacity(): number {
    return Math.min(this.config.reservedConcurrency ?? Number.POSITIVE_INFINITY, this.config.maxContainers ?? DEFAULT_MAX_CONTAINERS);
  }

  /**
   * Changes the configuration, like `UpdateFunctionConfiguration`: idle containers are stopped at once, busy ones
   * after their current invocation, so every later invocation cold-starts with the new settings.
   *
   * @param patch - the fields to change; `environment` replaces the whole function environment
   */
  async updateConfiguration(patch: Partial<Omit<FunctionConfiguration, 'name'>>): Promise<void> {
    this.config = { ...this.config, ...patch };
    this.generation += 1;
    this.deps.onConfigurationChange?.(this.config);
    const stale = this.idle.splice(0, this.idle.length);
    await Promise.all(stale.map((slot) => slot.container.terminate()));
  }

  /**
   * Starts containers until `count` are warm (bounded by {@link capacity}).
   *
   * @throws Error when a container fails INIT
   */
  async prewarm(count = 1): Promise<void> {
    const wanted = Math.min(count, this.capacity);
    while (this.idle.length + this.busy.size + this.starting < wanted) {
      const started = await this.startContainer();
      if (!started.ok) throw new Error(`${this.name}: INIT failed: ${started.error.errorType}: ${started.error.errorMessage}`);
      this.idle.push(started.slot);
    }
  }

  /**
   * Runs one attempt.
   *
   * @param request - payload and identity of the attempt
   * @param waitForCapacity - `true` for asynchronous invokes, which wait even beyond the reserved concurrency (Lambda's
   *   event queue retries throttled events); `false` for synchronous ones, which are throttled beyond it
   */
  async invoke(request: InvokeRequest, waitForCapacity: boolean): Promise<InvokeResult> {
    const endActivity = this.deps.activity.begin(`invoke ${this.name} ${request.requestId}`);
    const queuedAt = performance.now();
    try {
      const acquired = await this.acquire(waitForCapacity);
      const queuedMs = performance.now() - queuedAt;
      if (acquired.kind === 'throttled') {
        this.traceAttempt(request, { containerId: undefined, coldStart: false, initDurationMs: undefined, queuedMs, durationMs: 0, outcome: 'throttled', errorType: undefined });
        return { ok: false, kind: 'throttled' };
      }
      if (acquired.kind === 'init_failed') {
        this.traceAttempt(request, {
          containerId: undefined,
          coldStart: true,
          initDurationMs: acquired.initDurationMs,
          queuedMs,
          durationMs: 0,
          outcome: 'error',
          errorType: acquired.error.errorType,
        });
        return { ok: false, kind: 'function_error', error: acquired.error };
      }
      return await this.runAttempt(request, acquired.slot, acquired.cold, queuedMs);
    } finally {
      endActivity();
    }
  }

  /** Stops every container; waiting invocations are released as throttled. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const wake of this.waiters.splice(0)) wake();
    const slots = [...this.idle.splice(0), ...this.busy];
    await Promise.all(slots.map((slot) => slot.container.terminate()));
  }

  private async runAttempt(request: InvokeRequest, slot: Slot, cold: boolean, queuedMs: number): Promise<InvokeResult> {
    const { container } = slot;
    const fault = this.takeFault();
    container.platformLog(`START RequestId: ${request.requestId} Version: $LATEST`, request.requestId);
    const outcome = await container.invoke(request.payload, request.requestId, this.config.timeoutSeconds * 1000, fault);
    if (!outcome.ok) {
      container.platformLog(
        `${this.deps.now().toISOString()}\t${request.requestId}\tERROR\tInvoke Error \t${JSON.stringify(outcome.error)}`,
        request.requestId,
      );
    }
    container.platformLog(`END RequestId: ${request.requestId}`, request.requestId);
    const duration = outcome.durationMs;
    const init = cold ? `\tInit Duration: ${container.initDurationMs.toFixed(2)} ms` : '';
    container.platformLog(
      `REPORT RequestId: ${request.requestId}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: ${this.config.memoryMb} MB${init}`,
      request.requestId,
    );
    this.release(slot, !outcome.ok && outcome.fatal);
    this.traceAttempt(request, {
      containerId: container.id,
      coldStart: cold,
      initDurationMs: cold ? container.initDurationMs : undefined,
      queuedMs,
      durationMs: duration,
      outcome: outcome.ok ? 'success' : 'error',
      errorType: outcome.ok ? undefined : outcome.error.errorType,
    });
    return outcome.ok ? { ok: true, payload: outcome.payload } : { ok: false, kind: 'function_error', error: outcome.error };
  }

  private takeFault(): { mode: FunctionFault['mode']; errorType?: string; errorMessage?: string } | undefined {
    if (this.deps.faultTarget === undefined) return undefined;
    const fault = this.deps.faults.take(this.deps.faultTarget);
    if (fault === undefined) return undefined;
    if (fault.mode === 'error') {
      return { mode: 'error', ...(fault.errorType ? { errorType: fault.errorType } : {}), ...(fault.errorMessage ? { errorMessage: fault.errorMessage } : {}) };
    }
    return { mode: fault.mode };
  }

  private traceAttempt(
    request: InvokeRequest,
    details: {
      containerId: string | undefined;
      coldStart: boolean;
      initDurationMs: number | undefined;
      queuedMs: number;
      durationMs: number;
      outcome: 'success' | 'error' | 'throttled';
      errorType: string | undefined;
    },
  ): void {
    this.deps.trace.add({
      kind: 'invocation',
      at: this.deps.now(),
      eventId: eventIdOf(request.payload),
      functionName: this.name,
      source: request.source,
      invocationType: request.invocationType,
      requestId: request.requestId,
      attempt: request.attempt,
      ...details,
    });
  }

  private async acquire(
    wait: boolean,
  ): Promise<
    | { kind: 'ready'; slot: Slot; cold: boolean }
    | { kind: 'throttled' }
    | { kind: 'init_failed'; error: RuntimeError; initDurationMs: number }
  > {
    const reserved = this.config.reservedConcurrency;
    if (!wait && reserved !== undefined && this.busy.size + this.starting + this.syncWaiting >= reserved) return { kind: 'throttled' };
    // First come, first served: a newcomer queues behind invocations already waiting for a container.
    for (let mayTake = this.waiters.length === 0; ; mayTake = true) {
      if (this.stopped) return { kind: 'throttled' };
      if (mayTake) {
        const warm = this.takeIdle();
        if (warm !== undefined) {
          this.busy.add(warm);
          return { kind: 'ready', slot: warm, cold: false };
        }
      }
      if (mayTake && this.containers < this.capacity) {
        const started = await this.startContainer();
        if (!started.ok) {
          this.wakeOne();
          return { kind: 'init_failed', error: started.error, initDurationMs: started.initDurationMs };
        }
        if (this.stopped) {
          await started.slot.container.terminate();
          return { kind: 'throttled' };
        }
        this.busy.add(started.slot);
        return { kind: 'ready', slot: started.slot, cold: true };
      }
      if (!wait) this.syncWaiting += 1;
      // A woken waiter that found nothing keeps its place at the head of the queue.
      await new Promise<void>((resolve) => (mayTake ? this.waiters.unshift(resolve) : this.waiters.push(resolve)));
      if (!wait) this.syncWaiting -= 1;
    }
  }

  private takeIdle(): Slot | undefined {
    while (this.idle.length > 0) {
      const slot = this.idle.pop() as Slot;
      if (slot.container.alive && slot.generation === this.generation) return slot;
      void slot.container.terminate();
    }
    return undefined;
  }

  private async startContainer(): Promise<{ ok: true; slot: Slot } | { ok: false; error: RuntimeError; initDurationMs: number }> {
    this.starting += 1;
    const generation = this.generation;
    const config = this.config;
    const number = ++this.containerCount;
    const id = `${config.name}-${number}`;
    const logStreamName = `${this.deps.now().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${number.toString(16).padStart(32, '0')}`;
    try {
      const started = await Container.start({
        id,
        functionName: config.name,
        memoryMb: config.memoryMb,
        env: lambdaEnvironment(config, this.wiring, logStreamName),
        logs: this.deps.logs,
        now: this.deps.now,
        workerData: {
          bundlePath: config.bundlePath,
          handlerName: config.handler,
          functionName: config.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: functionArn(config.name, config.accountId),
          memoryLimitInMB: String(config.memoryMb),
          logGroupName: `/aws/lambda/${config.name}`,
          logStreamName,
        },
      });
      return started.ok ? { ok: true, slot: { container: started.container, generation } } : started;
    } finally {
      this.starting -= 1;
    }
  }

  private release(slot: Slot, discard: boolean): void {
    this.busy.delete(slot);
    if (discard || this.stopped || slot.generation !== this.generation || !slot.container.alive) void slot.container.terminate();
    else this.idle.push(slot);
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }
}
