/**
 * The messages between a Lambda container (a `worker_threads` Worker running `./worker.ts`) and the parent: what the
 * container is started with, the invocations it is sent, and the logs, INIT outcome and results it posts back.
 */

/** Data passed to a container at start (`workerData`). */
export interface RuntimeWorkerData {
  readonly bundlePath: string;
  readonly handlerName: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/** A serialised error, as Lambda reports it (`errorType`, `errorMessage`, `trace`). */
export interface RuntimeError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

/** Parent → container. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
  readonly awsRequestId: string;
  /** Epoch ms at which the invocation times out. */
  readonly deadlineMs: number;
  /** A fault to inject instead of calling the handler. */
  readonly fault?: { readonly mode: 'error' | 'crash' | 'timeout'; readonly errorType?: string; readonly errorMessage?: string };
}

/** Container → parent. */
export type RuntimeMessage =
  | { readonly type: 'log'; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'init'; readonly ok: true; readonly durationMs: number }
  | { readonly type: 'init'; readonly ok: false; readonly durationMs: number; readonly error: RuntimeError }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly payload: string }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: RuntimeError };
