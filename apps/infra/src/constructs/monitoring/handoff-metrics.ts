import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Duration } from 'aws-cdk-lib';
import { EMF_NAMESPACE, FALLBACK_RATE, HANDOFF_PATH_DIMENSION, HandoffMetric, type HandoffPath } from '@slack-ai-app/logging';

/**
 * The EMF metrics the verification Lambda emits on hand-off outcomes (namespace `SlackAiApp`, one dimension `path` =
 * `api` | `direct`), from their one definition in libs/logging, which `apps/verification-lambda` emits with.
 */
export const HANDOFF_METRICS = {
  namespace: EMF_NAMESPACE,
  pathDimension: HANDOFF_PATH_DIMENSION,
  latency: HandoffMetric.Latency,
  success: HandoffMetric.Success,
  error: HandoffMetric.Error,
  failed: HandoffMetric.Failed,
  fallback: HandoffMetric.Fallback,
  authError: HandoffMetric.AuthError,
} as const;

/**
 * One of the verification Lambda's hand-off metrics.
 *
 * @param metricName - one of {@link HANDOFF_METRICS}' names
 * @param path - the `path` dimension
 * @param statistic - e.g. `Sum`, `p95`
 * @param period - the period
 * @param label - the legend label (dashboards only: a labelled metric makes an alarm a metric-math alarm)
 * @returns the metric, with exactly the dimension set the Lambda emits (`[path]`)
 */
export function handoffMetric(metricName: string, path: HandoffPath, statistic: string, period: Duration, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: HANDOFF_METRICS.namespace,
    metricName,
    dimensionsMap: { [HANDOFF_METRICS.pathDimension]: path },
    statistic,
    period,
    label,
  });
}

/**
 * The fallback rate in percent over 5 minutes: `FALLBACK_RATE`'s expression (libs/logging, the rollout gate's
 * definition) over its hand-off metrics.
 *
 * @returns the metric-math expression the alarm and the dashboard show
 */
export function fallbackRateExpression(): cloudwatch.MathExpression {
  const period = Duration.minutes(5);
  const terms: Record<string, string> = { ...FALLBACK_RATE.numerator, ...FALLBACK_RATE.denominator };
  return new cloudwatch.MathExpression({
    expression: FALLBACK_RATE.expression,
    usingMetrics: Object.fromEntries(Object.entries(terms).map(([id, metricName]) => [id, handoffMetric(metricName, FALLBACK_RATE.path, 'Sum', period)])),
    label: 'Fallback rate (%)',
    period,
  });
}
