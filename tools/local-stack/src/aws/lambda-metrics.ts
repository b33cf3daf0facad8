import type { InvocationTrace } from '../trace';
import type { MetricDatum } from './metric-store';

/**
 * `AWS/Lambda` metrics of the local runtime, as Lambda publishes them (Lambda Developer Guide, "Types of metrics for
 * Lambda functions", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html):
 * - `Invocations`: every time the function code runs, successful or with a function error; not when the request is
 *   throttled. An asynchronous event that Lambda retries counts once per attempt.
 * - `Errors`: invocations that end in a function error (an exception of the code, a timeout, a runtime crash, a
 *   failed init); published with every invocation, 0 or 1, so that `Errors / Invocations` is the error rate.
 * - `Throttles`: invocation requests that were throttled (no function code ran).
 * - `Duration`: milliseconds the function code spent on the event (not the init).
 * Dimension `FunctionName` (the function's physical name).
 */

/** The namespace of Lambda's own metrics. */
export const LAMBDA_NAMESPACE = 'AWS/Lambda';

/**
 * The `AWS/Lambda` data points of one invocation attempt.
 *
 * @param attempt - the attempt, as the function traced it
 * @returns its data points, timestamped when the attempt ended
 */
export function lambdaDatums(attempt: InvocationTrace): MetricDatum[] {
  const dimensions = { FunctionName: attempt.functionName };
  const datum = (name: string, value: number): MetricDatum => ({ namespace: LAMBDA_NAMESPACE, name, dimensions, timestamp: attempt.at, value });
  if (attempt.outcome === 'throttled') return [datum('Throttles', 1)];
  const failed = attempt.outcome === 'error' ? 1 : 0;
  // A failed init ran no handler: no Duration, but the invocation and its error count.
  const ran = attempt.containerId !== undefined;
  return [datum('Invocations', 1), datum('Errors', failed), ...(ran ? [datum('Duration', attempt.durationMs)] : [])];
}
