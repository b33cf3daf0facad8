import {
  type CloudWatchClient,
  type Dimension,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { describeError, MetricsReadError } from './errors';
import {
  APP_METRIC_NAMESPACE,
  ApiGatewayMetric,
  HandoffMetric,
  type HandoffPath,
  type MetricsReader,
  type MetricsSnapshot,
  type TimeWindow,
  emptySnapshot,
} from './metrics';

/** Options of {@link CloudWatchMetricsReader}. */
export interface CloudWatchMetricsReaderOptions {
  /** The CloudWatch client (region and credentials already set). */
  readonly client: CloudWatchClient;
  /** The execution API's name, the `ApiName` dimension of `AWS/ApiGateway` metrics. */
  readonly apiName: string;
  /** The execution API's stage, the `Stage` dimension. @default 'prod' */
  readonly stage?: string;
}

type Aggregation = 'sum' | 'max';

interface QuerySpec {
  readonly id: string;
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: Dimension[];
  readonly stat: 'Sum' | 'p95' | 'SampleCount';
  readonly aggregate: Aggregation;
}

const MINUTE_MS = 60_000;

/**
 * Aligns a window to whole minutes, inward: the start is rounded up and the end down, so the window never reaches into
 * a minute before it began (e.g. before the deploy of a stage finished) or after it ended.
 *
 * @param window - the window
 * @returns the aligned window; its end may equal its start when the window is shorter than a minute
 */
export function alignWindow(window: TimeWindow): TimeWindow {
  const start = Math.ceil(window.start.getTime() / MINUTE_MS) * MINUTE_MS;
  const end = Math.max(start, Math.floor(window.end.getTime() / MINUTE_MS) * MINUTE_MS);
  return { start: new Date(start), end: new Date(end) };
}

/**
 * Reads a {@link MetricsSnapshot} from CloudWatch with one paginated `GetMetricData` call: the execution API's `Count`,
 * `4XXError`, `5XXError` (Sum) and `Latency`, `IntegrationLatency` (p95) in `AWS/ApiGateway` by `ApiName` and `Stage`;
 * and the verification layer's hand-off metrics in `SlackAiApp` by `path`. The window is aligned to whole minutes
 * ({@link alignWindow}) and read as a single period, so sums and percentiles cover the whole window.
 */
export class CloudWatchMetricsReader implements MetricsReader {
  private readonly client: CloudWatchClient;
  private readonly apiDimensions: Dimension[];

  /** @param options - the client and the API's identity */
  constructor(options: CloudWatchMetricsReaderOptions) {
    this.client = options.client;
    this.apiDimensions = [
      { Name: 'ApiName', Value: options.apiName },
      { Name: 'Stage', Value: options.stage ?? 'prod' },
    ];
  }

  /**
   * Reads the window's metrics. A window shorter than a minute after alignment reads as empty without a call.
   *
   * @param window - the window to read
   * @returns the snapshot, with the aligned window
   * @throws MetricsReadError when CloudWatch fails or reports a query as Forbidden or InternalError
   */
  async read(window: TimeWindow): Promise<MetricsSnapshot> {
    const aligned = alignWindow(window);
    const periodSeconds = (aligned.end.getTime() - aligned.start.getTime()) / 1000;
    if (periodSeconds <= 0) return emptySnapshot(aligned);

    const specs = this.querySpecs();
    const values = await this.fetch(specs, aligned, periodSeconds);
    const value = (id: string): number | undefined => {
      const spec = specs.find((candidate) => candidate.id === id) as QuerySpec;
      const points = values.get(id) ?? [];
      if (points.length === 0) return undefined;
      return spec.aggregate === 'sum' ? points.reduce((a, b) => a + b, 0) : Math.max(...points);
    };
    const count = (id: string): number => value(id) ?? 0;
    const path = (name: HandoffPath) => ({
      success: count(`${name}_success`),
      error: count(`${name}_error`),
      failed: count(`${name}_failed`),
      latency: { p95Ms: value(`${name}_latency_p95`), samples: count(`${name}_latency_n`) },
    });
    return {
      window: aligned,
      api: {
        count: count('apigw_count'),
        error4xx: count('apigw_4xx'),
        error5xx: count('apigw_5xx'),
        latencyP95Ms: value('apigw_latency_p95'),
        integrationLatencyP95Ms: value('apigw_integration_p95'),
      },
      handoff: {
        api: { ...path('api'), fallback: count('api_fallback'), authError: count('api_auth_error') },
        direct: path('direct'),
      },
    };
  }

  private querySpecs(): QuerySpec[] {
    const apigw = (id: string, metric: string, stat: QuerySpec['stat']): QuerySpec => ({
      id,
      namespace: 'AWS/ApiGateway',
      metric,
      dimensions: this.apiDimensions,
      stat,
      aggregate: stat === 'p95' ? 'max' : 'sum',
    });
    const app = (id: string, metric: string, path: HandoffPath, stat: QuerySpec['stat']): QuerySpec => ({
      id,
      namespace: APP_METRIC_NAMESPACE,
      metric,
      dimensions: [{ Name: 'path', Value: path }],
      stat,
      aggregate: stat === 'p95' ? 'max' : 'sum',
    });
    const perPath = (path: HandoffPath): QuerySpec[] => [
      app(`${path}_success`, HandoffMetric.Success, path, 'Sum'),
      app(`${path}_error`, HandoffMetric.Error, path, 'Sum'),
      app(`${path}_failed`, HandoffMetric.Failed, path, 'Sum'),
      app(`${path}_latency_p95`, HandoffMetric.Latency, path, 'p95'),
      app(`${path}_latency_n`, HandoffMetric.Latency, path, 'SampleCount'),
    ];
    return [
      apigw('apigw_count', ApiGatewayMetric.Count, 'Sum'),
      apigw('apigw_4xx', ApiGatewayMetric.Error4xx, 'Sum'),
      apigw('apigw_5xx', ApiGatewayMetric.Error5xx, 'Sum'),
      apigw('apigw_latency_p95', ApiGatewayMetric.Latency, 'p95'),
      apigw('apigw_integration_p95', ApiGatewayMetric.IntegrationLatency, 'p95'),
      ...perPath('api'),
      ...perPath('direct'),
      app('api_fallback', HandoffMetric.Fallback, 'api', 'Sum'),
      app('api_auth_error', HandoffMetric.AuthError, 'api', 'Sum'),
    ];
  }

  private async fetch(specs: QuerySpec[], window: TimeWindow, periodSeconds: number): Promise<Map<string, number[]>> {
    const queries: MetricDataQuery[] = specs.map((spec) => ({
      Id: spec.id,
      MetricStat: {
        Metric: { Namespace: spec.namespace, MetricName: spec.metric, Dimensions: spec.dimensions },
        Period: periodSeconds,
        Stat: spec.stat,
      },
      ReturnData: true,
    }));
    const values = new Map<string, number[]>();
    let nextToken: string | undefined;
    do {
      let output;
      try {
        output = await this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: window.start,
            EndTime: window.end,
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
          }),
        );
      } catch (error) {
        throw new MetricsReadError(`CloudWatch GetMetricData failed: ${describeError(error)}`, { cause: error });
      }
      for (const result of output.MetricDataResults ?? []) {
        if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
          const messages = (result.Messages ?? []).map((message) => message.Value).join('; ');
          throw new MetricsReadError(`CloudWatch query ${result.Id} returned ${result.StatusCode}${messages ? `: ${messages}` : ''}`);
        }
        const id = result.Id ?? '';
        values.set(id, [...(values.get(id) ?? []), ...(result.Values ?? [])]);
      }
      nextToken = output.NextToken;
    } while (nextToken);
    return values;
  }
}
