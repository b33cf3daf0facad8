import type { SentEvent } from '../src/stack/bench-stack';
import { type EventOutcome, ackUsable, answerUsable, eventChecks } from '../src/stack/event-checks';

function outcome(overrides: Partial<SentEvent> = {}, rest: Partial<Omit<EventOutcome, 'event'>> = {}): EventOutcome {
  const event: SentEvent = {
    eventId: 'EvBA0000001',
    intended: 'api',
    channel: 'C1',
    threadTs: '1.000001',
    status: 200,
    ackMs: 20,
    sentAt: 0,
    ackedAt: 20,
    error: undefined,
    marker: '(benchmark question 1)',
    ...overrides,
  };
  return { event, observed: 'api', replies: 1, answered: true, ...rest };
}

describe('ackUsable', () => {
  it('keeps an event acked 200 and routed as intended, whatever happened after the hand-off', () => {
    expect(ackUsable(outcome())).toBe(true);
    expect(ackUsable(outcome({}, { replies: 0, answered: false }))).toBe(true);
  });

  it('drops a non-200 ack and an event that took another path', () => {
    expect(ackUsable(outcome({ status: 500 }))).toBe(false);
    expect(ackUsable(outcome({}, { observed: 'fallback' }))).toBe(false);
    expect(ackUsable(outcome({ intended: 'direct' }))).toBe(false);
  });
});

describe('answerUsable', () => {
  it('keeps an event acked 200, routed as intended and answered once', () => {
    expect(answerUsable(outcome())).toBe(true);
  });

  it('drops a non-200 ack, a fallback, a missing or duplicated reply, or a reply that is not the answer', () => {
    expect(answerUsable(outcome({ status: 500 }))).toBe(false);
    expect(answerUsable(outcome({}, { observed: 'fallback' }))).toBe(false);
    expect(answerUsable(outcome({}, { replies: 0 }))).toBe(false);
    expect(answerUsable(outcome({}, { replies: 2 }))).toBe(false);
    expect(answerUsable(outcome({}, { answered: false }))).toBe(false);
  });
});

describe('eventChecks', () => {
  it('passes when every event is fine', () => {
    expect(eventChecks('ack', [outcome(), outcome({ eventId: 'EvBA0000002', intended: 'direct' }, { observed: 'direct' })])).toEqual([
      { name: 'ack: every Slack request acked 200', ok: true, detail: '2/2.' },
      { name: 'ack: every event handed off by the path its id was chosen for', ok: true, detail: '2/2.' },
      { name: "ack: every event got exactly one reply, the model's answer", ok: true, detail: '2/2.' },
    ]);
  });

  it('names the offending events', () => {
    const checks = eventChecks('e2e', [
      outcome({ eventId: 'EvB1', status: 0, error: 'ECONNRESET' }, { replies: 0 }),
      outcome({ eventId: 'EvB2' }, { observed: 'fallback', replies: 2 }),
      outcome({ eventId: 'EvB3' }, { answered: false }),
    ]);
    expect(checks.map((c) => [c.ok, c.detail])).toEqual([
      [false, '2/3. Offending: EvB1 → 0 (ECONNRESET).'],
      [false, '2/3. Offending: EvB2 meant api, took fallback.'],
      [false, '0/3. Offending: EvB1: 0 replies, EvB2: 2 replies, EvB3: 1 replies, not the answer.'],
    ]);
  });
});
