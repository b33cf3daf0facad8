import { eventIdOf } from '@slack-ai-app/local-stack';
import { recordFigures } from '../src/collector';
import { startHarness, type Harness } from '../src/harness';
import { runLoad, type LoadFigures } from '../src/load';
import { heavy, seedFor } from '../src/seed';

/**
 * Load: 1,000 Slack events at concurrency 50 through the whole stack (Slack ingress, verification function, API
 * Gateway, async invoke, execution function, DynamoDB, local Bedrock, Slack Web API), delivered as Slack delivers
 * (a failed ack is retried). Then the same run with about 10 % of the events arming a random fault across the
 * execution API, the Lambda Invoke API and runtime, and the Slack Web API. Both must deliver exactly once: every
 * event acked, every thread holding exactly one reply, which is the answer to its question.
 *
 * `RELIABILITY_HEAVY=1` runs 5,000 events per run.
 */

const SUITE = 'load';
/** The clean run: the 1,000 events (5,000 with RELIABILITY_HEAVY=1). */
const EVENTS = heavy() ? 5_000 : 1_000;
/**
 * The faulty run: "the same run" as the clean one, 1,000 events (5,000 with RELIABILITY_HEAVY=1), at the same
 * concurrency, with about 10 % of the events arming a fault. About 50 s on the 2-core CI machine (see README, "Runtime").
 */
const FAULTY_EVENTS = heavy() ? 5_000 : 1_000;
const CONCURRENCY = 50;
const FAULT_RATE = 0.1;
/** Bound on one run settling (a bound on a hung run, not a timed assertion). */
const SETTLE_TIMEOUT_MS = heavy() ? 900_000 : 240_000;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(SUITE, {
    prewarm: true,
    functions: {
      // One verification container per concurrent Slack delivery, as Lambda scales a Function URL; the execution
      // function's async queue waits for a free container.
      verification: { reservedConcurrency: CONCURRENCY },
      execution: { reservedConcurrency: 8 },
    },
  });
  // Start every container before the runs. Fifty simultaneous cold starts on a 2-core machine starve the emulators'
  // event loop for seconds (real Lambda starts them on separate hosts), which would measure the machine, not the
  // delivery guarantees; cold starts are the benchmark's business.
  await Promise.all([harness.stack.functions.verification.prewarm(CONCURRENCY), harness.stack.functions.execution.prewarm(8)]);
  // A warm-up wave (not counted): each container reads the signing secret and loads its lazy clients once, as a
  // production fleet under steady load already has.
  await runLoad(harness.stack, { events: CONCURRENCY, concurrency: CONCURRENCY, faultRate: 0, seed: seedFor(0), settleTimeoutMs: SETTLE_TIMEOUT_MS, text: (i) => `warm-up #${i}` });
}, 180_000);
afterAll(async () => {
  await harness?.stop();
});

function record(label: string, figures: LoadFigures): void {
  recordFigures({
    area: 'load',
    suite: SUITE,
    label,
    counts: {
      runs: 1,
      sent: figures.sent,
      acked: figures.acked,
      replied: figures.replied,
      duplicates: figures.duplicates,
      lost: figures.lost,
      wrong: figures.wrong,
      faultsInjected: figures.faultsInjected,
      slackRetries: figures.slackRetries,
      seconds: Math.round(figures.seconds),
    },
  });
}

function expectExactlyOnce(figures: LoadFigures, events: number): void {
  expect({ sent: figures.sent, acked: figures.acked, replied: figures.replied, duplicates: figures.duplicates, lost: figures.lost, wrong: figures.wrong }).toEqual({
    sent: events,
    acked: events,
    replied: events,
    duplicates: 0,
    lost: 0,
    wrong: 0,
  });
}

it(
  `${EVENTS} Slack events at concurrency ${CONCURRENCY}: ${EVENTS} acks, ${EVENTS} replies, 0 duplicates, 0 lost`,
  async () => {
    const figures = await runLoad(harness.stack, { events: EVENTS, concurrency: CONCURRENCY, faultRate: 0, seed: seedFor(1), settleTimeoutMs: SETTLE_TIMEOUT_MS });
    record(`clean run: ${EVENTS} events, concurrency ${CONCURRENCY}`, figures);
    expectExactlyOnce(figures, EVENTS);
    expect(harness.stack.deadLetters.size).toBe(0);
  },
  SETTLE_TIMEOUT_MS + 60_000,
);

it(
  `${FAULTY_EVENTS} events with about 10 % random faults across the API, Lambda and Slack stand-ins: still exactly once`,
  async () => {
    const figures = await runLoad(harness.stack, {
      events: FAULTY_EVENTS,
      concurrency: CONCURRENCY,
      faultRate: FAULT_RATE,
      seed: seedFor(0x10ad),
      settleTimeoutMs: SETTLE_TIMEOUT_MS,
      text: (i) => `faulty load event #${i}`,
    });
    record(`faulty run: ${FAULTY_EVENTS} events, concurrency ${CONCURRENCY}, ~${FAULT_RATE * 100} % faults`, figures);
    expectExactlyOnce(figures, FAULTY_EVENTS);
    // A copy parked in the dead-letter store must be a duplicate of an event that was answered (safe to redrive).
    const answered = new Set(figures.outcomes.filter((o) => o.replies.length === 1).map((o) => o.eventId));
    for (const record of harness.stack.deadLetters.list()) expect(answered.has(eventIdOf(record.requestPayload))).toBe(true);
    // The schedule armed about 10 % and most met a request; a run that injected few would prove little.
    expect(figures.faultsArmed).toBeGreaterThan(FAULTY_EVENTS * FAULT_RATE * 0.5);
    expect(figures.faultsInjected).toBeGreaterThan(FAULTY_EVENTS * FAULT_RATE * 0.5);
  },
  SETTLE_TIMEOUT_MS + 60_000,
);
