import type { DeadLetterRecord, LocalStack } from '@slack-ai-app/local-stack';

/**
 * Reading what the stack recorded about one Slack event: the apps' JSON log lines (bound to `event_id`), the trace of
 * what crossed each boundary, the dead letters.
 */

/**
 * The JSON log lines of one event with a given `event` name, from both functions.
 *
 * @param stack - the stack
 * @param eventId - the Slack `event_id`
 * @param name - the log event, e.g. `fallback_to_direct_invoke`
 */
export function logEvents(stack: LocalStack, eventId: string, name: string): Array<Readonly<Record<string, unknown>>> {
  return stack.logs.events({ event: name }).filter((line) => line['event_id'] === eventId);
}

/**
 * The statuses the execution API and the Lambda Invoke API answered for one event, in order.
 *
 * @param stack - the stack
 * @param eventId - the Slack `event_id`
 */
export function handoffStatuses(stack: LocalStack, eventId: string): { api: Array<number | string>; lambda: Array<number | string> } {
  const entries = stack.trace.forEvent(eventId);
  return {
    api: entries.flatMap((e) => (e.kind === 'execute_api' ? [e.status] : [])),
    lambda: entries.flatMap((e) => (e.kind === 'lambda_api' ? [e.status] : [])),
  };
}

/**
 * The dead letters of one event (its `requestPayload` is an ExecutionApiEvent, whose `body` carries the `event_id`,
 * or a direct ExecutionRequest).
 *
 * @param stack - the stack
 * @param eventId - the Slack `event_id`
 */
export function deadLettersOf(stack: LocalStack, eventId: string): DeadLetterRecord[] {
  return stack.deadLetters.list().filter((record) => {
    const payload = record.requestPayload as { event_id?: unknown; body?: { event_id?: unknown } } | null;
    return payload?.event_id === eventId || payload?.body?.event_id === eventId;
  });
}

/** The Slack Web API calls of one method made in one thread. */
export function callsInThread(stack: LocalStack, method: string, threadTs: string | undefined) {
  return stack.slack.calls({ method }).filter((call) => call.params['thread_ts'] === threadTs);
}
