import { MetricQueryError, type MetricStatQuery, type MetricStore } from './metric-store';

/**
 * CloudWatch `GetMetricData` over AWS JSON 1.0 (timestamps as epoch seconds, as the SDK's awsJson1_0 protocol writes
 * and reads them): `MetricStat` queries only. A metric math `Expression` or a Metrics Insights query is refused with a
 * clear `InvalidParameterValue` rather than answered wrongly. Source:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html (at most 500 queries; the
 * start is inclusive, the end exclusive; `ScanBy` defaults to `TimestampDescending`; `StatusCode` `Complete`).
 */

/** The answer: the output document, or why the input was refused. */
export type GetMetricDataAnswer = { readonly ok: true; readonly output: Record<string, unknown> } | { readonly ok: false; readonly message: string };

const MAX_QUERIES = 500;

interface RawQuery {
  Id?: unknown;
  Expression?: unknown;
  Label?: unknown;
  ReturnData?: unknown;
  MetricStat?: { Metric?: { Namespace?: unknown; MetricName?: unknown; Dimensions?: unknown }; Period?: unknown; Stat?: unknown };
}

function parseQuery(raw: RawQuery, index: number): MetricStatQuery & { label: string | undefined; returnData: boolean } {
  const id = typeof raw?.Id === 'string' ? raw.Id : '';
  if (!/^[a-z][a-zA-Z0-9_]{0,254}$/.test(id)) throw new MetricQueryError(`MetricDataQueries[${index}].Id must start with a lowercase letter and hold only letters, digits and underscores.`);
  if (raw.Expression !== undefined) {
    throw new MetricQueryError(`Query ${id} uses an Expression; the local stack answers MetricStat queries only (metric math and Metrics Insights are not emulated).`);
  }
  const stat = raw.MetricStat;
  const metric = stat?.Metric;
  if (typeof metric?.Namespace !== 'string' || typeof metric.MetricName !== 'string' || typeof stat?.Period !== 'number' || typeof stat.Stat !== 'string') {
    throw new MetricQueryError(`Query ${id} needs MetricStat with Metric.Namespace, Metric.MetricName, Period and Stat.`);
  }
  const dimensions: Record<string, string> = {};
  for (const dimension of Array.isArray(metric.Dimensions) ? (metric.Dimensions as Array<{ Name?: unknown; Value?: unknown }>) : []) {
    if (typeof dimension?.Name !== 'string' || typeof dimension.Value !== 'string') throw new MetricQueryError(`Query ${id} has a dimension without a Name and a Value.`);
    dimensions[dimension.Name] = dimension.Value;
  }
  return {
    id,
    namespace: metric.Namespace,
    metricName: metric.MetricName,
    dimensions,
    period: stat.Period,
    stat: stat.Stat,
    label: typeof raw.Label === 'string' ? raw.Label : undefined,
    returnData: raw.ReturnData !== false,
  };
}

/**
 * Answers a `GetMetricData` input document from the metric store.
 *
 * @param store - the metrics
 * @param input - the parsed JSON body
 * @returns the output document, or a validation message
 */
export function getMetricData(store: MetricStore, input: Readonly<Record<string, unknown>>): GetMetricDataAnswer {
  try {
    const raw = input['MetricDataQueries'];
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_QUERIES) throw new MetricQueryError(`MetricDataQueries must hold 1 to ${MAX_QUERIES} queries.`);
    const startTime = input['StartTime'];
    const endTime = input['EndTime'];
    if (typeof startTime !== 'number' || typeof endTime !== 'number') throw new MetricQueryError('StartTime and EndTime are required.');
    if (startTime >= endTime) throw new MetricQueryError('The parameter StartTime must be less than the parameter EndTime.');
    const scanBy = input['ScanBy'] ?? 'TimestampDescending';
    if (scanBy !== 'TimestampAscending' && scanBy !== 'TimestampDescending') throw new MetricQueryError(`ScanBy must be TimestampAscending or TimestampDescending, not ${String(scanBy)}.`);
    const queries = (raw as RawQuery[]).map(parseQuery);
    const start = new Date(startTime * 1000);
    const end = new Date(endTime * 1000);
    const results = queries
      .filter((query) => query.returnData)
      .map((query) => {
        const result = store.query(query, start, end, scanBy);
        return {
          Id: query.id,
          Label: query.label ?? query.metricName,
          Timestamps: result.timestamps.map((t) => t.getTime() / 1000),
          Values: result.values,
          StatusCode: 'Complete',
        };
      });
    return { ok: true, output: { MetricDataResults: results, Messages: [] } };
  } catch (error) {
    if (error instanceof MetricQueryError) return { ok: false, message: error.message };
    throw error;
  }
}
