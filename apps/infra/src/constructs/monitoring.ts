import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createAlarmTopic } from './monitoring/alarm-topic';
import { createAlarms } from './monitoring/alarms';
import { createDashboard } from './monitoring/dashboard';
import { fallbackRateExpression } from './monitoring/handoff-metrics';
import { type MonitoringProps, validateProps } from './monitoring/props';

export { NOTIFYING_ALARMS } from './monitoring/alarms';
export { HANDOFF_METRICS } from './monitoring/handoff-metrics';
export type { MonitoringProps, MonitoringThresholds } from './monitoring/props';

/**
 * Alarms, the dashboard and the alarm topic of the layers a stack has.
 *
 * Alarms that notify the SNS topic (`NOTIFYING_ALARMS`; the topic is encrypted with its own KMS key, refuses non-TLS
 * publishers, and lets CloudWatch alarms of this account publish): 403s seen by the verification Lambda
 * (`HandoffAuthError`, which unsigned scans of the public endpoint cannot trigger), API 5XX, API p95 latency,
 * dead-letter queue depth > 0, and the fallback rate. Errors and throttles of each function are alarms on the dashboard
 * only (throttles of the execution function are expected in a burst: its reserved concurrency queues the events, and
 * what fails for good reaches the dead-letter queue). API 4XX is a dashboard metric, not an alarm: internet scans of the
 * public endpoint produce it. The fallback rate is the one the rollout gate reads (`FALLBACK_RATE`, libs/logging):
 * metric math over the hand-off EMF metrics of the API path, `100 × HandoffFallback / (HandoffSuccess + HandoffError +
 * HandoffFailed)`.
 *
 * The parts: `monitoring/props.ts` (props and their validation), `alarm-topic.ts`, `alarms.ts`, `dashboard.ts`, and
 * `handoff-metrics.ts` (the hand-off metrics and the fallback-rate expression both show).
 */
export class Monitoring extends Construct {
  /** The topic every alarm notifies. */
  public readonly alarmTopic: sns.Topic;
  /** The dashboard. */
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
    this.alarmTopic = createAlarmTopic(this, props.alarmEmail);
    this.fallbackRate = verification === undefined ? undefined : fallbackRateExpression();
    const sources = { verification, execution, fallbackRate: this.fallbackRate };
    this.alarms = createAlarms(this, this.alarmTopic, sources, thresholds);
    this.dashboard = createDashboard(this, sources, thresholds, this.alarms);
  }
}
