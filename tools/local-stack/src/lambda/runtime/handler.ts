import type { InvokeMessage, RuntimeError, RuntimeWorkerData } from './protocol';

/** A Node.js Lambda handler: async (returns a promise) or callback style (takes a third argument). */
export type LambdaHandler = (event: unknown, context: LambdaContext, callback: (error?: unknown, value?: unknown) => void) => unknown;

/** The context object Lambda's Node.js runtime passes to the handler. */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  getRemainingTimeInMillis(): number;
}

/**
 * An error as Lambda reports it: its type is the error's `name` unless that is plain `Error`, then its class name; a
 * thrown value that is not an `Error` gets `fallbackType` and its JSON as the message.
 *
 * @param fallbackType - the type of a thrown non-`Error` (or of an `Error` with no name or class name)
 */
export function serialiseError(error: unknown, fallbackType: string): RuntimeError {
  if (error instanceof Error) {
    return {
      errorType: error.name && error.name !== 'Error' ? error.name : error.constructor?.name || fallbackType,
      errorMessage: String(error.message),
      trace: String(error.stack || '').split('\n'),
    };
  }
  return { errorType: fallbackType, errorMessage: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)), trace: [] };
}

/**
 * INIT: `require`s the bundle (its module scope runs once per container, as in Lambda) and finds the handler.
 *
 * @param load - `require`
 * @returns the handler, or the INIT error as Lambda reports it (`Runtime.ImportModuleError` for a missing module,
 *   `Runtime.HandlerNotFound` for a missing export)
 */
export function loadHandler(load: (path: string) => unknown, bundlePath: string, handlerName: string): { readonly ok: true; readonly handler: LambdaHandler } | { readonly ok: false; readonly error: RuntimeError } {
  try {
    const loaded = load(bundlePath) as Record<string, unknown> | null | undefined;
    const handler = loaded && loaded[handlerName];
    if (typeof handler !== 'function') {
      const error = new Error(`main.${handlerName} is undefined or not exported`);
      error.name = 'Runtime.HandlerNotFound';
      throw error;
    }
    return { ok: true, handler: handler as LambdaHandler };
  } catch (error) {
    const serialised = serialiseError(error, 'Runtime.ImportModuleError');
    const missingModule = (error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND';
    return { ok: false, error: missingModule ? { ...serialised, errorType: 'Runtime.ImportModuleError' } : serialised };
  }
}

/**
 * The context of one invocation.
 *
 * @param nowMs - the clock `getRemainingTimeInMillis` reads (epoch ms)
 */
export function lambdaContext(data: RuntimeWorkerData, message: InvokeMessage, nowMs: () => number = Date.now): LambdaContext {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.functionName,
    functionVersion: data.functionVersion,
    invokedFunctionArn: data.invokedFunctionArn,
    memoryLimitInMB: data.memoryLimitInMB,
    awsRequestId: message.awsRequestId,
    logGroupName: data.logGroupName,
    logStreamName: data.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - nowMs()),
  };
}

/**
 * Runs a handler the way Lambda's Node.js runtime does: the first of its returned promise and its callback settles the
 * invocation; a synchronous handler that takes no callback settles with what it returns; a handler that takes a
 * callback and returns no promise waits for it. A rejection with no reason becomes `Error('handler rejected')`.
 */
export function runHandler(handler: LambdaHandler, event: unknown, context: LambdaContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error?: unknown, value?: unknown) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(value);
    };
    let returned: unknown;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      callback(error);
      return;
    }
    if (isThenable(returned)) {
      returned.then(
        (value) => callback(null, value),
        (error: unknown) => callback(error === undefined || error === null ? new Error('handler rejected') : error),
      );
    } else if (handler.length < 3) {
      callback(null, returned);
    }
  });
}

/** The payload of a successful invocation: the value as JSON, `null` for `undefined` or a value JSON cannot write. */
export function resultPayload(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value) ?? 'null';
}

/** The error an injected `error` fault throws instead of the handler (`Injected handler failure` by default). */
export function injectedError(fault: NonNullable<InvokeMessage['fault']>): Error {
  const error = new Error(fault.errorMessage || 'Injected handler failure');
  error.name = fault.errorType || 'Error';
  return error;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
