import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { HANDOFF_METRICS, handoffMetric } from './handoff-metrics';
import type { ExecutionSide, Thresholds, VerificationSide } from './props';

/**
 * The alarms that notify the alarm topic (email): each needs a person. The others are on the dashboard only.
 */
export const NOTIFYING_ALARMS = ['ApiAuthErrors', 'Api5xx', 'ApiLatencyP95', 'DeadLetterQueueDepth', 'FallbackRate'] as const;

/** What the alarms watch: each layer this stack has, and the fallback rate (with the verification layer). */
export interface AlarmSources {
  readonly verification: VerificationSide | undefined;
  readonly execution: ExecutionSide | undefined;
  readonly fallbackRate: cloudwatch.MathExpression | undefined;
}

/**
 * Creates every alarm of the layers given, as children `<Purpose>Alarm` of `scope`. Those in {@link NOTIFYING_ALARMS}
 * notify `topic` on ALARM and OK; missing data is not breaching.
 *
 * @param scope - the monitoring construct
 * @param topic - the alarm topic
 * @param sources - see {@link AlarmSources}
 * @param thresholds - the validated thresholds
 * @returns every alarm, by purpose
 */
export function createAlarms(scope: Construct, topic: sns.ITopic, sources: AlarmSources, thresholds: Thresholds): Record<string, cloudwatch.Alarm> {
  const { verification, execution, fallbackRate } = sources;
  const notifying: ReadonlySet<string> = new Set(NOTIFYING_ALARMS);
  const alarm = (alarmId: string, options: cloudwatch.AlarmProps): cloudwatch.Alarm => {
    const created = new cloudwatch.Alarm(scope, alarmId, {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...options,
    });
    if (notifying.has(alarmId.replace(/Alarm$/, ''))) {
      created.addAlarmAction(new cloudwatchActions.SnsAction(topic));
      created.addOkAction(new cloudwatchActions.SnsAction(topic));
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

  return {
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
}
