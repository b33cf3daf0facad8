/**
 * Reads, from the local stack's trace of one Slack event, which hand-off path it actually took.
 */

/** What the trace says about an event's hand-off. */
export type ObservedPath = 'api' | 'direct' | 'fallback' | 'none';

/** The fields of a trace entry this module reads (structurally a subset of local-stack's `TraceEntry`). */
export interface TraceLike {
  readonly kind: string;
  readonly status?: unknown;
}

/**
 * Classifies one event's hand-off from its trace entries:
 * - `api`: the execution API answered 202 and the Lambda Invoke API was not called;
 * - `direct`: the Invoke API answered 202 and the execution API was not called;
 * - `fallback`: both were called (the API path failed and fell back to the direct invoke);
 * - `none`: neither accepted the event.
 *
 * @param entries - the trace entries of one event (`stack.trace.forEvent(eventId)`)
 */
export function observedPath(entries: readonly TraceLike[]): ObservedPath {
  const api = entries.filter((e) => e.kind === 'execute_api');
  const direct = entries.filter((e) => e.kind === 'lambda_api');
  if (api.length > 0 && direct.length > 0) return 'fallback';
  if (api.some((e) => e.status === 202)) return 'api';
  if (direct.some((e) => e.status === 202)) return 'direct';
  return 'none';
}
