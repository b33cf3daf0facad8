import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { HandoffPath } from '@slack-ai-app/logging';
import { ApiGatewayMetric } from '@slack-ai-app/stack-contract';
import type { Construct } from 'constructs';
import type { AlarmSources } from './alarms';
import { HANDOFF_METRICS, handoffMetric } from './handoff-metrics';
import type { Thresholds } from './props';

/** The period of every dashboard graph. */
const MINUTE = Duration.minutes(1);

/** A row of widgets; `undefined` stands for a widget of a layer this stack does not have. */
type Row = ReadonlyArray<cloudwatch.IWidget | undefined>;

/**
 * The dashboard (child `Dashboard` of `scope`): the hand-off metrics (EMF: success, errors, fallbacks, the fallback rate
 * and latency by path) next to API Gateway's Count, 4XXError, 5XXError, Latency and IntegrationLatency, the functions'
 * errors, throttles and duration, the dead-letter queue depth, and the alarms.
 *
 * @param scope - the monitoring construct
 * @param sources - the layers this stack has and the fallback rate
 * @param thresholds - the validated thresholds (the fallback-rate graph marks the alarm's)
 * @param alarms - the alarms to show
 * @returns the dashboard
 */
export function createDashboard(
  scope: Construct,
  sources: AlarmSources,
  thresholds: Thresholds,
  alarms: Readonly<Record<string, cloudwatch.Alarm>>,
): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    defaultInterval: Duration.hours(3),
  });
  const alarmRow: Row = [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, height: 4, alarms: Object.values(alarms) })];
  for (const row of [guideRow(), handoffRow(sources, thresholds), latencyRow(sources), lambdaRow(sources), alarmRow]) {
    const present = row.filter((widget): widget is cloudwatch.IWidget => widget !== undefined);
    if (present.length > 0) dashboard.addWidgets(...present);
  }
  return dashboard;
}

/** Points to the one migration runbook rather than restating it. */
function guideRow(): Row {
  return [
    new cloudwatch.TextWidget({
      width: 24,
      height: 3,
      markdown: [
        '## Hand-off migration: direct invoke → execution API',
        'How to raise the percentage, read these widgets as gates, roll back and clean up: ' +
          'tools/rollout/README.md, "Migration runbook", in the slack-ai-app repository.',
      ].join('\n\n'),
    }),
  ];
}

/** Hand-offs by path, the API path's problems and the fallback rate (verification layer). */
function handoffRow({ verification, fallbackRate }: AlarmSources, thresholds: Thresholds): Row {
  return [
    verification &&
      new cloudwatch.GraphWidget({
        title: 'Hand-offs by path',
        width: 8,
        left: [
          handoff(HANDOFF_METRICS.success, 'api', 'Sum', 'API path'),
          handoff(HANDOFF_METRICS.success, 'direct', 'Sum', 'Direct path'),
        ],
      }),
    verification &&
      new cloudwatch.GraphWidget({
        title: 'API path problems',
        width: 8,
        left: [
          handoff(HANDOFF_METRICS.fallback, 'api', 'Sum', 'Fallbacks to direct'),
          handoff(HANDOFF_METRICS.error, 'api', 'Sum', 'API non-2xx'),
          handoff(HANDOFF_METRICS.failed, 'api', 'Sum', 'API call failed'),
          handoff(HANDOFF_METRICS.authError, 'api', 'Sum', 'API 403 (caller side)'),
          handoff(HANDOFF_METRICS.failed, 'direct', 'Sum', 'Direct invoke failed'),
        ],
      }),
    fallbackRate &&
      new cloudwatch.GraphWidget({
        title: 'Fallback rate (%)',
        width: 8,
        left: [fallbackRate],
        leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
        leftAnnotations: [{ value: thresholds.fallbackRate, label: 'Alarm threshold' }],
      }),
  ];
}

/** Hand-off latency by path (verification layer), the execution API's requests and latency (execution layer). */
function latencyRow({ verification, execution }: AlarmSources): Row {
  const stage = execution?.api.stage;
  return [
    verification &&
      new cloudwatch.GraphWidget({
        title: 'Hand-off latency p95 (ms)',
        width: 8,
        left: [
          handoff(HANDOFF_METRICS.latency, 'api', 'p95', 'API path p95'),
          handoff(HANDOFF_METRICS.latency, 'direct', 'p95', 'Direct path p95'),
        ],
      }),
    stage &&
      new cloudwatch.GraphWidget({
        title: 'Execution API requests',
        width: 8,
        left: [
          stage.metricCount({ statistic: 'Sum', period: MINUTE, label: ApiGatewayMetric.Count }),
          stage.metricClientError({ statistic: 'Sum', period: MINUTE, label: ApiGatewayMetric.Error4xx }),
          stage.metricServerError({ statistic: 'Sum', period: MINUTE, label: ApiGatewayMetric.Error5xx }),
        ],
      }),
    stage &&
      new cloudwatch.GraphWidget({
        title: 'Execution API latency (ms)',
        width: 8,
        left: [
          stage.metricLatency({ statistic: 'p95', period: MINUTE, label: `${ApiGatewayMetric.Latency} p95` }),
          stage.metricIntegrationLatency({ statistic: 'p95', period: MINUTE, label: `${ApiGatewayMetric.IntegrationLatency} p95` }),
          stage.metricLatency({ statistic: 'Average', period: MINUTE, label: `${ApiGatewayMetric.Latency} avg` }),
        ],
      }),
  ];
}

/** Errors, throttles and duration of the functions this stack has, and the dead-letter queue depth. */
function lambdaRow({ verification, execution }: AlarmSources): Row {
  const functions = [verification?.fn, execution?.fn].filter((fn): fn is lambda.IFunction => fn !== undefined);
  const lambdaPair = (metric: (fn: lambda.IFunction) => cloudwatch.Metric): cloudwatch.IMetric[] => functions.map(metric);
  return [
    new cloudwatch.GraphWidget({
      title: 'Lambda errors and throttles',
      width: 8,
      left: [
        ...lambdaPair((fn) => fn.metricErrors({ statistic: 'Sum', period: MINUTE })),
        ...lambdaPair((fn) => fn.metricThrottles({ statistic: 'Sum', period: MINUTE })),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: 'Lambda duration p95 (ms)',
      width: 8,
      left: lambdaPair((fn) => fn.metricDuration({ statistic: 'p95', period: MINUTE })),
    }),
    execution &&
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue depth',
        width: 8,
        left: [execution.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: MINUTE })],
      }),
  ];
}

/** A hand-off metric at the dashboard's period, with its legend label. */
function handoff(metricName: string, path: HandoffPath, statistic: string, label: string): cloudwatch.Metric {
  return handoffMetric(metricName, path, statistic, MINUTE, label);
}
