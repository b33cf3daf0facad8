import { Worker } from 'node:worker_threads';
import type { LogStore, LogStream } from '../logs';
import { LineSplitter } from '../logs';
import {
  runtimeBootstrapSource,
  type InvokeMessage,
  type RuntimeError,
  type RuntimeMessage,
  type RuntimeWorkerData,
} from './runtime-bootstrap';

/** Lambda's limit on the INIT phase. */
const INIT_TIMEOUT_MS = 10_000;

/** What a container needs to start. */
export interface ContainerOptions {
  readonly id: string;
  readonly functionName: string;
  readonly workerData: RuntimeWorkerData;
  /** The function's environment, exactly as the handler will see `process.env`. */
  readonly env: Readonly<Record<string, string>>;
  /** Heap bound of the runtime, standing in for the function's memory size. */
  readonly memoryMb: number;
  readonly logs: LogStore;
  readonly now: () => Date;
}

/** The outcome of one attempt in a container. */
export type AttemptOutcome =
  | { readonly ok: true; readonly payload: string; readonly durationMs: number }
  /** `fatal`: the runtime is gone (timeout, crash, exit) and the container must be discarded. */
  | { readonly ok: false; readonly error: RuntimeError; readonly fatal: boolean; readonly durationMs: number };

/** The outcome of starting a container. */
export type ContainerStart =
  | { readonly ok: true; readonly container: Container }
  | { readonly ok: false; readonly error: RuntimeError; readonly initDurationMs: number };

type Pending = { readonly id: number; readonly resolve: (outcome: AttemptOutcome) => void; readonly started: number };

/**
 * One Lambda execution environment: a worker thread running the function's bundle, with its own `process.env` and
 * module cache, handling one invocation at a time. Everything it writes is captured into the {@link LogStore},
 * attributed to the invocation in progress.
 */
export class Container {
  /** Duration of the INIT phase (module load). */
  readonly initDurationMs: number;
  private currentRequestId: string | undefined;
  private pending: Pending | undefined;
  private nextId = 1;
  private dead = false;
  private readonly splitters: Record<'stdout' | 'stderr', LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  private readonly rawSplitters: Record<'stdout' | 'stderr', LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  private constructor(
    private readonly worker: Worker,
    private readonly options: ContainerOptions,
    initDurationMs: number,
  ) {
    this.initDurationMs = initDurationMs;
  }

  /** The container id (also its log stream suffix). */
  get id(): string {
    return this.options.id;
  }

  /** False once the runtime has exited or been terminated. */
  get alive(): boolean {
    return !this.dead;
  }

  /**
   * Starts a worker and runs INIT (loads the bundle).
   *
   * @param options - identity, environment and sinks
   * @returns the ready container, or the INIT error (the worker is then already stopped)
   */
  static start(options: ContainerOptions): Promise<ContainerStart> {
    const worker = new Worker(runtimeBootstrapSource(), {
      eval: true,
      workerData: options.workerData,
      env: { ...options.env },
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
    });
    const started = performance.now();
    return new Promise<ContainerStart>((resolve) => {
      let container: Container | undefined;
      const early: Array<Extract<RuntimeMessage, { type: 'log' }>> = [];
      const fail = (error: RuntimeError) => {
        clearTimeout(timer);
        void worker.terminate();
        resolve({ ok: false, error, initDurationMs: performance.now() - started });
      };
      const timer = setTimeout(
        () => fail({ errorType: 'Sandbox.Timedout', errorMessage: `INIT did not finish within ${INIT_TIMEOUT_MS / 1000} seconds`, trace: [] }),
        INIT_TIMEOUT_MS,
      );
      const onInitMessage = (message: RuntimeMessage) => {
        if (message.type === 'log') {
          early.push(message);
          return;
        }
        if (message.type !== 'init') return;
        clearTimeout(timer);
        worker.off('message', onInitMessage);
        worker.off('error', onInitError);
        worker.off('exit', onInitExit);
        if (!message.ok) {
          const probe = new Container(worker, options, message.durationMs);
          for (const log of early) probe.capture(log.stream, log.text);
          probe.flushLogs();
          fail(message.error);
          return;
        }
        container = new Container(worker, options, message.durationMs);
        for (const log of early) container.capture(log.stream, log.text);
        container.flushLogs();
        container.attach();
        resolve({ ok: true, container });
      };
      const onInitError = (error: Error) => fail(runtimeErrorOf(error));
      const onInitExit = (code: number) =>
        fail({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited during INIT with exit status ${code}`, trace: [] });
      worker.on('message', onInitMessage);
      worker.once('error', onInitError);
      worker.once('exit', onInitExit);
    });
  }

  /**
   * Runs one attempt. The container must be idle.
   *
   * @param event - the event, structured-cloned into the worker
   * @param requestId - the invocation's `awsRequestId`
   * @param timeoutMs - the function's timeout
   * @param fault - a fault to inject instead of calling the handler
   */
  invoke(event: unknown, requestId: string, timeoutMs: number, fault?: InvokeMessage['fault']): Promise<AttemptOutcome> {
    if (this.dead) {
      return Promise.resolve({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'the runtime is gone', trace: [] }, fatal: true, durationMs: 0 });
    }
    if (this.pending !== undefined) throw new Error(`container ${this.id} is busy`);
    const id = this.nextId++;
    const started = performance.now();
    this.currentRequestId = requestId;
    return new Promise<AttemptOutcome>((resolve) => {
      const timer = setTimeout(() => {
        const seconds = (timeoutMs / 1000).toFixed(2);
        this.platformLog(`${this.options.now().toISOString()} ${requestId} Task timed out after ${seconds} seconds`, requestId);
        this.finish({
          ok: false,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`, trace: [] },
          fatal: true,
          durationMs: performance.now() - started,
        });
        this.kill();
      }, timeoutMs);
      this.pending = {
        id,
        started,
        resolve: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      const message: InvokeMessage = { type: 'invoke', id, event, awsRequestId: requestId, deadlineMs: Date.now() + timeoutMs, ...(fault ? { fault } : {}) };
      this.worker.postMessage(message);
    });
  }

  /**
   * Writes a runtime ("platform") line, like Lambda's START/END/REPORT lines.
   *
   * @param line - the text
   * @param requestId - the invocation it belongs to
   */
  platformLog(line: string, requestId: string | undefined): void {
    this.options.logs.add({
      time: this.options.now(),
      stream: 'platform',
      functionName: this.options.functionName,
      containerId: this.id,
      requestId,
      line,
    });
  }

  /** Stops the runtime (idempotent). */
  async terminate(): Promise<void> {
    this.kill();
    await this.worker.terminate().catch(() => undefined);
  }

  private kill(): void {
    if (this.dead) return;
    this.dead = true;
    void this.worker.terminate().catch(() => undefined);
  }

  private attach(): void {
    this.worker.on('message', (message: RuntimeMessage) => {
      if (message.type === 'log') this.capture(message.stream, message.text);
      else if (message.type === 'result' && this.pending?.id === message.id) {
        const durationMs = performance.now() - this.pending.started;
        this.finish(message.ok ? { ok: true, payload: message.payload, durationMs } : { ok: false, error: message.error, fatal: false, durationMs });
      }
    });
    // A safety net: anything that reached the worker's own stdio streams without the runtime's patch.
    for (const stream of ['stdout', 'stderr'] as const) {
      this.worker[stream].setEncoding('utf8');
      this.worker[stream].on('data', (chunk: string) => {
        for (const line of this.rawSplitters[stream].push(chunk)) this.record(stream, line);
      });
    }
    this.worker.on('error', (error) => {
      this.dead = true;
      this.finish({ ok: false, error: runtimeErrorOf(error), fatal: true, durationMs: this.elapsed() });
    });
    this.worker.on('exit', (code) => {
      this.dead = true;
      this.finish({
        ok: false,
        error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${this.currentRequestId ?? '-'} Error: Runtime exited with error: exit status ${code}`, trace: [] },
        fatal: true,
        durationMs: this.elapsed(),
      });
    });
  }

  private elapsed(): number {
    return this.pending === undefined ? 0 : performance.now() - this.pending.started;
  }

  private finish(outcome: AttemptOutcome): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.flushLogs();
    this.pending = undefined;
    pending.resolve(outcome);
    this.currentRequestId = undefined;
  }

  private capture(stream: 'stdout' | 'stderr', text: string): void {
    for (const line of this.splitters[stream].push(text)) this.record(stream, line);
  }

  private flushLogs(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      for (const line of this.splitters[stream].flush()) this.record(stream, line);
    }
  }

  private record(stream: LogStream, line: string): void {
    this.options.logs.add({
      time: this.options.now(),
      stream,
      functionName: this.options.functionName,
      containerId: this.id,
      requestId: this.currentRequestId,
      line,
    });
  }
}

function runtimeErrorOf(error: Error & { code?: string }): RuntimeError {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: out of memory', trace: [] };
  }
  return { errorType: error.name || 'Error', errorMessage: error.message, trace: String(error.stack ?? '').split('\n') };
}
