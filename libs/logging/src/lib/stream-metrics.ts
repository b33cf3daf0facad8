/**
 * The CloudWatch metrics (EMF, namespace `SlackAiApp`) the execution layer emits on streamed answers, with the one
 * dimension `Service` = `execution`. Defined once here for the layer that emits them and anything that charts or
 * alarms on them.
 */
export const StreamMetric = {
  /** Milliseconds from the start of the invocation to the first text visible in the thread (`chat.startStream`). */
  TimeToFirstText: 'TimeToFirstText',
  /** Milliseconds from the start of the invocation to the end of the stream (`chat.stopStream` answered). */
  TimeToLastText: 'TimeToLastText',
  /** Count of Slack streaming calls (`startStream` + `appendStream` + `stopStream`) one answer made. */
  StreamSlackCalls: 'StreamSlackCalls',
} as const;
