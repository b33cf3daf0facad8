import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * The SNS topic the notifying alarms publish to: encrypted with its own KMS key (rotated), refusing non-TLS publishers,
 * open to CloudWatch alarms of this account only, with an optional email subscription.
 *
 * @param scope - the monitoring construct (the topic and key are its children `AlarmTopic` and `AlarmTopicKey`)
 * @param alarmEmail - the address to subscribe, already validated; none for no subscription
 * @returns the topic
 */
export function createAlarmTopic(scope: Construct, alarmEmail: string | undefined): sns.Topic {
  const topicKey = new kms.Key(scope, 'AlarmTopicKey', {
    description: 'Encrypts the Slack AI app alarm topic',
    enableKeyRotation: true,
  });
  const account = Stack.of(scope).account;
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
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: 'Slack AI app alarms',
    masterKey: topicKey,
    enforceSSL: true,
  });
  // The topic policy replaces SNS's default one, which is what let the account's CloudWatch alarms publish; without
  // this statement CloudWatch records "... is not authorized to perform: SNS:Publish on resource ... because no
  // resource-based policy allows ..." and no notification arrives (aws-solutions/automated-security-response-on-aws#43,
  // ASFHyP3/hyp3#762). aws:SourceAccount keeps other accounts' alarms out.
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }),
  );
  if (alarmEmail !== undefined) topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
  return topic;
}
