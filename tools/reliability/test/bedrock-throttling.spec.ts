import { logEvents } from '../src/expect-helpers';
import { startHarness, type Harness } from '../src/harness';
import { expectedAnswerLine } from '../src/load';
import { formatThrottlingReport, type ThrottlingRun, writeThrottlingReport } from '../src/throttling-report';

/**
 * What a throttled model does to the answer: the local model answers 429 ThrottlingException for the first N Converse
 * calls (or every call), and the execution function's SDK retries in standard mode with `BEDROCK_MAX_ATTEMPTS`
 * attempts. Outcomes and call counts are asserted (deterministic: the fault counts calls); the model time, retries and
 * backoff waits included, is only measured and written to tmp/reliability-throttling/latest.md.
 */

const SUITE = 'bedrock-throttling';
const THROTTLED_MESSAGE =
  ':hourglass_flowing_sand: I’m getting more requests than I can handle right now, so I couldn’t answer this one. Please try again in a minute.';
/** Runs per case: the backoff is jittered, so one run says little about the time. */
const RUNS = process.env['RELIABILITY_HEAVY'] === '1' ? 5 : 2;
/** The settings compared: the SDK default (3) and a longer bounded wait. */
const SETTINGS = [3, 5] as const;

let harness: Harness;
let baseEnvironment: Readonly<Record<string, string>>;
const runs: ThrottlingRun[] = [];

beforeAll(async () => {
  harness = await startHarness(SUITE);
  baseEnvironment = harness.stack.functions.execution.configuration.environment;
});
afterAll(async () => {
  if (runs.length > 0) writeThrottlingReport(formatThrottlingReport(runs, new Date()));
  await harness?.stop();
});
afterEach(() => harness.stack.faults.clear());

async function measure(maxAttempts: number, throttledCalls: number | undefined, label: string): Promise<ThrottlingRun> {
  const { stack } = harness;
  if (throttledCalls !== 0) stack.faults.set('bedrock', { mode: 'status', status: 429, ...(throttledCalls !== undefined ? { times: throttledCalls } : {}) });
  const before = stack.faults.counts().bedrock ?? 0;
  const question = `throttled ${label}`;
  const sent = await stack.slack.postUserMessage({ text: question });
  expect(sent.status).toBe(200);
  await harness.settle();
  const throttled = (stack.faults.counts().bedrock ?? 0) - before;
  const replies = harness.replies(sent.threadTs).map((reply) => reply.text.split('\n')[0]);
  const eventId = sent.eventId as string;
  const success = logEvents(stack, eventId, 'bedrock_invocation_success');
  const failure = logEvents(stack, eventId, 'bedrock_throttled');
  const outcome = success.length === 1 ? 'answer' : 'throttled_message';
  expect(replies).toEqual([outcome === 'answer' ? expectedAnswerLine(question) : THROTTLED_MESSAGE]);
  // Throttling is handled inside the one invocation (a terminal outcome), never by Lambda's async retries.
  expect(harness.attempts(eventId, 'execution').map((attempt) => attempt.outcome)).toEqual(['success']);
  const logged = (outcome === 'answer' ? success : failure)[0] as Record<string, unknown>;
  return { maxAttempts, throttledCalls, outcome, calls: throttled + (outcome === 'answer' ? 1 : 0), modelMs: Number(logged['duration_ms']) };
}

describe.each(SETTINGS)('BEDROCK_MAX_ATTEMPTS=%i', (maxAttempts) => {
  beforeAll(async () => {
    await harness.stack.functions.execution.updateConfiguration({ environment: { ...baseEnvironment, BEDROCK_MAX_ATTEMPTS: String(maxAttempts) } });
  });

  const cases: Array<number | undefined> = [0, 1, 2, 3, 4, undefined];
  it.each(cases)('a model throttled for %p calls: answered when it clears within the attempts, else the friendly message once', async (throttledCalls) => {
    for (let run = 0; run < RUNS; run += 1) {
      const measured = await measure(maxAttempts, throttledCalls, `${maxAttempts}/${throttledCalls ?? 'all'}/${run}`);
      runs.push(measured);
      const clears = throttledCalls !== undefined && throttledCalls < maxAttempts;
      expect({ outcome: measured.outcome, calls: measured.calls }).toEqual(
        clears ? { outcome: 'answer', calls: (throttledCalls as number) + 1 } : { outcome: 'throttled_message', calls: maxAttempts },
      );
    }
  });
});
