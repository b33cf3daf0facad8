import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { FALLBACK_RATE_ALARM_PERCENT } from '@slack-ai-app/logging';
import { ConstructPropsError } from '../../errors';
import type { ExecutionApi } from '../execution-api';

/** Alarm thresholds of `Monitoring`. */
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
 * Props of `Monitoring`. Each layer's resources are optional as a group, so that in the two-account layout each
 * stack watches its own layer (CloudWatch alarms read metrics of their own account): the verification stack gives the
 * verification function, the execution stack the API, the execution function and its queue. The
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

/** The validated alarm thresholds. */
export interface Thresholds {
  /** API 5XX responses in 5 minutes. */
  readonly api5xx: number;
  /** API p95 latency, ms. */
  readonly latencyP95: number;
  /** Fallback rate, %. */
  readonly fallbackRate: number;
}

/** An email address: one `@`, a dot in the domain, no spaces. AWS checks deliverability when the subscription is confirmed. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The verification layer's resources, when this stack has them. */
export interface VerificationSide {
  readonly fn: lambda.IFunction;
}

/** The execution layer's resources, when this stack has them. */
export interface ExecutionSide {
  readonly api: ExecutionApi;
  readonly fn: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * Checks the props of `Monitoring` and groups each layer's resources.
 *
 * @param props - the construct's props
 * @returns the thresholds with defaults applied, and the layers given
 * @throws {@link ConstructPropsError} when a threshold is out of range, a layer is incomplete or the email is malformed
 */
export function validateProps(props: MonitoringProps): {
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
