import {
  type CloudWatchClient,
  type Dimension,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { HANDOFF_PATH_DIMENSION } from '@slack-ai-app/logging';
import { API_GATEWAY_DIMENSIONS, API_GATEWAY_NAMESPACE } from '@slack-ai-app/stack-contract';
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
  /**
   * The metric period in seconds windows are aligned to: 60, or 1, 5, 10, 20 or 30 (CloudWatch's high-resolution
   * periods) for a compressed local rehearsal. @default 60
   */
  readonly periodSeconds?: number;
}

/** The periods {@link CloudWatchMetricsReaderOptions.periodSeconds} accepts (CloudWatch's `Period`: 1, 5, 10, 20, 30 or 60). */
export const METRIC_PERIODS_SECONDS: readonly number[] = [1, 5, 10, 20, 30, 60];

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
 * Aligns a window to whole periods (minutes by default), inward: the start is rounded up and the end down, so the window
 * never reaches into a period before it began (e.g. before the deploy of a stage finished) or after it ended.
 *
 * @param window - the window
 * @param periodMs - the period to align to
 * @returns the aligned window; its end may equal its start when the window is shorter than a period
 */
export function alignWindow(window: TimeWindow, periodMs = MINUTE_MS): TimeWindow {
  const start = Math.ceil(window.start.getTime() / periodMs) * periodMs;
  const end = Math.max(start, Math.floor(window.end.getTime() / periodMs) * periodMs);
  return { start: new Date(start), end: new Date(end) };
}

/**
 * Reads a {@link MetricsSnapshot} from CloudWatch with one paginated `GetMetricData` call: the execution API's `Count`,
 * `4XXError`, `5XXError` (Sum) and `Latency`, `IntegrationLatency` (p95) in `AWS/ApiGateway` by `ApiName` and `Stage`;
 * and the verification layer's hand-off metrics in `SlackAiApp` by `path`. The window is aligned to whole minutes
 * ({@link alignWindow}) and read as a single period, so sums and percentiles cover the whole window. With a
 * high-resolution period (a compressed local rehearsal), a window that is not a whole number of minutes is read in
 * periods of that length: sums add up, and the p95 is the highest period's p95.
 */
export class CloudWatchMetricsReader implements MetricsReader {
  private readonly client: CloudWatchClient;
  private readonly apiDimensions: Dimension[];
  private readonly periodSeconds: number;

  /**
   * @param options - the client, the API's identity and the metric period
   * @throws RangeError for a period CloudWatch does not take
   */
  constructor(options: CloudWatchMetricsReaderOptions) {
    this.client = options.client;
    this.periodSeconds = options.periodSeconds ?? 60;
    if (!METRIC_PERIODS_SECONDS.includes(this.periodSeconds)) {
      throw new RangeError(`the metric period must be one of ${METRIC_PERIODS_SECONDS.join(', ')} seconds, not ${this.periodSeconds}`);
    }
    this.apiDimensions = [
      { Name: API_GATEWAY_DIMENSIONS.apiName, Value: options.apiName },
      { Name: API_GATEWAY_DIMENSIONS.stage, Value: options.stage ?? 'prod' },
    ];
  }

  /**
   * Reads the window's metrics. A window shorter than a period after alignment reads as empty without a call.
   *
   * @param window - the window to read
   * @returns the snapshot, with the aligned window
   * @throws MetricsReadError when CloudWatch fails or reports a query as Forbidden or InternalError
   */
  async read(window: TimeWindow): Promise<MetricsSnapshot> {
    const aligned = alignWindow(window, this.periodSeconds * 1000);
    const windowSeconds = (aligned.end.getTime() - aligned.start.getTime()) / 1000;
    if (windowSeconds <= 0) return emptySnapshot(aligned);
    // One period for the whole window when CloudWatch takes it (a whole number of minutes), else the configured period.
    const periodSeconds = windowSeconds % 60 === 0 ? windowSeconds : this.periodSeconds;

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
      namespace: API_GATEWAY_NAMESPACE,
      metric,
      dimensions: this.apiDimensions,
      stat,
      aggregate: stat === 'p95' ? 'max' : 'sum',
    });
    const app = (id: string, metric: string, path: HandoffPath, stat: QuerySpec['stat']): QuerySpec => ({
      id,
      namespace: APP_METRIC_NAMESPACE,
      metric,
      dimensions: [{ Name: HANDOFF_PATH_DIMENSION, Value: path }],
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
