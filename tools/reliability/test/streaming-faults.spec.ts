import { callsInThread, logEvents } from '../src/expect-helpers';
import { startHarness, type Harness } from '../src/harness';
import { expectedAnswerLine } from '../src/load';
import { faultScenario } from '../src/scenario';
import { timeOutOnce } from '../src/timeout-once';

/**
 * Streamed answers (issue 16) under faults: Slack rate-limiting `chat.appendStream`, the model stream breaking in the
 * middle, and the container killed in the middle of a stream followed by Lambda's async retry. Each must end with
 * exactly one message in the thread, holding the whole answer or a clear notice: never two, never silence.
 */

const SUITE = 'streaming-faults';
/** 150 tokens of 4 characters at 100 tokens/s: a 1.5 s stream of 600 characters. */
const STREAM = { ttftMs: 50, tokensPerSecond: 100, answerTokens: 150 } as const;
const ANSWER_LENGTH = 600;
/** The notice that ends an interrupted stream (apps/execution-lambda `STREAM_INTERRUPTED_NOTICE`). */
const NOTICE = '\n\n:warning: _My answer stopped here because of a problem on our side. Please ask again._';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(SUITE, { prewarm: true, functions: { execution: { environment: { SLACK_STREAMING: 'true' } } } });
});
afterAll(async () => {
  await harness?.stop();
});
beforeEach(() => {
  harness.stack.modelStream = STREAM;
});

async function ask(question: string) {
  const sent = await harness.mention(question);
  expect(sent.status).toBe(200);
  return { ...sent, eventId: sent.eventId as string };
}

/** The thread holds one message: a stopped stream with the whole answer to `question`. */
function expectOneWholeAnswer(threadTs: string | undefined, question: string): void {
  const replies = harness.replies(threadTs);
  expect(replies).toHaveLength(1);
  expect(replies[0]?.stream).toBe('stopped');
  expect(replies[0]?.text.split('\n')[0]).toBe(expectedAnswerLine(question));
  expect(replies[0]?.text).toHaveLength(ANSWER_LENGTH);
}

describe('streamed answers under faults', () => {
  faultScenario(SUITE, 'appendStream rate-limited (429, Retry-After: 1): the client waits, the stream ends whole, one message', () => harness, async () => {
    const { stack } = harness;
    stack.faults.set('slack', { mode: 'status', status: 429, retryAfterSeconds: 1, methods: ['chat.appendStream'], times: 1 });
    const question = 'appendStream is rate limited';

    const sent = await ask(question);
    await harness.settle();

    expectOneWholeAnswer(sent.threadTs, question);
    expect(callsInThread(stack, 'chat.startStream', sent.threadTs)).toHaveLength(1);
    expect(stack.slack.calls({ method: 'chat.appendStream' }).filter((c) => c.status === 429)).toHaveLength(1);
    expect(logEvents(stack, sent.eventId, 'slack_rate_limited')[0]).toMatchObject({ method: 'chat.appendStream', retry_after_seconds: 1 });
    expect(harness.attempts(sent.eventId, 'execution').map((a) => a.outcome)).toEqual(['success']);
  });

  faultScenario(SUITE, 'the model stream breaks in the middle: the message ends with a clear notice, one message, ⚠️', () => harness, async () => {
    const { stack } = harness;
    stack.faults.set('bedrock', { mode: 'break', afterTokens: 60, times: 1 });
    const question = 'the model stream breaks';

    const sent = await ask(question);
    await harness.settle();

    const replies = harness.replies(sent.threadTs);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.stream).toBe('stopped');
    expect(replies[0]?.text.split('\n')[0]).toBe(expectedAnswerLine(question));
    expect(replies[0]?.text.endsWith(NOTICE)).toBe(true);
    // The 60 tokens the model wrote before the break, then the notice.
    expect(replies[0]?.text).toHaveLength(60 * 4 + NOTICE.length);
    expect(logEvents(stack, sent.eventId, 'slack_stream_interrupted')[0]).toMatchObject({ cause: 'bedrock_error', ended: true });
    const reactions = stack.slack.calls().filter((c) => c.method.startsWith('reactions.') && c.params['timestamp'] === sent.ts);
    expect(reactions.map((c) => [c.method, c.params['name']])).toEqual([
      ['reactions.add', 'eyes'],
      ['reactions.remove', 'eyes'],
      ['reactions.add', 'warning'],
    ]);
    expect(harness.attempts(sent.eventId, 'execution').map((a) => a.outcome)).toEqual(['success']);
  });

  faultScenario(SUITE, 'the container is killed mid-stream, then the async retry replaces that message with the whole answer', () => harness, async () => {
    const { stack } = harness;
    // The first attempt runs with a 12 s timeout (10 s are kept back from the model for posting: its budget is 2 s);
    // its appends hang (each Slack request gives up after 8 s), so the function's timeout kills it mid-stream. When it
    // times out, the fault is cleared and the normal timeout restored before the retry starts.
    const { restored } = await timeOutOnce(stack, 12, () => stack.faults.clear('slack'));
    stack.faults.set('slack', { mode: 'hang', methods: ['chat.appendStream'] });
    const question = 'the container dies mid-stream';

    const sent = await ask(question);
    await restored;
    await harness.settle();

    expectOneWholeAnswer(sent.threadTs, question);
    expect(callsInThread(stack, 'chat.startStream', sent.threadTs)).toHaveLength(1);
    expect(stack.slack.calls({ method: 'chat.update' }).filter((c) => c.status === 200)).toHaveLength(1);
    expect(harness.attempts(sent.eventId, 'execution').map((a) => [a.attempt, a.outcome, a.errorType])).toEqual([
      [1, 'error', 'Sandbox.Timedout'],
      [2, 'success', undefined],
    ]);
    expect(logEvents(stack, sent.eventId, 'slack_stream_resumed')).toHaveLength(1);
  });
});
