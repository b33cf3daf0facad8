import type { DeliveryResult, SlackStandIn, UserMessageInput } from './stand-in';

/**
 * Slack's redelivery of an event whose delivery failed. Slack retries a failed delivery (any answer that is not a 2xx
 * is `http_error`; also a timeout after 3 s, a connection failure) up to three times, nearly at once, then after about
 * 1 and 5 minutes, with `X-Slack-Retry-Num: 1, 2, 3` and `X-Slack-Retry-Reason` (Events API, "Retries":
 * https://docs.slack.dev/apis/events-api/#retries, formerly https://api.slack.com/apis/connections/events-api#retries).
 * The stand-in's own {@link SlackStandIn.postUserMessage} delivers once; this is the whole of Slack's side. The real
 * waits are not kept locally: nothing here depends on them.
 */

/** Slack's retries after the first delivery. */
export const SLACK_MAX_RETRIES = 3;

/** Every delivery of one event, first to last. */
export interface SlackDeliveries {
  /** The first delivery (with the message's ts, thread and event id). */
  readonly first: DeliveryResult;
  /** The retries that were needed (empty when the first answer was a 2xx). */
  readonly retries: readonly DeliveryResult[];
  /** The last answer's status: a 2xx unless every retry failed too. */
  readonly finalStatus: number;
}

/** Slack counts any 2xx as an acknowledgement. */
export function isSlackAck(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * Posts a user message (as {@link SlackStandIn.postUserMessage}) and delivers its event as Slack does: redelivered
 * with `X-Slack-Retry-Num` and `X-Slack-Retry-Reason: http_error` while the answer is not a 2xx, at most
 * {@link SLACK_MAX_RETRIES} times.
 *
 * @param slack - the Slack stand-in
 * @param input - the message
 * @returns every delivery of the event
 */
export async function postUserMessageLikeSlack(slack: SlackStandIn, input: UserMessageInput): Promise<SlackDeliveries> {
  const first = await slack.postUserMessage(input);
  const retries: DeliveryResult[] = [];
  let last = first;
  for (let retryNum = 1; retryNum <= SLACK_MAX_RETRIES && !isSlackAck(last.status); retryNum += 1) {
    // The same envelope, signed anew (Slack signs each delivery with its own timestamp).
    if (first.envelope === undefined) throw new Error('the Slack stand-in returned no envelope to redeliver');
    last = await slack.deliver(first.envelope, { retryNum, retryReason: 'http_error' });
    retries.push(last);
  }
  return { first, retries, finalStatus: last.status };
}
