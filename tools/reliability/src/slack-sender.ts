import type { DeliveryResult, LocalStack } from '@slack-ai-app/local-stack';

/**
 * Slack's side of delivery: an event whose ack is not a 2xx is delivered again, with `X-Slack-Retry-Num` 1, 2, 3 and
 * `X-Slack-Retry-Reason: http_error` (Slack retries three times; the real waits of about 1 and 5 minutes are not kept
 * locally, as nothing here depends on them).
 */

/** Slack's retries after the first delivery. */
export const SLACK_MAX_RETRIES = 3;

/** Every delivery of one event, first to last. */
export interface SlackDeliveries {
  readonly first: DeliveryResult;
  /** The retries that were needed (empty when the first ack was a 2xx). */
  readonly retries: readonly DeliveryResult[];
  /** The last answer's status. */
  readonly finalStatus: number;
}

/**
 * Posts a user message mentioning the bot and delivers the event as Slack does, retrying on a failed ack.
 *
 * @param stack - the local stack
 * @param text - the text after the mention
 * @param onRetry - called before each retry (e.g. to clear a fault between deliveries)
 */
export async function mentionLikeSlack(stack: LocalStack, text: string, onRetry?: (retryNum: number) => void): Promise<SlackDeliveries> {
  const first = await stack.slack.postUserMessage({ text });
  const retries: DeliveryResult[] = [];
  let last = first;
  for (let retryNum = 1; retryNum <= SLACK_MAX_RETRIES && !isAck(last.status); retryNum += 1) {
    onRetry?.(retryNum);
    if (first.envelope === undefined) throw new Error('the stand-in returned no envelope to redeliver');
    last = await stack.slack.deliver(first.envelope, { retryNum, retryReason: 'http_error' });
    retries.push(last);
  }
  return { first, retries, finalStatus: last.status };
}

/** Slack counts any 2xx as an ack. */
export function isAck(status: number): boolean {
  return status >= 200 && status < 300;
}
