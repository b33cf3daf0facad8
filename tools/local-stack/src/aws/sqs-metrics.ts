import type { MetricDatum } from './metric-store';
import type { LocalQueue } from './sqs';

/**
 * `AWS/SQS` metrics of the local queues, as SQS publishes them (SQS Developer Guide, "Available CloudWatch metrics for
 * Amazon SQS", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html:
 * SQS pushes its metrics to CloudWatch every minute, dimension `QueueName`):
 * - `ApproximateNumberOfMessagesVisible`: the messages available for retrieval, a gauge sampled each period;
 * - `ApproximateAgeOfOldestMessage`: seconds since the oldest non-deleted message was sent (0 for an empty queue here);
 * - `NumberOfMessagesSent`: 1 for each message added to the queue.
 */

/** The namespace of SQS's own metrics. */
export const SQS_NAMESPACE = 'AWS/SQS';

/** SQS pushes its metrics every minute. */
export const SQS_METRIC_PERIOD_SECONDS = 60;

/**
 * The gauges of one queue at one instant.
 *
 * @param queue - the queue
 * @param at - the sample time
 */
export function sqsGaugeDatums(queue: LocalQueue, at: Date): MetricDatum[] {
  const dimensions = { QueueName: queue.definition.name };
  const oldest = queue.peek()[0];
  return [
    { namespace: SQS_NAMESPACE, name: 'ApproximateNumberOfMessagesVisible', dimensions, timestamp: at, value: queue.counts().visible },
    { namespace: SQS_NAMESPACE, name: 'ApproximateAgeOfOldestMessage', dimensions, timestamp: at, value: oldest === undefined ? 0 : Math.max(0, Math.floor((at.getTime() - oldest.sentAt.getTime()) / 1000)) },
  ];
}

/**
 * Feeds the queues' metrics into a store: `NumberOfMessagesSent` as each message arrives, and the gauges now and then
 * twice per (scaled) minute, so that every period-long window an alarm looks at holds a sample, on a timer that never
 * keeps the process alive.
 *
 * @param queues - the local queues
 * @param put - where the data points go (the metric store)
 * @param now - the stack's clock
 * @param periodScale - multiplies SQS's one-minute period (the alarms' `periodScale`)
 * @returns stop: unsubscribes and clears the timer
 */
export function startQueueMetrics(queues: readonly LocalQueue[], put: (datums: MetricDatum[]) => void, now: () => Date, periodScale = 1): { sampleNow(): void; stop(): void } {
  const unsubscribe = queues.map((queue) =>
    queue.subscribe((message) => put([{ namespace: SQS_NAMESPACE, name: 'NumberOfMessagesSent', dimensions: { QueueName: queue.definition.name }, timestamp: message.sentAt, value: 1 }])),
  );
  const sampleNow = () => {
    const at = now();
    for (const queue of queues) put(sqsGaugeDatums(queue, at));
  };
  sampleNow();
  const timer = setInterval(sampleNow, (SQS_METRIC_PERIOD_SECONDS * 1000 * periodScale) / 2);
  timer.unref();
  return {
    sampleNow,
    stop: () => {
      clearInterval(timer);
      for (const off of unsubscribe) off();
    },
  };
}
