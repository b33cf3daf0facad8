import type { LocalDeployment } from '../assembly/deployment';
import type { LogStore } from '../logs';
import type { TraceStore } from '../trace';
import { lambdaDatums } from './lambda-metrics';
import { metricFilterDatums } from './metric-filter';
import type { MetricStore } from './metric-store';
import type { LocalQueue } from './sqs';
import { startQueueMetrics } from './sqs-metrics';

/** What {@link feedServiceMetrics} reads. */
export interface ServiceMetricSources {
  /** The deployment: its functions (their log groups) and metric filters. */
  readonly deployment: LocalDeployment;
  readonly logs: LogStore;
  readonly trace: TraceStore;
  readonly queues: readonly LocalQueue[];
  readonly now: () => Date;
  /** Multiplies SQS's one-minute sampling period (the alarms' `periodScale`). @default 1 */
  readonly periodScale?: number;
}

/**
 * A function's logs go to the log group `LoggingConfig.LogGroup` names, else to `/aws/lambda/<name>` (Lambda Developer
 * Guide, "Sending Lambda function logs to CloudWatch Logs").
 */
function logGroupOf(fn: LocalDeployment['functions'][number]): string {
  return fn.logGroupName ?? `/aws/lambda/${fn.name}`;
}

/**
 * Feeds the metrics AWS itself publishes into the store: `AWS/Lambda` from every invocation attempt, `AWS/SQS` from
 * the queues, and the template's metric filters applied to each function's log lines (its log group's filters).
 *
 * @param metrics - the store
 * @param sources - the deployment, logs, trace and queues
 * @returns stop: unsubscribes and clears the SQS sampling timer
 */
export function feedServiceMetrics(metrics: MetricStore, sources: ServiceMetricSources): { stop(): void } {
  const filtersByFunction = new Map(
    sources.deployment.functions.map((fn) => [fn.name, sources.deployment.metricFilters.filter((filter) => filter.logGroupName === logGroupOf(fn))]),
  );
  const offLogs = sources.logs.subscribe((entry) => {
    for (const filter of filtersByFunction.get(entry.functionName) ?? []) metrics.put(metricFilterDatums(filter, entry.line, entry.json, entry.time));
  });
  const offTrace = sources.trace.subscribe((entry) => {
    if (entry.kind === 'invocation') metrics.put(lambdaDatums(entry));
  });
  const queues = startQueueMetrics(sources.queues, (datums) => metrics.put(datums), sources.now, sources.periodScale);
  return {
    stop: () => {
      offLogs();
      offTrace();
      queues.stop();
    },
  };
}
