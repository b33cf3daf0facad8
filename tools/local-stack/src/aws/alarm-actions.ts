import { randomUUID } from 'node:crypto';
import { authorize } from '@slack-ai-app/aws-emulation';
import type { DeployedAlarm, DeployedKey, DeployedTopic } from '../assembly/deployment';
import { accountOfArn } from '../constants';
import { servicePrincipal, deniedBecause } from '../iam/authorization';

/** The service principal CloudWatch publishes alarm notifications as. */
export const CLOUDWATCH_PRINCIPAL = 'cloudwatch.amazonaws.com';

/** A notification an alarm published to a topic, and who it went to (an email subscription is recorded, never sent). */
export interface TopicNotification {
  readonly topicArn: string;
  readonly alarmName: string;
  readonly newState: string;
  readonly at: Date;
  readonly deliveredTo: readonly { readonly protocol: string; readonly endpoint: string }[];
}

/** The outcome of one alarm action. */
export type ActionOutcome = { readonly ok: true; readonly notification: TopicNotification } | { readonly ok: false; readonly error: string };

/** What an alarm action is delivered against: the stack's topics and keys, its account. */
export interface AlarmActionTargets {
  readonly topics: readonly DeployedTopic[];
  readonly keys: readonly DeployedKey[];
  readonly accountId: string;
}

/**
 * Delivers one alarm action the way CloudWatch does for an SNS topic: CloudWatch (`cloudwatch.amazonaws.com`)
 * publishes, so the topic policy must allow it `sns:Publish` (with `aws:SourceArn` = the alarm and
 * `aws:SourceAccount` = its account in the request context), and for an encrypted topic the key policy must let it use
 * the key (`kms:GenerateDataKey*` and `kms:Decrypt`; "Why didn't I receive an SNS notification for my CloudWatch alarm
 * trigger?", https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger). A topic with no
 * `AWS::SNS::TopicPolicy` has SNS's default policy, which lets the account's own principals publish.
 *
 * The error texts are the ones CloudWatch records in the alarm history: for the topic policy, "Resource: <alarm ARN> is
 * not authorized to perform: SNS:Publish on resource: <topic ARN> because no resource-based policy allows the
 * SNS:Publish action" (aws-solutions/automated-security-response-on-aws#43); for the key, "null (Service: AWSKMS;
 * Status Code: 400; Error Code: AccessDeniedException; …)" (ASFHyP3/hyp3#762, aws/aws-cdk#11121).
 *
 * @param alarm - the alarm whose state changed
 * @param actionArn - one of its actions for the new state
 * @param newState - the new state
 * @param targets - topics, keys, account
 * @param at - when
 */
export function deliverAlarmAction(alarm: DeployedAlarm, actionArn: string, newState: string, targets: AlarmActionTargets, at: Date): ActionOutcome {
  const topic = targets.topics.find((t) => t.arn === actionArn);
  if (topic === undefined) return { ok: false, error: `the local stack delivers alarm actions to SNS topics of the stack only, not ${actionArn}` };
  // The alarm's own account (in the two-account layout each stack's alarms publish to that stack's topic).
  const accountId = accountOfArn(alarm.arn) ?? targets.accountId;
  const context = { 'aws:SourceArn': alarm.arn, 'aws:SourceAccount': accountId, 'aws:SourceOwner': accountId, 'aws:SecureTransport': 'true' };
  const publish = authorize({
    principal: servicePrincipal(CLOUDWATCH_PRINCIPAL),
    action: 'sns:Publish',
    resource: topic.arn,
    resourceAccountId: accountId,
    identityPolicies: [],
    resourcePolicy: topic.policy ?? defaultTopicPolicy(topic.arn, accountId),
    context,
  });
  if (publish.decision !== 'allow') {
    return { ok: false, error: `Resource: ${alarm.arn} is not authorized to perform: SNS:Publish on resource: ${topic.arn} ${deniedBecause(publish, 'SNS:Publish', 'resource-based')}` };
  }
  if (topic.kmsMasterKeyId !== undefined) {
    const key = targets.keys.find((k) => k.arn === topic.kmsMasterKeyId || k.keyId === topic.kmsMasterKeyId);
    // An AWS managed key (alias/aws/sns) or a key outside the stack: its policy does not name CloudWatch.
    const allowed =
      key?.policy !== undefined &&
      ['kms:GenerateDataKey', 'kms:Decrypt'].every(
        (action) =>
          authorize({
            principal: servicePrincipal(CLOUDWATCH_PRINCIPAL),
            action,
            resource: key.arn,
            resourceAccountId: accountId,
            identityPolicies: [],
            resourcePolicy: key.policy,
            resourcePolicyRequired: true,
            context,
          }).decision === 'allow',
      );
    if (!allowed) return { ok: false, error: `null (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: ${randomUUID()}; Proxy: null)` };
  }
  return { ok: true, notification: { topicArn: topic.arn, alarmName: alarm.name, newState, at, deliveredTo: topic.subscriptions } };
}

/**
 * SNS's default topic policy, reduced to publishing: anyone acting for the owner account (`AWS:SourceOwner`) may
 * publish ("Example cases for Amazon SNS access control",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html). An `AWS::SNS::TopicPolicy` replaces it.
 */
function defaultTopicPolicy(topicArn: string, accountId: string) {
  return {
    Version: '2008-10-17',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow' as const,
        Principal: { AWS: '*' },
        Action: 'SNS:Publish',
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  };
}
