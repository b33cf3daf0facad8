/**
 * The CloudWatch metrics (EMF, namespace `SlackAiApp`) the verification layer emits on hand-off outcomes, always with
 * exactly the dimension set `[path]`. One definition for the layer that emits them (apps/verification-lambda), the
 * dashboard and alarms that show them (apps/infra) and the rollout gates that read them (tools/rollout): CloudWatch
 * matches a metric only on the exact name and dimension set, so a copy that drifts would read nothing.
 */
export const HandoffMetric = {
  /** Milliseconds, on each successful hand-off. */
  Latency: 'HandoffLatency',
  /** Count, on each successful hand-off (API 200/202, Invoke 202). */
  Success: 'HandoffSuccess',
  /** Count, on each answer of the execution API other than 200/202. */
  Error: 'HandoffError',
  /** Count, on each attempt that threw (API path) or was not accepted (direct path). */
  Failed: 'HandoffFailed',
  /** Count, on each fall back from the API path to the direct path (dimension `path` = `api`). */
  Fallback: 'HandoffFallback',
  /** Count, on each 403 answer of the execution API (dimension `path` = `api`), on the same line as `HandoffError`. */
  AuthError: 'HandoffAuthError',
} as const;

/** The name of the one dimension every hand-off metric carries. */
export const HANDOFF_PATH_DIMENSION = 'path';

/** A hand-off path: the value of the `path` dimension. */
export type HandoffPath = 'api' | 'direct';
