import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EMF_NAMESPACE, FALLBACK_RATE, FALLBACK_RATE_ALARM_PERCENT, HANDOFF_PATH_DIMENSION, HandoffMetric } from '@slack-ai-app/logging';
import { ConstructPropsError } from '../errors';
import type { ExecutionApi } from './execution-api';

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
 * The alarms that notify the alarm topic (email): each needs a person. The others are on the dashboard only.
 */
export const NOTIFYING_ALARMS = ['ApiAuthErrors', 'Api5xx', 'ApiLatencyP95', 'DeadLetterQueueDepth', 'FallbackRate'] as const;

/** Alarm thresholds of {@link Monitoring}. */
export interface MonitoringThresholds {
  /**
   * API 5XX responses in 5 minutes that raise the alarm.
   *
   * @default 1
   */
  readonly api5xxPer5Minutes?: number;

  /**
   * API p95 latency in milliseconds above which the alarm is raised (two 5-minute periods out of three). The integration
   * is asynchronous, so this is the time Lambda takes to queue the event, normally well under 100 ms.
   *
   * @default 1000
   */
  readonly apiLatencyP95Millis?: number;

  /**
   * Fallback rate (`FALLBACK_RATE`, libs/logging), in percent of API-path hand-offs over 5 minutes, above which the alarm
   * is raised. Why 5 % pages someone: `FALLBACK_RATE_ALARM_PERCENT`.
   *
   * @default 5
   */
  readonly fallbackRatePercent?: number;
}

/**
 * Props of {@link Monitoring}. Each layer's resources are optional as a group, so that in the two-account layout each
 * stack watches its own layer (CloudWatch alarms read metrics of their own account): the verification stack gives the
 * verification function and its log group, the execution stack the API, the execution function and its queue. The
 * same-account stack gives both.
 */
export interface MonitoringProps {
  /** The execution API. @default - no execution-layer monitoring (with the execution function and queue) */
  readonly executionApi?: ExecutionApi;
  /** The verification function. @default - no verification-layer monitoring */
  readonly verificationFunction?: lambda.IFunction;
  /** The execution function. */
  readonly executionFunction?: lambda.IFunction;
  /** The execution function's dead-letter queue (on-failure destination). */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Email address subscribed to the alarm topic. The subscription must be confirmed from the email AWS sends.
   *
   * @default - no subscription; the topic is still created, for other subscribers
   */
  readonly alarmEmail?: string;

  /** Alarm thresholds. @default - see {@link MonitoringThresholds} */
  readonly thresholds?: MonitoringThresholds;
}

/**
 * Alarms, the migration dashboard and the alarm topic.
 *
 * Alarms that notify the SNS topic ({@link NOTIFYING_ALARMS}; the topic is encrypted with its own KMS key, refuses
 * non-TLS publishers, and lets CloudWatch alarms of this account publish): 403s seen by the verification Lambda
 * (`HandoffAuthError`, which unsigned scans of the public endpoint cannot trigger), API 5XX, API p95 latency,
 * dead-letter queue depth > 0, and the fallback rate. Errors and throttles of each function are alarms on the dashboard
 * only (throttles of the execution function are expected in a burst: its reserved concurrency queues the events, and
 * what fails for good reaches the dead-letter queue). API 4XX is a dashboard metric, not an alarm: internet scans of the
 * public endpoint produce it. The fallback rate is the one the rollout gate reads (`FALLBACK_RATE`, libs/logging):
 * metric math over the hand-off EMF metrics of the API path, `100 × HandoffFallback / (HandoffSuccess + HandoffError +
 * HandoffFailed)`.
 *
 * The dashboard sets the hand-off metrics (EMF: success, errors, fallbacks and latency by path) next to API Gateway's
 * Count, 4XXError, 5XXError, Latency and IntegrationLatency, the functions' errors, throttles and duration, the
 * dead-letter queue depth, and the alarms.
 */
export class Monitoring extends Construct {
  /** The topic every alarm notifies. */
  public readonly alarmTopic: sns.Topic;
  /** The migration dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm, by purpose. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The fallback rate in percent (metric math over the hand-off EMF metrics); only with the verification layer. */
  public readonly fallbackRate: cloudwatch.MathExpression | undefined;

  /**
   * @param scope - parent construct
   * @param id - construct id
   * @param props - see {@link MonitoringProps}
   * @throws {@link ConstructPropsError} when a threshold is out of range or the email is malformed
   */
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { thresholds, verification, execution } = validateProps(props);

    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Slack AI app alarm topic',
      enableKeyRotation: true,
    });
    const account = Stack.of(this).account;
    // CloudWatch publishes alarm notifications to the encrypted topic, so it needs the key: kms:Decrypt and
    // kms:GenerateDataKey* ("Configure AWS KMS permissions for AWS services", Amazon SNS Developer Guide,
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Slack AI app alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one, which is what let the account's CloudWatch alarms publish; without
    // this statement CloudWatch records "... is not authorized to perform: SNS:Publish on resource ... because no
    // resource-based policy allows ..." and no notification arrives (aws-solutions/automated-security-response-on-aws#43,
    // ASFHyP3/hyp3#762). aws:SourceAccount keeps other accounts' alarms out.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    const fallbackRate = verification === undefined ? undefined : fallbackRateExpression();
    this.fallbackRate = fallbackRate;

    const notifying: ReadonlySet<string> = new Set(NOTIFYING_ALARMS);
    const alarm = (alarmId: string, options: cloudwatch.AlarmProps): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      if (notifying.has(alarmId.replace(/Alarm$/, ''))) {
        created.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
        created.addOkAction(new cloudwatchActions.SnsAction(this.alarmTopic));
      }
      return created;
    };
    const atLeast = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const functionAlarms = (name: string, fn: lambda.IFunction): Record<string, cloudwatch.Alarm> => ({
      [`${name}Errors`]: alarm(`${name}ErrorsAlarm`, {
        metric: fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
        alarmDescription: `The ${name.toLowerCase()} Lambda reported errors (dashboard only).`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: atLeast,
      }),
      [`${name}Throttles`]: alarm(`${name}ThrottlesAlarm`, {
        metric: fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
        alarmDescription: `The ${name.toLowerCase()} Lambda was throttled (dashboard only).`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: atLeast,
      }),
    });

    this.alarms = {
      ...(execution === undefined
        ? {}
        : {
            Api5xx: alarm('Api5xxAlarm', {
              metric: execution.api.metricServerError(),
              alarmDescription: 'The execution API answered 5XX: Lambda could not queue the event.',
              threshold: thresholds.api5xx,
              evaluationPeriods: 1,
              comparisonOperator: atLeast,
            }),
            ApiLatencyP95: alarm('ApiLatencyP95Alarm', {
              metric: execution.api.stage.metricLatency({ statistic: 'p95', period: Duration.minutes(5) }),
              alarmDescription: 'The execution API p95 latency is high: the hand-off eats into Slack\'s 3-second deadline.',
              threshold: thresholds.latencyP95,
              evaluationPeriods: 3,
              datapointsToAlarm: 2,
              comparisonOperator: above,
            }),
            DeadLetterQueueDepth: alarm('DeadLetterQueueDepthAlarm', {
              metric: execution.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
                statistic: 'Maximum',
                period: Duration.minutes(1),
              }),
              alarmDescription: 'Events failed every retry of the execution Lambda and wait in its dead-letter queue.',
              threshold: 0,
              evaluationPeriods: 1,
              comparisonOperator: above,
            }),
          }),
      ...(verification === undefined
        ? {}
        : {
            ApiAuthErrors: alarm('ApiAuthErrorsAlarm', {
              metric: handoffMetric(HANDOFF_METRICS.authError, 'api', 'Sum', Duration.minutes(5)),
              alarmDescription:
                'The execution API refused the verification Lambda with 403: its SigV4 signing or the resource policy is wrong. Unlike API 4XX, unsigned scans of the public endpoint do not count here.',
              threshold: 1,
              evaluationPeriods: 1,
              comparisonOperator: atLeast,
            }),
            ...functionAlarms('Verification', verification.fn),
          }),
      ...(execution === undefined ? {} : functionAlarms('Execution', execution.fn)),
      ...(fallbackRate === undefined
        ? {}
        : {
            FallbackRate: alarm('FallbackRateAlarm', {
              metric: fallbackRate,
              alarmDescription:
                'The verification Lambda falls back from the execution API to the direct invoke (or the API call fails) too often. Hold or roll back the rollout.',
              threshold: thresholds.fallbackRate,
              evaluationPeriods: 1,
              comparisonOperator: above,
            }),
          }),
    };

    this.dashboard = this.buildDashboard({ verification, execution, fallbackRate }, thresholds);
  }

  private buildDashboard(
    sides: { verification: VerificationSide | undefined; execution: ExecutionSide | undefined; fallbackRate: cloudwatch.MathExpression | undefined },
    thresholds: Thresholds,
  ): cloudwatch.Dashboard {
    const { verification, execution, fallbackRate } = sides;
    const minute = Duration.minutes(1);
    const handoff = (metricName: string, path: 'api' | 'direct', statistic: string, label: string): cloudwatch.Metric =>
      handoffMetric(metricName, path, statistic, minute, label);
    const functions = [verification?.fn, execution?.fn].filter((fn): fn is lambda.IFunction => fn !== undefined);
    const lambdaPair = (metric: (fn: lambda.IFunction) => cloudwatch.Metric): cloudwatch.IMetric[] => functions.map(metric);
    const row = (...widgets: Array<cloudwatch.IWidget | undefined>): void => {
      const present = widgets.filter((widget): widget is cloudwatch.IWidget => widget !== undefined);
      if (present.length > 0) dashboard.addWidgets(...present);
    };

    const dashboard = new cloudwatch.Dashboard(this, 'MigrationDashboard', {
      defaultInterval: Duration.hours(3),
    });
    row(
      new cloudwatch.TextWidget({
        width: 24,
        height: 3,
        markdown: [
          '## Hand-off migration: direct invoke → execution API',
          'Raise `executionApiPercentage` 0 → 10 → 50 → 100 only while **fallback rate** stays near 0, **API 403s (HandoffAuthError) and 5XX** stay at 0, ' +
            '**hand-off latency (api)** stays well under the 2 s client timeout, and the **dead-letter queue** stays empty. ' +
            'Roll back by lowering the percentage (or `useApiGateway=false`).',
        ].join('\n\n'),
      }),
    );
    row(
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
    );
    const stage = execution?.api.stage;
    row(
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
            stage.metricCount({ statistic: 'Sum', period: minute, label: 'Count' }),
            stage.metricClientError({ statistic: 'Sum', period: minute, label: '4XXError' }),
            stage.metricServerError({ statistic: 'Sum', period: minute, label: '5XXError' }),
          ],
        }),
      stage &&
        new cloudwatch.GraphWidget({
          title: 'Execution API latency (ms)',
          width: 8,
          left: [
            stage.metricLatency({ statistic: 'p95', period: minute, label: 'Latency p95' }),
            stage.metricIntegrationLatency({ statistic: 'p95', period: minute, label: 'IntegrationLatency p95' }),
            stage.metricLatency({ statistic: 'Average', period: minute, label: 'Latency avg' }),
          ],
        }),
    );
    row(
      new cloudwatch.GraphWidget({
        title: 'Lambda errors and throttles',
        width: 8,
        left: [
          ...lambdaPair((fn) => fn.metricErrors({ statistic: 'Sum', period: minute })),
          ...lambdaPair((fn) => fn.metricThrottles({ statistic: 'Sum', period: minute })),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda duration p95 (ms)',
        width: 8,
        left: lambdaPair((fn) => fn.metricDuration({ statistic: 'p95', period: minute })),
      }),
      execution &&
        new cloudwatch.GraphWidget({
          title: 'Dead-letter queue depth',
          width: 8,
          left: [execution.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: minute })],
        }),
    );
    row(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        height: 4,
        alarms: Object.values(this.alarms),
      }),
    );
    return dashboard;
  }
}

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
function handoffMetric(
  metricName: string,
  path: 'api' | 'direct',
  statistic: string,
  period: Duration,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: HANDOFF_METRICS.namespace,
    metricName,
    dimensionsMap: { [HANDOFF_METRICS.pathDimension]: path },
    statistic,
    period,
    label,
  });
}

interface Thresholds {
  readonly api5xx: number;
  readonly latencyP95: number;
  readonly fallbackRate: number;
}

/** An email address: one `@`, a dot in the domain, no spaces. AWS checks deliverability when the subscription is confirmed. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The verification layer's resources, when this stack has them. */
interface VerificationSide {
  readonly fn: lambda.IFunction;
}

/** The execution layer's resources, when this stack has them. */
interface ExecutionSide {
  readonly api: ExecutionApi;
  readonly fn: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * The fallback rate in percent over 5 minutes: {@link FALLBACK_RATE}'s expression over its hand-off metrics.
 *
 * @returns the metric-math expression the alarm and the dashboard show
 */
function fallbackRateExpression(): cloudwatch.MathExpression {
  const period = Duration.minutes(5);
  const terms: Record<string, string> = { ...FALLBACK_RATE.numerator, ...FALLBACK_RATE.denominator };
  return new cloudwatch.MathExpression({
    expression: FALLBACK_RATE.expression,
    usingMetrics: Object.fromEntries(Object.entries(terms).map(([id, metricName]) => [id, handoffMetric(metricName, FALLBACK_RATE.path, 'Sum', period)])),
    label: 'Fallback rate (%)',
    period,
  });
}

function validateProps(props: MonitoringProps): {
  thresholds: Thresholds;
  verification: VerificationSide | undefined;
  execution: ExecutionSide | undefined;
} {
  const fail = (prop: string, problem: string): never => {
    throw new ConstructPropsError('Monitoring', prop, problem);
  };
  const group = <T extends object>(name: string, parts: Record<string, unknown>, build: () => T): T | undefined => {
    const given = Object.entries(parts).filter(([, value]) => value !== undefined).map(([key]) => key);
    if (given.length === 0) return undefined;
    if (given.length < Object.keys(parts).length) {
      fail(Object.keys(parts).find((key) => !given.includes(key)) as string, `is required with ${given.join(', ')} (the ${name} layer)`);
    }
    return build();
  };
  const verification = group('verification', { verificationFunction: props.verificationFunction }, () => ({
    fn: props.verificationFunction as lambda.IFunction,
  }));
  const execution = group(
    'execution',
    { executionApi: props.executionApi, executionFunction: props.executionFunction, deadLetterQueue: props.deadLetterQueue },
    () => ({
      api: props.executionApi as ExecutionApi,
      fn: props.executionFunction as lambda.IFunction,
      deadLetterQueue: props.deadLetterQueue as sqs.IQueue,
    }),
  );
  if (verification === undefined && execution === undefined) {
    fail('verificationFunction', 'or executionApi is required: there is nothing to monitor');
  }
  const t = props.thresholds ?? {};
  const positiveInteger = (prop: string, value: number): number => {
    if (!Number.isInteger(value) || value < 1) fail(`thresholds.${prop}`, `must be an integer of at least 1, got ${value}`);
    return value;
  };
  const api5xx = positiveInteger('api5xxPer5Minutes', t.api5xxPer5Minutes ?? 1);
  const latencyP95 = positiveInteger('apiLatencyP95Millis', t.apiLatencyP95Millis ?? 1000);
  const fallbackRate = t.fallbackRatePercent ?? FALLBACK_RATE_ALARM_PERCENT;
  if (!Number.isFinite(fallbackRate) || fallbackRate <= 0 || fallbackRate >= 100) {
    fail('thresholds.fallbackRatePercent', `must be a number above 0 and below 100, got ${fallbackRate}`);
  }
  if (props.alarmEmail !== undefined && !EMAIL.test(props.alarmEmail)) {
    fail('alarmEmail', `must be an email address, got ${JSON.stringify(props.alarmEmail)}`);
  }
  return { thresholds: { api5xx, latencyP95, fallbackRate }, verification, execution };
}
