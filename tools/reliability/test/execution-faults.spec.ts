import { SLACK_IDS } from '@slack-ai-app/local-stack';
import { callsInThread, deadLettersOf, logEvents } from '../src/expect-helpers';
import { invokeExecutionAsync, newExecutionRequest, postToExecutionApi } from '../src/execution-clients';
import { startHarness, type Harness } from '../src/harness';
import { expectedAnswerLine } from '../src/load';
import { faultScenario } from '../src/scenario';
import { timeOutOnce } from '../src/timeout-once';

/**
 * Faults inside and around the execution layer once the hand-off has succeeded: the handler failing (and Lambda's
 * async retries re-running it), duplicate deliveries racing each other, Bedrock throttling, the Slack Web API
 * answering 429 or 5xx, and DynamoDB (the idempotency store) being unavailable. Lambda's async retries run with the
 * local stack's scaled-down delays (200 ms, 400 ms), then the event goes to the dead-letter store.
 */

const SUITE = 'execution-faults';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(SUITE, { prewarm: true });
});
afterAll(async () => {
  await harness?.stop();
});

/** The user message of the error catalogue for persistent Bedrock throttling (apps/execution-lambda/README.md). */
const THROTTLED_MESSAGE =
  ':hourglass_flowing_sand: I’m getting more requests than I can handle right now, so I couldn’t answer this one. Please try again in a minute.';

/** Sends a question through Slack and checks the ack. */
async function ask(question: string) {
  const sent = await harness.mention(question);
  expect(sent.status).toBe(200);
  return { ...sent, eventId: sent.eventId as string };
}

/** Checks that a thread holds exactly one reply, the model's answer to `question`. */
function expectOneAnswer(threadTs: string | undefined, question: string): void {
  const replies = harness.replies(threadTs);
  expect(replies.map((r) => r.text.split('\n')[0])).toEqual([expectedAnswerLine(question)]);
}

describe('the API answers 202, then the execution handler fails', () => {
  for (const [label, mode] of [
    ['throws twice', 'error'],
    ['crashes its runtime twice', 'crash'],
  ] as const) {
    faultScenario(SUITE, `${label}: Lambda's async retries re-run it, one reply`, () => harness, async () => {
      const { stack } = harness;
      stack.faults.set('executionFunction', mode === 'error' ? { mode, errorType: 'InjectedError', times: 2 } : { mode, times: 2 });
      const question = `the handler ${label}`;

      const sent = await ask(question);
      await harness.settle();

      expectOneAnswer(sent.threadTs, question);
      const attempts = harness.attempts(sent.eventId, 'execution');
      expect(attempts.map((a) => [a.source, a.attempt, a.outcome])).toEqual([
        ['execute_api', 1, 'error'],
        ['execute_api', 2, 'error'],
        ['execute_api', 3, 'success'],
      ]);
      expect(new Set(attempts.map((a) => a.requestId)).size).toBe(1);
      expect(deadLettersOf(stack, sent.eventId)).toHaveLength(0);
    });
  }

  faultScenario(SUITE, 'times out once: the retry runs it again, one reply', () => harness, async () => {
    const { stack } = harness;
    const execution = stack.functions.execution;
    const timeoutSeconds = execution.configuration.timeoutSeconds;
    // The first attempt runs with a 1 s timeout; the retry gets the normal one back.
    const { restored } = await timeOutOnce(stack, 1);
    stack.faults.set('executionFunction', { mode: 'timeout', times: 1 });
    const question = 'the handler times out once';

    const sent = await ask(question);
    await restored;
    await harness.settle();

    expectOneAnswer(sent.threadTs, question);
    expect(harness.attempts(sent.eventId, 'execution').map((a) => [a.attempt, a.outcome, a.errorType])).toEqual([
      [1, 'error', 'Sandbox.Timedout'],
      [2, 'success', undefined],
    ]);
    expect(execution.configuration.timeoutSeconds).toBe(timeoutSeconds);
  });

  faultScenario(SUITE, 'fails after starting the work (Bedrock 5xx): the guard is released, the retry answers once', () => harness, async () => {
    const { stack } = harness;
    // The SDK makes BEDROCK_MAX_ATTEMPTS (default 5) attempts per Converse call: 5 failures fail the first
    // invocation, the retry then succeeds.
    stack.faults.set('bedrock', { mode: 'status', status: 500, times: 5 });
    const question = 'Bedrock fails during the first attempt';

    const sent = await ask(question);
    await harness.settle();

    expectOneAnswer(sent.threadTs, question);
    expect(harness.attempts(sent.eventId, 'execution').map((a) => a.outcome)).toEqual(['error', 'success']);
    expect(logEvents(stack, sent.eventId, 'bedrock_error')).toHaveLength(1);
    expect(logEvents(stack, sent.eventId, 'processing_started')).toHaveLength(2);
  });

  faultScenario(
    SUITE,
    'never succeeds: the event is in the dead-letter store with its payload intact, and a redrive answers once',
    () => harness,
    async () => {
      const { stack } = harness;
      stack.faults.set('executionFunction', { mode: 'error', errorType: 'InjectedError', errorMessage: 'always failing' });
      const question = 'the handler never succeeds';

      const sent = await ask(question);
      await harness.settle();

      expect(harness.replies(sent.threadTs)).toHaveLength(0);
      const [record, ...others] = deadLettersOf(stack, sent.eventId);
      expect(others).toHaveLength(0);
      expect(record?.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
      expect(record?.responsePayload).toMatchObject({ errorType: 'InjectedError', errorMessage: 'always failing' });
      // The payload is the very ExecutionApiEvent the gateway built from the verification function's request.
      expect(record?.requestPayload).toEqual({
        kind: 'execution_api_request',
        requestId: expect.any(String),
        correlationId: expect.any(String),
        identity: expect.objectContaining({ userArn: stack.credentials.principals.verification.callerArn }),
        body: {
          channel: SLACK_IDS.channelId,
          text: question,
          user_id: SLACK_IDS.userId,
          team_id: SLACK_IDS.teamId,
          event_id: sent.eventId,
          correlation_id: expect.any(String),
          message_ts: sent.ts,
        },
      });

      stack.faults.clear();
      expect(await invokeExecutionAsync(stack, record?.requestPayload)).toBe(202);
      await harness.settle();
      expectOneAnswer(sent.threadTs, question);
    },
  );
});

describe('duplicate deliveries race each other', () => {
  faultScenario(SUITE, 'the same event 3× through the API and 3× by direct invoke at once: one reply', () => harness, async () => {
    const { stack } = harness;
    const question = 'six concurrent deliveries of one event';
    const request = newExecutionRequest(stack, question, stack.slack.nextEventId());

    const answers = await Promise.all([
      ...Array.from({ length: 3 }, () => postToExecutionApi(stack, request).then((r) => r.status)),
      ...Array.from({ length: 3 }, () => invokeExecutionAsync(stack, request)),
    ]);
    expect(answers).toEqual([202, 202, 202, 202, 202, 202]);
    await harness.settle();

    expectOneAnswer(request.message_ts, question);
    // Copies that kept finding the event in progress exhaust their retries: safe to redrive, the guard still applies.
    const parked = deadLettersOf(stack, request.event_id);
    for (const record of parked) expect(await invokeExecutionAsync(stack, record.requestPayload)).toBe(202);
    await harness.settle();
    expectOneAnswer(request.message_ts, question);
    expect(logEvents(stack, request.event_id, 'slack_post_success')).toHaveLength(1);
    return { duplicateDelivery: answers.length - 1 };
  });
});

describe('Bedrock throttling', () => {
  faultScenario(SUITE, 'throttles twice and then succeeds: the reply is the correct answer', () => harness, async () => {
    const { stack } = harness;
    stack.faults.set('bedrock', { mode: 'status', status: 429, times: 2 });
    const question = 'Bedrock throttles twice';

    const sent = await ask(question);
    await harness.settle();

    expect(harness.replies(sent.threadTs).map((r) => r.text)).toEqual([`${expectedAnswerLine(question)}\nThis is the start of the conversation.`]);
    expect(harness.attempts(sent.eventId, 'execution')).toHaveLength(1);
  });

  faultScenario(SUITE, 'throttles persistently: the user gets the friendly throttling message, once', () => harness, async () => {
    const { stack } = harness;
    stack.faults.set('bedrock', { mode: 'status', status: 429 });
    const question = 'Bedrock throttles every call';

    const sent = await ask(question);
    await harness.settle();

    expect(harness.replies(sent.threadTs).map((r) => r.text)).toEqual([THROTTLED_MESSAGE]);
    expect(logEvents(stack, sent.eventId, 'bedrock_throttled')).toHaveLength(1);
    expect(harness.attempts(sent.eventId, 'execution').map((a) => a.outcome)).toEqual(['success']);
    expect(deadLettersOf(stack, sent.eventId)).toHaveLength(0);
  });
});

describe('the Slack Web API fails', () => {
  faultScenario(SUITE, 'answers 429 with Retry-After: the client waits, then posts once', () => harness, async () => {
    const { stack } = harness;
    const retryAfterSeconds = 1;
    stack.faults.set('slack', { mode: 'status', status: 429, retryAfterSeconds, methods: ['chat.postMessage'], times: 1 });
    const question = 'Slack rate-limits the reply';

    const sent = await ask(question);
    await harness.settle();

    expectOneAnswer(sent.threadTs, question);
    const posts = callsInThread(stack, 'chat.postMessage', sent.threadTs);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    // A lower bound only, not a timing assertion: the wait cannot be shorter than Retry-After (less 10 ms of timer
    // granularity), and a slow machine only makes it longer.
    const waited = (posts[1]?.at.getTime() ?? 0) - (posts[0]?.at.getTime() ?? 0);
    expect(waited).toBeGreaterThanOrEqual(retryAfterSeconds * 1000 - 10);
    expect(harness.attempts(sent.eventId, 'execution')).toHaveLength(1);
  });

  faultScenario(SUITE, 'answers 5xx past the client retries: the Lambda retry keeps the event, one reply', () => harness, async () => {
    const { stack } = harness;
    // The Slack client retries twice (3 requests): 3 failures fail the first invocation.
    stack.faults.set('slack', { mode: 'status', status: 503, methods: ['chat.postMessage'], times: 3 });
    const question = 'Slack fails the first invocation';

    const sent = await ask(question);
    await harness.settle();

    expectOneAnswer(sent.threadTs, question);
    expect(callsInThread(stack, 'chat.postMessage', sent.threadTs).map((c) => c.status)).toEqual([503, 503, 503, 200]);
    expect(harness.attempts(sent.eventId, 'execution').map((a) => a.outcome)).toEqual(['error', 'success']);
  });

  faultScenario(SUITE, 'answers 5xx persistently: the event is kept in the dead-letter store, and answered once Slack is back', () => harness, async () => {
    const { stack } = harness;
    stack.faults.set('slack', { mode: 'status', status: 500, methods: ['chat.postMessage'] });
    const question = 'Slack fails every post';

    const sent = await ask(question);
    await harness.settle();

    expect(harness.replies(sent.threadTs)).toHaveLength(0);
    const [record] = deadLettersOf(stack, sent.eventId);
    expect(record?.requestPayload).toMatchObject({ kind: 'execution_api_request', body: { event_id: sent.eventId, text: question, message_ts: sent.ts } });

    stack.faults.clear();
    expect(await invokeExecutionAsync(stack, record?.requestPayload)).toBe(202);
    await harness.settle();
    expectOneAnswer(sent.threadTs, question);
  });
});

describe('DynamoDB (the idempotency store) is unavailable', () => {
  faultScenario(SUITE, 'briefly: the first invocation fails, the retry answers once', () => harness, async () => {
    const { stack } = harness;
    // The DynamoDB client makes 3 attempts: 3 dropped connections fail the first invocation's guard.
    stack.faults.set('dynamodb', { mode: 'down', times: 3 });
    const question = 'DynamoDB drops three requests';

    const sent = await ask(question);
    await harness.settle();

    expectOneAnswer(sent.threadTs, question);
    expect(harness.attempts(sent.eventId, 'execution').map((a) => a.outcome)).toEqual(['error', 'success']);
  });

  faultScenario(
    SUITE,
    'for the whole retry window: the event is not dropped (dead-letter store), and no duplicate reply when it comes back',
    () => harness,
    async () => {
      const { stack } = harness;
      stack.faults.set('dynamodb', { mode: 'status', status: 500 });
      const question = 'DynamoDB is down for every attempt';

      const sent = await ask(question);
      await harness.settle();

      // Never processed without the guard: no reply, no model call, and the event is kept.
      expect(harness.replies(sent.threadTs)).toHaveLength(0);
      expect(logEvents(stack, sent.eventId, 'bedrock_invocation_success')).toHaveLength(0);
      const [record, ...others] = deadLettersOf(stack, sent.eventId);
      expect(others).toHaveLength(0);
      expect(record?.requestContext.approximateInvokeCount).toBe(3);

      // DynamoDB comes back: the redrive answers; a second redrive and a late Slack retry do not answer again.
      stack.faults.clear();
      expect(await invokeExecutionAsync(stack, record?.requestPayload)).toBe(202);
      await harness.settle();
      expectOneAnswer(sent.threadTs, question);
      expect(await invokeExecutionAsync(stack, record?.requestPayload)).toBe(202);
      const late = await stack.slack.deliver(sent.envelope as Record<string, unknown>, { retryNum: 1, retryReason: 'http_timeout' });
      expect(late.status).toBe(200);
      await harness.settle();
      expectOneAnswer(sent.threadTs, question);
      expect(logEvents(stack, sent.eventId, 'duplicate_event_skipped')).toHaveLength(2);
    },
  );
});
