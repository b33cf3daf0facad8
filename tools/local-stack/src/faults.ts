/**
 * Fault injection at the stack: a small typed control surface, one target per emulated dependency, with counters of
 * the faults actually injected. Used by the e2e tests and by the reliability suite.
 *
 * @example
 * stack.faults.set('executeApi', { mode: 'status', status: 500 });        // every call answers 500
 * stack.faults.set('bedrock', { mode: 'status', status: 429, times: 2 });  // throttle twice, then recover
 * stack.faults.set('gatewayClock', { mode: 'offset', offsetMs: 6 * 60_000 });
 * stack.faults.injected('bedrock');                                        // how many were injected
 */

/** A fault of an HTTP dependency. `times` limits it to that many requests; without it the fault stays until cleared. */
export type HttpFault =
  /** The connection is dropped without an answer (the client sees a reset / socket hang-up). */
  | { readonly mode: 'down'; readonly times?: number }
  /** No answer at all until the client gives up or the stack stops. */
  | { readonly mode: 'hang'; readonly times?: number }
  /** The service answers this status with its own error shape (e.g. Bedrock 429 is a ThrottlingException). */
  | { readonly mode: 'status'; readonly status: number; readonly retryAfterSeconds?: number; readonly times?: number };

/** Bedrock's faults: those of any HTTP dependency, and a ConverseStream that breaks after some tokens. */
export type BedrockFault =
  | HttpFault
  /** ConverseStream only: after `afterTokens` tokens, an exception message (`modelStreamErrorException`) ends the stream. */
  | { readonly mode: 'break'; readonly afterTokens: number; readonly times?: number };

/** A Slack Web API fault, optionally limited to some methods (e.g. `['chat.postMessage']`). */
export type SlackFault = HttpFault & { readonly methods?: readonly string[] };

/** A fault of a Lambda function's handler, injected inside its runtime for one attempt. */
export type FunctionFault =
  /** The attempt fails as if the handler threw this error (a function error, retried by async invoke). */
  | { readonly mode: 'error'; readonly errorType?: string; readonly errorMessage?: string; readonly times?: number }
  /** The runtime process exits during the attempt (`Runtime.ExitError`); the container is discarded. */
  | { readonly mode: 'crash'; readonly times?: number }
  /** The handler never returns; the function's timeout ends the attempt (`Sandbox.Timedout`). */
  | { readonly mode: 'timeout'; readonly times?: number };

/** A skew of the execute-api gateway's clock, which decides whether a SigV4 date is expired or not yet current. */
export type ClockFault = { readonly mode: 'offset'; readonly offsetMs: number } | { readonly mode: 'fixed'; readonly at: Date };

/** Every fault target and the shape of its fault. */
export interface FaultSpecs {
  /** The execution API (`/prod/execute`). */
  readonly executeApi: HttpFault;
  /** The Lambda Invoke API (`/2015-03-31/functions/…/invocations`). */
  readonly lambdaApi: HttpFault;
  /** Bedrock Converse and ConverseStream. */
  readonly bedrock: BedrockFault;
  /** DynamoDB. */
  readonly dynamodb: HttpFault;
  /** Secrets Manager (and so the secrets extension, which reads through it). */
  readonly secretsManager: HttpFault;
  /** The Slack Web API stand-in. */
  readonly slack: SlackFault;
  /** The verification function's handler. */
  readonly verificationFunction: FunctionFault;
  /** The execution function's handler. */
  readonly executionFunction: FunctionFault;
  /** The execute-api gateway's clock. */
  readonly gatewayClock: ClockFault;
}

/** A fault target name. */
export type FaultTarget = keyof FaultSpecs;

/** Every target, for iteration. */
export const FAULT_TARGETS: readonly FaultTarget[] = [
  'executeApi',
  'lambdaApi',
  'bedrock',
  'dynamodb',
  'secretsManager',
  'slack',
  'verificationFunction',
  'executionFunction',
  'gatewayClock',
];

/** Thrown by {@link FaultController.set} for a fault that cannot be injected as given. */
export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

interface ActiveFault {
  spec: FaultSpecs[FaultTarget];
  remaining: number | undefined;
}

/** The stack's fault switchboard. */
export class FaultController {
  private readonly active = new Map<FaultTarget, ActiveFault>();
  private readonly counters = new Map<FaultTarget, number>();

  /**
   * Arms a fault, replacing any fault already set on that target.
   *
   * @param target - what to break
   * @param spec - how
   * @throws {@link FaultSpecError} for an invalid `times`, `status`, `retryAfterSeconds` or clock
   */
  set<T extends FaultTarget>(target: T, spec: FaultSpecs[T]): void {
    validate(target, spec);
    const times = 'times' in spec ? spec.times : undefined;
    this.active.set(target, { spec, remaining: times });
  }

  /** Disarms one target, or every target when none is given. Counters are kept. */
  clear(target?: FaultTarget): void {
    if (target === undefined) this.active.clear();
    else this.active.delete(target);
  }

  /** The fault armed on a target, if any. */
  get<T extends FaultTarget>(target: T): FaultSpecs[T] | undefined {
    return this.active.get(target)?.spec as FaultSpecs[T] | undefined;
  }

  /**
   * Called by an emulator for each request or attempt: returns the fault to inject now (and counts it), or
   * `undefined`. A fault with `times` is disarmed after its last injection.
   *
   * @param target - the emulator's target
   * @param applies - optional filter (e.g. the Slack method); a fault that does not apply is neither used nor counted
   */
  take<T extends FaultTarget>(target: T, applies?: (spec: FaultSpecs[T]) => boolean): FaultSpecs[T] | undefined {
    const fault = this.active.get(target);
    if (fault === undefined) return undefined;
    const spec = fault.spec as FaultSpecs[T];
    if (applies !== undefined && !applies(spec)) return undefined;
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.active.delete(target);
    }
    this.counters.set(target, (this.counters.get(target) ?? 0) + 1);
    return spec;
  }

  /** How many faults were injected on a target since the stack started (or {@link resetCounts}). */
  injected(target: FaultTarget): number {
    return this.counters.get(target) ?? 0;
  }

  /** Every target's injected count. */
  counts(): Record<FaultTarget, number> {
    return Object.fromEntries(FAULT_TARGETS.map((t) => [t, this.injected(t)])) as Record<FaultTarget, number>;
  }

  /** Sets every counter back to 0. */
  resetCounts(): void {
    this.counters.clear();
  }
}

/**
 * The gateway's current time under a clock fault (without counting it; the caller decides when a skewed clock was
 * actually used).
 *
 * @param fault - the armed clock fault, if any
 * @param now - the real clock
 */
export function skewedNow(fault: ClockFault | undefined, now: Date): Date {
  if (fault === undefined) return now;
  return fault.mode === 'fixed' ? new Date(fault.at.getTime()) : new Date(now.getTime() + fault.offsetMs);
}

function validate(target: FaultTarget, spec: FaultSpecs[FaultTarget]): void {
  const fail = (why: string) => {
    throw new FaultSpecError(`fault for ${target}: ${why}`);
  };
  if ('times' in spec && spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) fail('times must be a whole number >= 1');
  if (target === 'gatewayClock') {
    const clock = spec as ClockFault;
    if (clock.mode !== 'offset' && clock.mode !== 'fixed') fail(`unknown mode ${JSON.stringify((clock as { mode: unknown }).mode)}`);
    if (clock.mode === 'offset' && !Number.isFinite(clock.offsetMs)) fail('offsetMs must be a finite number');
    if (clock.mode === 'fixed' && !(clock.at instanceof Date && !Number.isNaN(clock.at.getTime()))) fail('at must be a valid date');
    return;
  }
  if (target === 'verificationFunction' || target === 'executionFunction') {
    if (!['error', 'crash', 'timeout'].includes(spec.mode)) fail(`unknown mode ${JSON.stringify(spec.mode)}`);
    return;
  }
  if (target === 'bedrock' && spec.mode === 'break') {
    const afterTokens = (spec as { afterTokens: unknown }).afterTokens;
    if (!Number.isInteger(afterTokens) || (afterTokens as number) < 0) fail('afterTokens must be a whole number >= 0');
    return;
  }
  const http = spec as HttpFault;
  if (!['down', 'hang', 'status'].includes(http.mode)) fail(`unknown mode ${JSON.stringify(http.mode)}`);
  if (http.mode === 'status') {
    if (!Number.isInteger(http.status) || http.status < 400 || http.status > 599) fail('status must be an error status from 400 to 599');
    if (http.retryAfterSeconds !== undefined && (!Number.isInteger(http.retryAfterSeconds) || http.retryAfterSeconds < 0)) {
      fail('retryAfterSeconds must be a whole number >= 0');
    }
  }
}
