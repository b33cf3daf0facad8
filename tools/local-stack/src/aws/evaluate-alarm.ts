import type { AlarmStateValue } from './cloudwatch';
import { MetricQueryError, type MetricStore } from './metric-store';

/**
 * Computes a metric alarm's state from the local metrics, as CloudWatch evaluates it.
 *
 * Sources ("Using Amazon CloudWatch alarms", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html,
 * sections "Evaluating an alarm" and "Configuring how CloudWatch alarms treat missing data"; AWS::CloudWatch::Alarm,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html):
 * - the alarm looks at the most recent `EvaluationPeriods` periods of `Period` seconds; it goes to ALARM when at least
 *   `DatapointsToAlarm` (M, default N) of them breach (M out of N);
 * - `TreatMissingData`: `notBreaching` counts a missing period as good, `breaching` as bad, `ignore` keeps the current
 *   state, `missing` (the default) evaluates the periods that have data, and with none the alarm is INSUFFICIENT_DATA.
 */

/** The outcome of one evaluation: a state and its reason, or why the alarm cannot be evaluated locally. */
export type AlarmEvaluation =
  | { readonly evaluated: true; readonly state: AlarmStateValue; readonly reason: string }
  | { readonly evaluated: false; readonly why: string };

const COMPARISONS: Readonly<Record<string, (value: number, threshold: number) => boolean>> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/**
 * Evaluates an alarm's template properties (`AWS::CloudWatch::Alarm`) over the metrics.
 *
 * @param properties - the alarm's resolved properties
 * @param metrics - the local metric store
 * @param now - the evaluation time; the window is the `EvaluationPeriods` periods that end at it
 * @param current - the alarm's current state (`TreatMissingData: ignore` keeps it)
 * @param periodScale - multiplies every period (tests shrink 300 s periods to 5 s); 1 in a normal run
 */
export function evaluateAlarm(
  properties: Readonly<Record<string, unknown>>,
  metrics: MetricStore,
  now: Date,
  current: AlarmStateValue = 'INSUFFICIENT_DATA',
  periodScale = 1,
): AlarmEvaluation {
  if (properties['Metrics'] !== undefined) return { evaluated: false, why: 'metric math (Metrics with Expression) is not evaluated locally' };
  const { Namespace: namespace, MetricName: metricName, Period: rawPeriod, Threshold: rawThreshold, ComparisonOperator: operator } = properties;
  const stat = properties['ExtendedStatistic'] ?? properties['Statistic'];
  if (typeof namespace !== 'string' || typeof metricName !== 'string') return { evaluated: false, why: 'the alarm has no Namespace and MetricName' };
  if (typeof stat !== 'string') return { evaluated: false, why: 'the alarm has neither Statistic nor ExtendedStatistic' };
  const compare = typeof operator === 'string' ? COMPARISONS[operator] : undefined;
  if (compare === undefined) return { evaluated: false, why: `the ComparisonOperator ${String(operator)} is not evaluated locally (anomaly detection bands are not)` };
  const threshold = Number(rawThreshold);
  const periods = Number(properties['EvaluationPeriods']);
  const toAlarm = properties['DatapointsToAlarm'] === undefined ? periods : Number(properties['DatapointsToAlarm']);
  const period = Number(rawPeriod) * periodScale;
  if (![threshold, periods, toAlarm, period].every(Number.isFinite) || periods < 1 || toAlarm < 1 || toAlarm > periods) {
    return { evaluated: false, why: 'Threshold, Period, EvaluationPeriods or DatapointsToAlarm is missing or out of range' };
  }
  const dimensions: Record<string, string> = {};
  for (const d of (properties['Dimensions'] as Array<{ Name?: unknown; Value?: unknown }> | undefined) ?? []) dimensions[String(d.Name)] = String(d.Value);
  const start = new Date(now.getTime() - periods * period * 1000);
  let result;
  try {
    result = metrics.query({ id: 'alarm', namespace, metricName, dimensions, period, stat }, start, now, 'TimestampAscending');
  } catch (error) {
    if (error instanceof MetricQueryError) return { evaluated: false, why: error.message };
    throw error;
  }
  const treat = typeof properties['TreatMissingData'] === 'string' ? properties['TreatMissingData'] : 'missing';
  const present = result.values.length;
  const missing = periods - present;
  const breaching = result.values.filter((v) => compare(v, threshold)).length + (treat === 'breaching' ? missing : 0);
  const shown = `[${result.values.map((v) => String(v)).join(', ')}]`;
  if (breaching >= toAlarm) {
    return { evaluated: true, state: 'ALARM', reason: `Threshold Crossed: ${breaching} out of the last ${periods} datapoints ${shown} were ${operator} the threshold (${threshold}).` };
  }
  if (present === 0 && treat === 'ignore') return { evaluated: true, state: current, reason: 'No datapoints: the alarm keeps its state (TreatMissingData ignore).' };
  if (present === 0 && treat === 'missing') return { evaluated: true, state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: no datapoints in the last ${periods} periods.` };
  return { evaluated: true, state: 'OK', reason: `Threshold Crossed: ${breaching} out of the last ${periods} datapoints ${shown} were ${operator} the threshold (${threshold}); ${toAlarm} are needed to alarm.` };
}
