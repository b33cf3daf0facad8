import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DEFAULT_EXECUTION_RESERVED_CONCURRENCY } from '@slack-ai-app/execution-api-contract';
import { DEFAULT_MAX_CONTAINERS, type InvocationTrace, type LocalStack } from '../../src';
import { credentialsOf, rawRequest, startTestStack, type RawResponse } from '../support/stack';

/*
 * Concurrency as Lambda has it: an unreserved function is never throttled (locally, requests beyond the container cap
 * wait for a container, first come first served); a function with reserved concurrency throttles synchronous calls
 * beyond it with 429, and keeps asynchronous events until it has room.
 */

const ECHO = join(__dirname, '..', 'fixtures', 'echo-lambda', 'main.js');

/** Waits until the echo function has logged the start of the invocation whose body carries `marker`. */
async function untilRunning(stack: LocalStack, functionName: string, marker: string): Promise<void> {
  while (!stack.logs.events({ functionName }).some((line) => line['kind'] === 'echo' && JSON.stringify(line['event']).includes(marker))) {
    await sleep(10);
  }
}

const post = (url: string, command: Record<string, unknown>, marker: string): Promise<RawResponse> =>
  rawRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ marker, command }) });

describe('the deployed defaults, locally', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('leaves the verification function unreserved and gives the execution function the template\'s reserved concurrency', () => {
    expect(stack.functions.verification.configuration.reservedConcurrency).toBeUndefined();
    expect(stack.functions.execution.configuration.reservedConcurrency).toBe(DEFAULT_EXECUTION_RESERVED_CONCURRENCY);
  });

  it('acks 32 concurrent signed mentions with 200, none throttled', async () => {
    const sent = await Promise.all(Array.from({ length: 32 }, (_, i) => stack.slack.postUserMessage({ text: `burst ${i}` })));
    expect(sent.map((s) => s.status)).toEqual(Array.from({ length: 32 }, () => 200));
    await stack.waitForIdle();
    const attempts = sent
      .flatMap((s) => stack.trace.forEvent(s.eventId as string))
      .filter((e): e is InvocationTrace => e.kind === 'invocation' && e.functionName === stack.functions.verification.name);
    expect(attempts).toHaveLength(32);
    expect(attempts.filter((a) => a.outcome !== 'success')).toEqual([]);
    expect(new Set(attempts.map((a) => a.containerId)).size).toBeLessThanOrEqual(DEFAULT_MAX_CONTAINERS);
  });
});

describe('reserved concurrency and the container cap', () => {
  let stack: LocalStack;
  let lambda: LambdaClient;

  beforeAll(async () => {
    stack = await startTestStack({
      functions: {
        verification: { bundlePath: ECHO, maxContainers: 2 },
        execution: { bundlePath: ECHO, reservedConcurrency: 1 },
      },
    });
    // One attempt: the SDK retries throttling by itself, and this test looks at the throttle.
    lambda = new LambdaClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('developer'), maxAttempts: 1 });
  });

  afterAll(async () => {
    lambda?.destroy();
    await stack?.stop();
  });

  it('makes requests beyond the container cap of an unreserved function wait for a container instead of answering 429', async () => {
    const seqBefore = stack.trace.entries().length;
    const first = post(stack.urls.slackEvents, { sleepMs: 300 }, 'cap-0');
    await untilRunning(stack, stack.functions.verification.name, 'cap-0');
    const responses = await Promise.all([first, ...Array.from({ length: 7 }, (_, i) => post(stack.urls.slackEvents, { sleepMs: 50 }, `cap-${i + 1}`))]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    // Eight invocations, all successful, on at most two containers: the other six waited for one.
    const attempts = stack.trace
      .entries()
      .slice(seqBefore)
      .filter((e): e is InvocationTrace => e.kind === 'invocation' && e.functionName === stack.functions.verification.name);
    expect(attempts.map((a) => a.outcome)).toEqual(Array.from({ length: 8 }, () => 'success'));
    expect(new Set(attempts.map((a) => a.containerId)).size).toBeLessThanOrEqual(2);
  });

  it('answers a second concurrent synchronous Invoke of a function with reserved concurrency 1 with TooManyRequestsException', async () => {
    const invoke = (marker: string, sleepMs: number) =>
      lambda.send(new InvokeCommand({ FunctionName: stack.functions.execution.name, Payload: Buffer.from(JSON.stringify({ marker, command: { sleepMs } })) }));
    const first = invoke('reserved-sync-1', 500);
    await untilRunning(stack, stack.functions.execution.name, 'reserved-sync-1');
    await expect(invoke('reserved-sync-2', 0)).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
      $metadata: { httpStatusCode: 429 },
    });
    expect((await first).StatusCode).toBe(200);
  });

  it('answers a second concurrent request to a Function URL of a function with reserved concurrency 1 with Lambda\'s 429', async () => {
    await stack.functions.verification.updateConfiguration({ reservedConcurrency: 1 });
    try {
      const first = post(stack.urls.slackEvents, { sleepMs: 500 }, 'url-reserved-1');
      await untilRunning(stack, stack.functions.verification.name, 'url-reserved-1');
      const second = await post(stack.urls.slackEvents, {}, 'url-reserved-2');
      expect(second.status).toBe(429);
      expect(second.headers['content-type']).toBe('application/json');
      expect(second.headers['x-amzn-errortype']).toBe('ThrottlingException');
      expect(second.body).toBe('{"message":"Rate Exceeded."}');
      expect((await first).status).toBe(200);
      // The throttled request never reached the function.
      expect(stack.logs.events({ functionName: stack.functions.verification.name }).filter((l) => JSON.stringify(l['event']).includes('url-reserved-2'))).toEqual([]);
    } finally {
      await stack.functions.verification.updateConfiguration({ reservedConcurrency: undefined });
    }
  });

  it('keeps asynchronous events beyond the reserved concurrency until there is room: none throttled, none dead-lettered', async () => {
    const sends = [1, 2, 3].map((n) =>
      lambda.send(
        new InvokeCommand({ FunctionName: stack.functions.execution.name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ event_id: `EvRES${n}`, command: { sleepMs: 100 } })) }),
      ),
    );
    expect((await Promise.all(sends)).map((o) => o.StatusCode)).toEqual([202, 202, 202]);
    await stack.waitForIdle();
    const attempts = [1, 2, 3].flatMap((n) => stack.trace.forEvent(`EvRES${n}`)).filter((e): e is InvocationTrace => e.kind === 'invocation');
    expect(attempts.map((a) => a.outcome)).toEqual(['success', 'success', 'success']);
    expect(stack.deadLetters.list().filter((r) => /^EvRES/.test(JSON.stringify(r.requestPayload)))).toEqual([]);
  });
});
