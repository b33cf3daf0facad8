import type { AlarmStateValue } from './cloudwatch';
import { MetricMathError, evaluateExpression, type Series } from './metric-math';
import { MetricQueryError, type MetricStore } from './metric-store';

/**
 * Computes a metric alarm's state from the local metrics, as CloudWatch evaluates it.
 *
 * Sources ("Using Amazon CloudWatch alarms", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html,
 * sections "Evaluating an alarm" and "Configuring how CloudWatch alarms treat missing data"; AWS::CloudWatch::Alarm,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html):
 * - the alarm looks at the most recent `EvaluationPeriods` periods of `Period` seconds; it goes to ALARM when at least
 *   `DatapointsToAlarm` (M, default N) of them breach (M out of N);
 * - a metric-math alarm (`Metrics`) is judged on its one returned series (see {@link evaluateExpression});
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
  const { Threshold: rawThreshold, ComparisonOperator: operator } = properties;
  const compare = typeof operator === 'string' ? COMPARISONS[operator] : undefined;
  if (compare === undefined) return { evaluated: false, why: `the ComparisonOperator ${String(operator)} is not evaluated locally (anomaly detection bands are not)` };
  const threshold = Number(rawThreshold);
  const periods = Number(properties['EvaluationPeriods']);
  const toAlarm = properties['DatapointsToAlarm'] === undefined ? periods : Number(properties['DatapointsToAlarm']);
  if (![threshold, periods, toAlarm].every(Number.isFinite) || periods < 1 || toAlarm < 1 || toAlarm > periods) {
    return { evaluated: false, why: 'Threshold, EvaluationPeriods or DatapointsToAlarm is missing or out of range' };
  }
  let series: Series;
  try {
    series = properties['Metrics'] === undefined ? singleMetric(properties, metrics, now, periods, periodScale) : metricMath(properties['Metrics'], metrics, now, periods, periodScale);
  } catch (error) {
    if (error instanceof MetricQueryError || error instanceof MetricMathError) return { evaluated: false, why: error.message };
    throw error;
  }
  const values = series.filter((v): v is number => v !== undefined);
  const treat = typeof properties['TreatMissingData'] === 'string' ? properties['TreatMissingData'] : 'missing';
  const missing = periods - values.length;
  const breaching = values.filter((v) => compare(v, threshold)).length + (treat === 'breaching' ? missing : 0);
  const shown = `[${values.map((v) => String(v)).join(', ')}]`;
  if (breaching >= toAlarm) {
    return { evaluated: true, state: 'ALARM', reason: `Threshold Crossed: ${breaching} out of the last ${periods} datapoints ${shown} were ${operator} the threshold (${threshold}).` };
  }
  if (values.length === 0 && treat === 'ignore') return { evaluated: true, state: current, reason: 'No datapoints: the alarm keeps its state (TreatMissingData ignore).' };
  if (values.length === 0 && treat === 'missing') return { evaluated: true, state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: no datapoints in the last ${periods} periods.` };
  return { evaluated: true, state: 'OK', reason: `Threshold Crossed: ${breaching} out of the last ${periods} datapoints ${shown} were ${operator} the threshold (${threshold}); ${toAlarm} are needed to alarm.` };
}

interface Stat {
  readonly Metric?: { readonly Namespace?: unknown; readonly MetricName?: unknown; readonly Dimensions?: unknown };
  readonly Period?: unknown;
  readonly Stat?: unknown;
}

/** One value per period of the N periods that end at `now` (`undefined` where a period has no data). */
function periodSeries(metrics: MetricStore, stat: Stat, now: Date, periods: number, periodScale: number): Series {
  const { Namespace: namespace, MetricName: metricName } = stat.Metric ?? {};
  if (typeof namespace !== 'string' || typeof metricName !== 'string') throw new MetricMathError('the alarm names no Namespace and MetricName');
  if (typeof stat.Stat !== 'string') throw new MetricMathError('the alarm has neither Statistic nor ExtendedStatistic');
  const period = Number(stat.Period) * periodScale;
  if (!Number.isFinite(period)) throw new MetricMathError('the alarm has no Period');
  const dimensions: Record<string, string> = {};
  for (const d of (stat.Metric?.Dimensions as Array<{ Name?: unknown; Value?: unknown }> | undefined) ?? []) dimensions[String(d.Name)] = String(d.Value);
  const start = now.getTime() - periods * period * 1000;
  const result = metrics.query({ id: 'alarm', namespace, metricName, dimensions, period, stat: stat.Stat }, new Date(start), now, 'TimestampAscending');
  const series: Array<number | undefined> = Array.from({ length: periods }, () => undefined);
  result.timestamps.forEach((t, i) => {
    series[Math.round((t.getTime() - start) / (period * 1000))] = result.values[i];
  });
  return series;
}

function singleMetric(properties: Readonly<Record<string, unknown>>, metrics: MetricStore, now: Date, periods: number, periodScale: number): Series {
  const stat: Stat = {
    Metric: { Namespace: properties['Namespace'], MetricName: properties['MetricName'], Dimensions: properties['Dimensions'] },
    Period: properties['Period'],
    Stat: properties['ExtendedStatistic'] ?? properties['Statistic'],
  };
  return periodSeries(metrics, stat, now, periods, periodScale);
}

/** The series of the one `Metrics` entry with `ReturnData` true (or not false), its queries evaluated first. */
function metricMath(entries: unknown, metrics: MetricStore, now: Date, periods: number, periodScale: number): Series {
  const list = (Array.isArray(entries) ? entries : []) as Array<{ Id?: unknown; Expression?: unknown; MetricStat?: Stat; ReturnData?: unknown }>;
  const inputs: Record<string, Series> = {};
  for (const entry of list) if (entry.MetricStat !== undefined) inputs[String(entry.Id)] = periodSeries(metrics, entry.MetricStat, now, periods, periodScale);
  const returned = list.filter((e) => e.ReturnData !== false);
  const only = returned[0];
  if (returned.length !== 1 || only === undefined) throw new MetricMathError(`the alarm's Metrics must return exactly one series, not ${returned.length}`);
  if (typeof only.Expression !== 'string') return inputs[String(only.Id)] as Series;
  return evaluateExpression(only.Expression, inputs, periods);
}
