/**
 * The local stack's CloudWatch metrics: data points from the functions' EMF log lines and from the local API Gateway,
 * and the statistics `GetMetricData` answers over them.
 *
 * Sources:
 * - EMF: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *   (`_aws.CloudWatchMetrics[].{Namespace, Dimensions: string[][], Metrics: [{Name, Unit}]}`; values and dimension values
 *   are top-level members; each dimension set is a metric of its own).
 * - API Gateway: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 *   (`AWS/ApiGateway`, `Count`, `4XXError`, `5XXError` whose Average is the error rate, `Latency`, `IntegrationLatency`,
 *   by `ApiName` and `Stage`).
 * - GetMetricData: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html and
 *   API_MetricDataResult.html (one value per period that has data; `Timestamps[x]` is `Values[x]`; `ScanBy` defaults to
 *   `TimestampDescending`).
 */
import { API_GATEWAY_DIMENSIONS, API_GATEWAY_NAMESPACE, ApiGatewayMetric } from '@slack-ai-app/stack-contract';

/** The namespace of API Gateway's own metrics (defined in stack-contract). */
export { API_GATEWAY_NAMESPACE };

/** One data point. */
export interface MetricDatum {
  readonly namespace: string;
  readonly name: string;
  /** Dimension name to value; the metric's identity is namespace, name and this exact set. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timestamp: Date;
  readonly value: number;
}

/** A `MetricStat` query, as `GetMetricData` receives it. */
export interface MetricStatQuery {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Seconds; a multiple of 60, or 1, 5, 10, 20, 30 (high resolution). */
  readonly period: number;
  /** `Sum`, `Average`, `SampleCount`, `Minimum`, `Maximum` or `pNN` / `pNN.N`. */
  readonly stat: string;
}

/** One query's answer. */
export interface MetricStatResult {
  readonly id: string;
  readonly timestamps: Date[];
  readonly values: number[];
}

/** A query the local stack cannot answer (CloudWatch would answer `InvalidParameterValue`). */
export class MetricQueryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MetricQueryError';
  }
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?)$/;
const STATS = new Set(['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum']);
const HIGH_RESOLUTION_PERIODS = new Set([1, 5, 10, 20, 30]);

/**
 * A statistic over a period's values.
 *
 * @param values - at least one value
 * @param stat - the statistic; percentiles use the nearest rank
 * @throws MetricQueryError for a statistic CloudWatch does not know
 */
export function statistic(values: readonly number[], stat: string): number {
  if (stat === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (stat === 'SampleCount') return values.length;
  if (stat === 'Average') return values.reduce((a, b) => a + b, 0) / values.length;
  if (stat === 'Minimum') return Math.min(...values);
  if (stat === 'Maximum') return Math.max(...values);
  const percentile = PERCENTILE.exec(stat);
  if (percentile === null) throw new MetricQueryError(`The statistic ${stat} is not one of ${[...STATS].join(', ')} or pNN.`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Number(percentile[1]) / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * The data points an EMF document carries; an object that is not EMF gives none.
 *
 * @param document - one JSON log line
 * @returns its data points, timestamped by `_aws.Timestamp`
 */
export function emfDatums(document: Readonly<Record<string, unknown>>): MetricDatum[] {
  const aws = document['_aws'] as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (aws === undefined || typeof aws !== 'object' || !Array.isArray(aws.CloudWatchMetrics) || typeof aws.Timestamp !== 'number') return [];
  const timestamp = new Date(aws.Timestamp);
  const datums: MetricDatum[] = [];
  for (const directive of aws.CloudWatchMetrics as Array<{ Namespace?: unknown; Dimensions?: unknown; Metrics?: unknown }>) {
    if (typeof directive?.Namespace !== 'string' || !Array.isArray(directive.Metrics)) continue;
    const sets = Array.isArray(directive.Dimensions) && directive.Dimensions.length > 0 ? (directive.Dimensions as unknown[]) : [[]];
    for (const set of sets) {
      if (!Array.isArray(set)) continue;
      const dimensions: Record<string, string> = {};
      for (const key of set) if (typeof key === 'string' && typeof document[key] === 'string') dimensions[key] = document[key] as string;
      for (const metric of directive.Metrics as Array<{ Name?: unknown }>) {
        const name = metric?.Name;
        const raw = typeof name === 'string' ? document[name] : undefined;
        // A member may hold an array of values (the specification allows up to 100).
        for (const value of Array.isArray(raw) ? raw : [raw]) {
          if (typeof name === 'string' && typeof value === 'number' && Number.isFinite(value)) datums.push({ namespace: directive.Namespace, name, dimensions, timestamp, value });
        }
      }
    }
  }
  return datums;
}

/** One request API Gateway answered. */
export interface GatewayRequestRecord {
  readonly apiName: string;
  readonly stage: string;
  readonly status: number;
  readonly latencyMs: number;
  /** Undefined when the request never reached the integration. */
  readonly integrationLatencyMs: number | undefined;
  readonly at: Date;
}

/**
 * The `AWS/ApiGateway` data points of one request: `Count` 1, `4XXError` and `5XXError` 0 or 1 (so their Average is the
 * error rate), `Latency`, and `IntegrationLatency` when the integration ran.
 */
export function apiGatewayDatums(request: GatewayRequestRecord): MetricDatum[] {
  const dimensions = { [API_GATEWAY_DIMENSIONS.apiName]: request.apiName, [API_GATEWAY_DIMENSIONS.stage]: request.stage };
  const datum = (name: string, value: number): MetricDatum => ({ namespace: API_GATEWAY_NAMESPACE, name, dimensions, timestamp: request.at, value });
  return [
    datum(ApiGatewayMetric.Count, 1),
    datum(ApiGatewayMetric.Error4xx, request.status >= 400 && request.status < 500 ? 1 : 0),
    datum(ApiGatewayMetric.Error5xx, request.status >= 500 ? 1 : 0),
    datum(ApiGatewayMetric.Latency, request.latencyMs),
    ...(request.integrationLatencyMs === undefined ? [] : [datum(ApiGatewayMetric.IntegrationLatency, request.integrationLatencyMs)]),
  ];
}

/** Keeps at most this many data points; older ones are dropped. */
const MAX_DATUMS = 500_000;

function sameDimensions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/** Every data point the local stack recorded, and `GetMetricData`'s `MetricStat` answers over them. */
export class MetricStore {
  private readonly datums: MetricDatum[] = [];

  /** Records data points. */
  put(datums: readonly MetricDatum[]): void {
    this.datums.push(...datums);
    if (this.datums.length > MAX_DATUMS) this.datums.splice(0, this.datums.length - MAX_DATUMS);
  }

  /**
   * Answers a `MetricStat` query: one value per period (counted from `start`) that has data, `[start, end)`.
   *
   * @param query - the query
   * @param start - inclusive
   * @param end - exclusive
   * @param order - `TimestampAscending` or `TimestampDescending` (CloudWatch's default)
   * @throws MetricQueryError for a period or statistic CloudWatch would refuse
   */
  query(query: MetricStatQuery, start: Date, end: Date, order: 'TimestampAscending' | 'TimestampDescending' = 'TimestampDescending'): MetricStatResult {
    if (!Number.isInteger(query.period) || query.period <= 0 || (query.period % 60 !== 0 && !HIGH_RESOLUTION_PERIODS.has(query.period))) {
      throw new MetricQueryError(`The Period of query ${query.id} must be 1, 5, 10, 20, 30 or a multiple of 60 seconds, not ${query.period}.`);
    }
    if (!STATS.has(query.stat) && !PERCENTILE.test(query.stat)) {
      throw new MetricQueryError(`The Stat of query ${query.id} must be one of ${[...STATS].join(', ')} or pNN, not ${query.stat}.`);
    }
    const periodMs = query.period * 1000;
    const buckets = new Map<number, number[]>();
    for (const datum of this.datums) {
      const t = datum.timestamp.getTime();
      if (t < start.getTime() || t >= end.getTime()) continue;
      if (datum.namespace !== query.namespace || datum.name !== query.metricName || !sameDimensions(datum.dimensions, query.dimensions)) continue;
      const bucket = start.getTime() + Math.floor((t - start.getTime()) / periodMs) * periodMs;
      const values = buckets.get(bucket);
      if (values === undefined) buckets.set(bucket, [datum.value]);
      else values.push(datum.value);
    }
    const times = [...buckets.keys()].sort((a, b) => (order === 'TimestampAscending' ? a - b : b - a));
    return { id: query.id, timestamps: times.map((t) => new Date(t)), values: times.map((t) => statistic(buckets.get(t) as number[], query.stat)) };
  }
}
