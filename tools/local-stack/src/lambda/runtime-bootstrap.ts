/**
 * The code each Lambda container (a `worker_threads` Worker) runs before and around the function's bundle: it plays
 * the part of Lambda's Node.js runtime.
 *
 * - It captures everything written to fd 1 and fd 2 (`process.stdout`/`stderr` streams and direct `fs.write(Sync)`
 *   calls such as pino's) and posts it to the parent on the same port as the results, so every line is attributed to
 *   its invocation and arrives before that invocation's result. Node's built-in modules are per thread, so the patch
 *   affects this container only.
 * - INIT: it `require`s the bundle once (module scope runs once per container, as in Lambda) and reports the duration.
 * - INVOKE: one invocation at a time, with a Lambda-like context object; async and callback handlers are supported.
 *
 * It is plain JavaScript kept in a string so that it runs unchanged under ts-jest, ts-node and the esbuild build.
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

/** The container's source (run with `new Worker(RUNTIME_BOOTSTRAP_SOURCE, { eval: true })`). */
export const RUNTIME_BOOTSTRAP_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');

const post = (message) => parentPort.postMessage(message);
const textOf = (chunk, encoding) =>
  typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(encoding || 'utf8');

for (const [name, stream] of [['stdout', process.stdout], ['stderr', process.stderr]]) {
  stream.write = function write(chunk, encoding, callback) {
    if (typeof encoding === 'function') { callback = encoding; encoding = undefined; }
    post({ type: 'log', stream: name, text: textOf(chunk, typeof encoding === 'string' ? encoding : undefined) });
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  };
}
const streamOfFd = (fd) => (fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : undefined);
const sliceOf = (buffer, offset, length) => {
  if (typeof buffer === 'string') return buffer;
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const start = typeof offset === 'number' ? offset : 0;
  const end = typeof length === 'number' ? start + length : bytes.length;
  return bytes.subarray(start, end).toString('utf8');
};
const originalWriteSync = fs.writeSync;
fs.writeSync = function writeSync(fd, buffer, offset, length, position) {
  const stream = streamOfFd(fd);
  if (stream === undefined) return originalWriteSync.apply(fs, arguments);
  const text = sliceOf(buffer, offset, length);
  post({ type: 'log', stream, text });
  return Buffer.byteLength(text);
};
const originalWrite = fs.write;
fs.write = function write(fd, buffer, ...rest) {
  const stream = streamOfFd(fd);
  if (stream === undefined) return originalWrite.call(fs, fd, buffer, ...rest);
  const callback = [...rest].reverse().find((arg) => typeof arg === 'function');
  const text = sliceOf(buffer, typeof rest[0] === 'number' ? rest[0] : undefined, typeof rest[1] === 'number' ? rest[1] : undefined);
  post({ type: 'log', stream, text });
  if (callback) process.nextTick(callback, null, Buffer.byteLength(text), buffer);
};

const serialise = (error, fallbackType) => {
  if (error instanceof Error) {
    return {
      errorType: error.name && error.name !== 'Error' ? error.name : (error.constructor && error.constructor.name) || fallbackType,
      errorMessage: String(error.message),
      trace: String(error.stack || '').split('\n'),
    };
  }
  return { errorType: fallbackType, errorMessage: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error), trace: [] };
};

let handler;
const initStarted = performance.now();
try {
  const loaded = require(workerData.bundlePath);
  handler = loaded && loaded[workerData.handlerName];
  if (typeof handler !== 'function') {
    const error = new Error('main.' + workerData.handlerName + ' is undefined or not exported');
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  post({ type: 'init', ok: true, durationMs: performance.now() - initStarted });
} catch (error) {
  const code = error && error.code;
  const serialised = serialise(error, 'Runtime.ImportModuleError');
  if (code === 'MODULE_NOT_FOUND') serialised.errorType = 'Runtime.ImportModuleError';
  post({ type: 'init', ok: false, durationMs: performance.now() - initStarted, error: serialised });
}

const runHandler = (event, context) =>
  new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, value) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(value);
    };
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      callback(error);
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then((value) => callback(null, value), (error) => callback(error === undefined || error === null ? new Error('handler rejected') : error));
    } else if (handler.length < 3) {
      callback(null, returned);
    }
  });

parentPort.on('message', async (message) => {
  if (!message || message.type !== 'invoke') return;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: workerData.functionName,
    functionVersion: workerData.functionVersion,
    invokedFunctionArn: workerData.invokedFunctionArn,
    memoryLimitInMB: workerData.memoryLimitInMB,
    awsRequestId: message.awsRequestId,
    logGroupName: workerData.logGroupName,
    logStreamName: workerData.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
  try {
    let value;
    if (message.fault && message.fault.mode === 'crash') {
      process.exit(1);
      return;
    } else if (message.fault && message.fault.mode === 'timeout') {
      return;
    } else if (message.fault && message.fault.mode === 'error') {
      const error = new Error(message.fault.errorMessage || 'Injected handler failure');
      error.name = message.fault.errorType || 'Error';
      throw error;
    } else {
      value = await runHandler(message.event, context);
    }
    const payload = JSON.stringify(value === undefined ? null : value);
    post({ type: 'result', id: message.id, ok: true, payload: payload === undefined ? 'null' : payload });
  } catch (error) {
    post({ type: 'result', id: message.id, ok: false, error: serialise(error, 'Error') });
  }
});
`;
