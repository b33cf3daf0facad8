import { isSlackAck, postUserMessageLikeSlack, type FaultSpecs, type FaultTarget, type LocalStack } from '@slack-ai-app/local-stack';
import { injectedBetween, type InjectedCounts } from './scenario';
import { seededRandom } from './seed';

/**
 * The load driver: N Slack events at a given concurrency through the whole stack, each delivered as Slack delivers
 * (retried on a failed ack), optionally with a seeded schedule of faults across the API, Lambda and Slack stand-ins;
 * then a count, per event, of the bot's replies in its thread.
 */

/** A fault the schedule may arm, and where. */
export interface ScheduledFault<T extends FaultTarget = FaultTarget> {
  readonly target: T;
  readonly spec: FaultSpecs[T];
}

/**
 * The menu the fault schedule draws from: the execution API (down, throttled, failing, hanging past the client's
 * timeout), the Lambda Invoke API (down, throttled, failing), the execution function's runtime (a thrown error, a
 * crash) and the Slack Web API's `chat.postMessage` (down, 5xx, 429 with `Retry-After`). Each is armed for one
 * request (`times: 1`).
 */
export const LOAD_FAULT_MENU: readonly ScheduledFault[] = [
  { target: 'executeApi', spec: { mode: 'status', status: 500, times: 1 } },
  { target: 'executeApi', spec: { mode: 'status', status: 429, times: 1 } },
  { target: 'executeApi', spec: { mode: 'status', status: 503, times: 1 } },
  { target: 'executeApi', spec: { mode: 'down', times: 1 } },
  { target: 'executeApi', spec: { mode: 'hang', times: 1 } },
  { target: 'lambdaApi', spec: { mode: 'status', status: 500, times: 1 } },
  { target: 'lambdaApi', spec: { mode: 'status', status: 429, times: 1 } },
  { target: 'lambdaApi', spec: { mode: 'down', times: 1 } },
  { target: 'executionFunction', spec: { mode: 'error', errorType: 'InjectedError', times: 1 } },
  { target: 'executionFunction', spec: { mode: 'crash', times: 1 } },
  { target: 'slack', spec: { mode: 'status', status: 500, methods: ['chat.postMessage'], times: 1 } },
  { target: 'slack', spec: { mode: 'status', status: 429, retryAfterSeconds: 1, methods: ['chat.postMessage'], times: 1 } },
  { target: 'slack', spec: { mode: 'down', methods: ['chat.postMessage'], times: 1 } },
];

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly events: number;
  readonly concurrency: number;
  /** Probability, per event sent, of arming one fault from the menu (0 = a clean run). */
  readonly faultRate: number;
  /** Seed of the fault schedule. */
  readonly seed: number;
  /** The menu. @default {@link LOAD_FAULT_MENU} */
  readonly menu?: readonly ScheduledFault[];
  /** Bound on the whole run settling (a bound on a hung run, not a timed assertion). */
  readonly settleTimeoutMs: number;
  /** The text of event i. @default `load event #i` */
  readonly text?: (index: number) => string;
}

/** What one event became. */
export interface EventOutcome {
  readonly index: number;
  readonly eventId: string | undefined;
  readonly threadTs: string | undefined;
  readonly question: string;
  /** The final ack status after Slack's retries. */
  readonly ackStatus: number;
  /** Slack's retries it needed. */
  readonly slackRetries: number;
  /** The bot's replies in its thread. */
  readonly replies: readonly string[];
}

/** The figures of a run. */
export interface LoadFigures {
  readonly sent: number;
  readonly acked: number;
  readonly replied: number;
  /** Replies beyond the first, summed over events. */
  readonly duplicates: number;
  /** Events with no reply. */
  readonly lost: number;
  /** Events whose single reply is not the model's answer to their question. */
  readonly wrong: number;
  readonly slackRetries: number;
  /** Faults armed by the schedule, and those actually injected, by target. */
  readonly faultsArmed: number;
  readonly injected: InjectedCounts;
  readonly faultsInjected: number;
  readonly seconds: number;
  readonly outcomes: readonly EventOutcome[];
}

/**
 * What the local model answers to a question asked at the start of a thread (its first line), escaped as the execution
 * layer escapes text for Slack (`&`, `<`, `>`).
 *
 * @param question - the text after the mention
 */
export function expectedAnswerLine(question: string): string {
  const echoed = question.trim().replace(/\s+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `(local model) You asked: "${echoed}"`;
}

/**
 * Runs the load and counts what happened.
 *
 * @param stack - a started local stack (its verification function needs `reservedConcurrency >= concurrency`)
 * @param options - events, concurrency, fault rate, seed, bound
 */
export async function runLoad(stack: LocalStack, options: LoadOptions): Promise<LoadFigures> {
  const random = seededRandom(options.seed);
  const menu = options.menu ?? LOAD_FAULT_MENU;
  const text = options.text ?? ((i: number) => `load event #${i}`);
  const started = performance.now();
  const before = stack.faults.counts();
  let faultsArmed = 0;
  const outcomes: Array<Omit<EventOutcome, 'replies'>> = [];
  let next = 0;

  const armMaybe = () => {
    if (options.faultRate <= 0 || random() >= options.faultRate) return;
    // One armed fault per target at a time (arming again would replace one not yet injected): draw again, a few times,
    // when the target drawn still holds its fault (a Lambda Invoke API fault waits for the next fallback).
    for (let draw = 0; draw < 3; draw += 1) {
      const choice = menu[Math.floor(random() * menu.length)] as ScheduledFault;
      if (stack.faults.get(choice.target) !== undefined) continue;
      stack.faults.set(choice.target, choice.spec);
      faultsArmed += 1;
      return;
    }
  };

  const worker = async () => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= options.events) return;
      armMaybe();
      const question = text(index);
      const delivered = await postUserMessageLikeSlack(stack.slack, { text: question });
      outcomes.push({
        index,
        eventId: delivered.first.eventId,
        threadTs: delivered.first.threadTs,
        question,
        ackStatus: delivered.finalStatus,
        slackRetries: delivered.retries.length,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.events) }, worker));
  await stack.waitForIdle(options.settleTimeoutMs);
  // Faults armed late may not have met a request; they must not leak into what follows.
  stack.faults.clear();
  const injected = injectedBetween(before, stack.faults.counts());

  const complete: EventOutcome[] = outcomes
    .sort((a, b) => a.index - b.index)
    .map((o) => ({ ...o, replies: o.threadTs === undefined ? [] : stack.slack.botReplies({ threadTs: o.threadTs }).map((r) => r.text) }));
  const figures = {
    sent: complete.length,
    acked: complete.filter((o) => isSlackAck(o.ackStatus)).length,
    replied: complete.filter((o) => o.replies.length > 0).length,
    duplicates: complete.reduce((sum, o) => sum + Math.max(0, o.replies.length - 1), 0),
    lost: complete.filter((o) => o.replies.length === 0).length,
    wrong: complete.filter((o) => o.replies.length === 1 && !(o.replies[0] as string).startsWith(expectedAnswerLine(o.question))).length,
    slackRetries: complete.reduce((sum, o) => sum + o.slackRetries, 0),
  };
  return {
    ...figures,
    faultsArmed,
    injected,
    faultsInjected: Object.values(injected).reduce((sum, v) => sum + (v ?? 0), 0),
    seconds: (performance.now() - started) / 1000,
    outcomes: complete,
  };
}
