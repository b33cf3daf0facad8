import { injectedError, lambdaContext, loadHandler, resultPayload, runHandler, serialiseError, type LambdaContext, type LambdaHandler } from '../../src/lambda/runtime/handler';
import type { InvokeMessage, RuntimeWorkerData } from '../../src/lambda/runtime/protocol';

const DATA: RuntimeWorkerData = {
  bundlePath: '/var/task/index.js',
  handlerName: 'handler',
  functionName: 'fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/fn',
  logStreamName: '2024/01/01/[$LATEST]abc',
};
const MESSAGE: InvokeMessage = { type: 'invoke', id: 1, event: { a: 1 }, awsRequestId: 'req-1', deadlineMs: 1_700_000_003_000 };
const CONTEXT = lambdaContext(DATA, MESSAGE, () => 1_700_000_000_000);

class CustomFailure extends Error {}

describe('serialiseError', () => {
  it('types an error by its name, else its class, and keeps message and stack lines', () => {
    const named = Object.assign(new Error('boom'), { name: 'BoomError' });
    expect(serialiseError(named, 'Fallback')).toEqual({ errorType: 'BoomError', errorMessage: 'boom', trace: String(named.stack).split('\n') });
    expect(serialiseError(new CustomFailure('bad'), 'Fallback').errorType).toBe('CustomFailure');
    expect(serialiseError(new Error('plain'), 'Fallback').errorType).toBe('Error');
  });

  it('types a thrown non-Error with the fallback: a string as the message, anything else as JSON', () => {
    expect(serialiseError('just text', 'Fallback')).toEqual({ errorType: 'Fallback', errorMessage: 'just text', trace: [] });
    expect(serialiseError({ code: 7 }, 'Fallback')).toEqual({ errorType: 'Fallback', errorMessage: '{"code":7}', trace: [] });
    expect(serialiseError(undefined, 'Fallback')).toEqual({ errorType: 'Fallback', errorMessage: 'undefined', trace: [] });
  });
});

describe('loadHandler', () => {
  it('finds the named export of the bundle', () => {
    const handler = () => 'ok';
    const loaded = loadHandler((path) => (path === DATA.bundlePath ? { handler } : undefined), DATA.bundlePath, 'handler');
    expect(loaded).toEqual({ ok: true, handler });
  });

  it('reports a missing export as Runtime.HandlerNotFound', () => {
    const loaded = loadHandler(() => ({ other: () => 'x' }), DATA.bundlePath, 'handler');
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.error.errorType).toBe('Runtime.HandlerNotFound');
    expect(!loaded.ok && loaded.error.errorMessage).toBe('main.handler is undefined or not exported');
  });

  it('reports a missing module as Runtime.ImportModuleError, and a throwing module scope with its own error type', () => {
    const missing = loadHandler(() => {
      throw Object.assign(new Error("Cannot find module 'left-pad'"), { code: 'MODULE_NOT_FOUND' });
    }, DATA.bundlePath, 'handler');
    expect(!missing.ok && [missing.error.errorType, missing.error.errorMessage]).toEqual(['Runtime.ImportModuleError', "Cannot find module 'left-pad'"]);
    const throwing = loadHandler(() => {
      throw new TypeError('x is not a function');
    }, DATA.bundlePath, 'handler');
    expect(!throwing.ok && throwing.error.errorType).toBe('TypeError');
  });
});

describe('lambdaContext', () => {
  it('carries the function identity and request id, and the time left until the deadline on the given clock', () => {
    const { getRemainingTimeInMillis, ...fields } = CONTEXT;
    expect(fields).toEqual({
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'fn',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
      memoryLimitInMB: '512',
      awsRequestId: 'req-1',
      logGroupName: '/aws/lambda/fn',
      logStreamName: '2024/01/01/[$LATEST]abc',
    });
    expect(getRemainingTimeInMillis()).toBe(3000);
    expect(lambdaContext(DATA, MESSAGE, () => 1_700_000_009_000).getRemainingTimeInMillis()).toBe(0);
  });
});

describe('runHandler', () => {
  it('settles with an async handler’s value, or its rejection; a rejection without a reason becomes "handler rejected"', async () => {
    await expect(runHandler(async (event) => ({ got: event }), { a: 1 }, CONTEXT)).resolves.toEqual({ got: { a: 1 } });
    await expect(runHandler(async () => Promise.reject(new Error('nope')), null, CONTEXT)).rejects.toThrow('nope');
    await expect(runHandler(async () => Promise.reject(undefined), null, CONTEXT)).rejects.toThrow('handler rejected');
  });

  it('settles a synchronous handler without a callback with its return value, or its throw', async () => {
    await expect(runHandler((_event, context: LambdaContext) => context.awsRequestId, null, CONTEXT)).resolves.toBe('req-1');
    await expect(
      runHandler(() => {
        throw new RangeError('sync throw');
      }, null, CONTEXT),
    ).rejects.toThrow(RangeError);
  });

  it('waits for a callback handler’s callback and ignores the calls after the first', async () => {
    const calls: string[] = [];
    const handler: LambdaHandler = (_event, _context, callback) => {
      setImmediate(() => {
        calls.push('first');
        callback(null, 'first value');
        callback(new Error('second call'));
      });
    };
    await expect(runHandler(handler, null, CONTEXT)).resolves.toBe('first value');
    expect(calls).toEqual(['first']);
    await expect(runHandler((_event, _context, callback) => callback(new Error('via callback')), null, CONTEXT)).rejects.toThrow('via callback');
  });
});

describe('resultPayload and injectedError', () => {
  it('writes the value as JSON, null for undefined or a value JSON cannot write', () => {
    expect(resultPayload({ statusCode: 200 })).toBe('{"statusCode":200}');
    expect(resultPayload(undefined)).toBe('null');
    expect(resultPayload(() => 'a function')).toBe('null');
  });

  it('builds the injected failure with its type and message, or the defaults', () => {
    expect([injectedError({ mode: 'error', errorType: 'Throttled', errorMessage: 'slow down' })].map((e) => [e.name, e.message])).toEqual([['Throttled', 'slow down']]);
    const fallback = injectedError({ mode: 'error' });
    expect([fallback.name, fallback.message]).toEqual(['Error', 'Injected handler failure']);
  });
});
