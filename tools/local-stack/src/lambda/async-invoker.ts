import { randomUUID } from 'node:crypto';
import type { ActivityTracker } from '../activity';
import type { InvocationSource, TraceStore } from '../trace';
import { eventIdOf } from '../trace';
import type { DeadLetterRecord, DeadLetterStore } from './dead-letters';
import type { InvokeRequest, InvokeResult } from './function';

/** Lambda's default for asynchronous invocation: two retries after the first attempt. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;

/**
 * Local waits before retry 1 and retry 2. Real Lambda waits about one and then two minutes; locally the same shape is
 * kept, scaled down so a failing event reaches the dead-letter store in well under a second.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [200, 400];

/** Options of {@link AsyncInvoker}. */
export interface AsyncInvokerOptions {
  readonly functionName: string;
  /** The unqualified function ARN. */
  readonly functionArn: string;
  /** Runs one attempt, waiting for a free container. */
  readonly run: (request: InvokeRequest) => Promise<InvokeResult>;
  readonly deadLetters: DeadLetterStore;
  /**
   * The on-failure destination: delivers a record and says whether it was delivered. Without one, records are kept in
   * {@link deadLetters}.
   */
  readonly destination?: (record: DeadLetterRecord) => boolean;
  readonly trace: TraceStore;
  readonly activity: ActivityTracker;
  readonly now: () => Date;
  /** The wait before each retry; its length is the number of retries (0 to 2, as `MaximumRetryAttempts`). */
  readonly retryDelaysMs?: readonly number[];
  readonly newRequestId?: () => string;
}

/**
 * Lambda's asynchronous invocation for one function: {@link enqueue} returns at once (the caller answers 202); the
 * event then runs, is retried after a function error (thrown, rejected, crashed or timed out) up to the configured
 * number of retries with the same request id, and finally lands in the dead-letter store as an on-failure
 * destination record.
 */
export class AsyncInvoker {
  private readonly timers = new Map<NodeJS.Timeout, (proceed: boolean) => void>();
  private readonly retryDelaysMs: readonly number[];
  private readonly newRequestId: () => string;
  private stopped = false;

  constructor(private readonly options: AsyncInvokerOptions) {
    if ((options.retryDelaysMs?.length ?? 0) > DEFAULT_MAXIMUM_RETRY_ATTEMPTS) {
      throw new RangeError(`at most ${DEFAULT_MAXIMUM_RETRY_ATTEMPTS} retries can be configured, as in Lambda`);
    }
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.newRequestId = options.newRequestId ?? randomUUID;
  }

  /**
   * Queues an event.
   *
   * @param payload - the event
   * @param source - who invoked (`execute_api` or `lambda_api`)
   * @returns the invocation's request id
   */
  enqueue(payload: unknown, source: InvocationSource): string {
    const requestId = this.newRequestId();
    const end = this.options.activity.begin(`async ${this.options.functionName} ${requestId}`);
    void this.runAttempts(payload, source, requestId).finally(end);
    return requestId;
  }

  /** Cancels pending retries; events not yet finished are dropped. */
  stop(): void {
    this.stopped = true;
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve(false);
    }
    this.timers.clear();
  }

  private async runAttempts(payload: unknown, source: InvocationSource, requestId: string): Promise<void> {
    const attempts = this.retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (this.stopped) return;
      const result = await this.options.run({ payload, requestId, source, invocationType: 'Event', attempt });
      if (result.ok) return;
      if (result.kind === 'throttled') return; // only when the stack is stopping: waiting invocations are released
      if (attempt === attempts) {
        this.deadLetter(payload, requestId, attempts, result.error);
        return;
      }
      const delay = this.retryDelaysMs[attempt - 1] ?? 0;
      const waited = await this.wait(delay);
      if (!waited) return;
    }
  }

  private deadLetter(payload: unknown, requestId: string, attempts: number, error: { errorType: string; errorMessage: string; trace: readonly string[] }): void {
    const at = this.options.now();
    const record: DeadLetterRecord = {
      version: '1.0',
      timestamp: at.toISOString(),
      requestContext: {
        requestId,
        functionArn: `${this.options.functionArn}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: attempts,
      },
      requestPayload: payload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: error.errorType, errorMessage: error.errorMessage, trace: [...error.trace] },
    };
    if (this.options.destination === undefined) this.options.deadLetters.add(record);
    else if (!this.options.destination(record)) return; // dropped, as Lambda drops an event it cannot deliver
    this.options.trace.add({ kind: 'dead_letter', at, eventId: eventIdOf(payload), functionName: this.options.functionName, requestId });
  }

  private wait(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (this.stopped) {
        resolve(false);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(!this.stopped);
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}
