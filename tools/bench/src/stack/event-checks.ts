import type { IntegrityCheck } from '../report/types';
import type { ObservedPath } from './observed-path';
import type { SentEvent } from './bench-stack';

/** What is known about one event once the stack is idle. */
export interface EventOutcome {
  readonly event: SentEvent;
  readonly observed: ObservedPath;
  /** Bot replies recorded in the event's thread. */
  readonly replies: number;
  /** Whether the first reply is the model's answer to this question (not, say, a friendly error message). */
  readonly answered: boolean;
}

/**
 * Whether an event's ack can be measured: acked 200 and handed off by the path its id was chosen for (what happens
 * after the hand-off does not change what Slack waited for; it has its own integrity check).
 *
 * @param outcome - the event and what the stack saw
 */
export function ackUsable(outcome: EventOutcome): boolean {
  return outcome.event.status === 200 && outcome.observed === outcome.event.intended;
}

/**
 * Whether an event's end-to-end time can be measured: {@link ackUsable}, and answered exactly once by the model.
 *
 * @param outcome - the event and what the stack saw
 */
export function answerUsable(outcome: EventOutcome): boolean {
  return ackUsable(outcome) && outcome.replies === 1 && outcome.answered;
}

/**
 * The integrity checks of a phase: every ack was 200, every event took its intended path (no fallback), and every
 * event got exactly one reply.
 *
 * @param phase - the phase's name, e.g. `ack`
 * @param outcomes - every event the phase sent, warm-up included
 * @returns three checks, with counts and the first offending event ids
 */
export function eventChecks(phase: string, outcomes: readonly EventOutcome[]): IntegrityCheck[] {
  const total = outcomes.length;
  const list = (items: readonly EventOutcome[], describe: (o: EventOutcome) => string) =>
    items.length === 0 ? '' : ` Offending: ${items.slice(0, 5).map(describe).join(', ')}${items.length > 5 ? ', …' : ''}.`;
  const notAcked = outcomes.filter((o) => o.event.status !== 200);
  const misrouted = outcomes.filter((o) => o.observed !== o.event.intended);
  const wrongReplies = outcomes.filter((o) => o.replies !== 1 || !o.answered);
  return [
    {
      name: `${phase}: every Slack request acked 200`,
      ok: notAcked.length === 0,
      detail: `${total - notAcked.length}/${total}.${list(notAcked, (o) => `${o.event.eventId} → ${o.event.status}${o.event.error === undefined ? '' : ` (${o.event.error})`}`)}`,
    },
    {
      name: `${phase}: every event handed off by the path its id was chosen for`,
      ok: misrouted.length === 0,
      detail: `${total - misrouted.length}/${total}.${list(misrouted, (o) => `${o.event.eventId} meant ${o.event.intended}, took ${o.observed}`)}`,
    },
    {
      name: `${phase}: every event got exactly one reply, the model's answer`,
      ok: wrongReplies.length === 0,
      detail: `${total - wrongReplies.length}/${total}.${list(wrongReplies, (o) => `${o.event.eventId}: ${o.replies} replies${o.replies > 0 && !o.answered ? ', not the answer' : ''}`)}`,
    },
  ];
}
