import { ActivityTracker } from '../../src/activity';
import { AsyncInvoker } from '../../src/lambda/async-invoker';
import { DeadLetterStore } from '../../src/lambda/dead-letters';
import type { InvokeRequest, InvokeResult } from '../../src/lambda/function';
import { TraceStore } from '../../src/trace';

const FAILURE: InvokeResult = { ok: false, kind: 'function_error', error: { errorType: 'BoomError', errorMessage: 'boom', trace: ['BoomError: boom', '    at handler'] } };

function setup(results: InvokeResult[], retryDelaysMs: number[] = [0, 0]) {
  const attempts: InvokeRequest[] = [];
  const deadLetters = new DeadLetterStore();
  const activity = new ActivityTracker();
  const trace = new TraceStore();
  const invoker = new AsyncInvoker({
    functionName: 'fn',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
    run: async (request) => {
      attempts.push(request);
      return results.shift() ?? { ok: true, payload: 'null' };
    },
    deadLetters,
    trace,
    activity,
    now: () => new Date('2024-01-01T00:00:00Z'),
    retryDelaysMs,
    newRequestId: () => 'req-1',
  });
  return { invoker, attempts, deadLetters, activity, trace };
}

describe('AsyncInvoker', () => {
  it('runs an event once when it succeeds', async () => {
    const { invoker, attempts, deadLetters, activity } = setup([{ ok: true, payload: '{}' }]);
    expect(invoker.enqueue({ event_id: 'Ev1' }, 'lambda_api')).toBe('req-1');
    await activity.whenIdle(5000);
    expect(attempts.map((a) => a.attempt)).toEqual([1]);
    expect(deadLetters.size).toBe(0);
  });

  it('retries a function error with the same request id, and stops at the first success', async () => {
    const { invoker, attempts, deadLetters, activity } = setup([FAILURE, { ok: true, payload: '{}' }]);
    invoker.enqueue({ event_id: 'Ev1' }, 'execute_api');
    await activity.whenIdle(5000);
    expect(attempts.map((a) => [a.attempt, a.requestId, a.invocationType, a.source])).toEqual([
      [1, 'req-1', 'Event', 'execute_api'],
      [2, 'req-1', 'Event', 'execute_api'],
    ]);
    expect(deadLetters.size).toBe(0);
  });

  it('writes an on-failure destination record after two retries, with the event intact', async () => {
    const payload = { event_id: 'Ev1', nested: { list: [1, 2] } };
    const { invoker, attempts, deadLetters, activity, trace } = setup([FAILURE, FAILURE, FAILURE]);
    invoker.enqueue(payload, 'lambda_api');
    await activity.whenIdle(5000);
    expect(attempts).toHaveLength(3);
    expect(deadLetters.list()).toEqual([
      {
        version: '1.0',
        timestamp: '2024-01-01T00:00:00.000Z',
        requestContext: {
          requestId: 'req-1',
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: payload,
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'BoomError', errorMessage: 'boom', trace: ['BoomError: boom', '    at handler'] },
      },
    ]);
    expect(trace.forEvent('Ev1').map((e) => e.kind)).toEqual(['dead_letter']);
  });

  it('honours fewer retries', async () => {
    const { invoker, attempts, deadLetters, activity } = setup([FAILURE, FAILURE], []);
    invoker.enqueue({}, 'lambda_api');
    await activity.whenIdle(5000);
    expect(attempts).toHaveLength(1);
    expect(deadLetters.list()[0]?.requestContext.approximateInvokeCount).toBe(1);
  });

  it('drops pending retries when stopped', async () => {
    const { invoker, attempts, deadLetters, activity } = setup([FAILURE, FAILURE, FAILURE], [60_000, 60_000]);
    invoker.enqueue({}, 'lambda_api');
    await new Promise((resolve) => setImmediate(resolve));
    invoker.stop();
    await activity.whenIdle(5000);
    expect(attempts).toHaveLength(1);
    expect(deadLetters.size).toBe(0);
  });

  it('refuses more than two retries, as Lambda does', () => {
    expect(() => setup([], [1, 2, 3])).toThrow(new RangeError('at most 2 retries can be configured, as in Lambda'));
  });
});
