/**
 * Can an alarm notification actually be delivered? Walks the synthesized template from each alarm, through each of its
 * actions, to the SNS topic, its topic policy and its KMS key, and requires that CloudWatch may publish to the topic
 * (`sns:Publish` for `cloudwatch.amazonaws.com`, limited to this account) and may use its key (`kms:Decrypt` and
 * `kms:GenerateDataKey*`). An `AWS::SNS::TopicPolicy` replaces SNS's default policy, so without an explicit Allow
 * CloudWatch's publish is refused and no email ever arrives (aws-solutions/automated-security-response-on-aws#43,
 * ASFHyP3/hyp3#762); the SSE key must let the publishing service use it (Amazon SNS Developer Guide, "Configure AWS KMS
 * permissions for AWS services").
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { NOTIFYING_ALARMS } from '../src/constructs/monitoring';
import { buildStack, type TemplateStatement } from './helpers';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/** Whether `statement` allows the CloudWatch service principal every one of `actions`, only from this account. */
function allowsCloudWatch(statement: TemplateStatement, actions: readonly string[]): boolean {
  const principal = statement.Principal as { Service?: unknown } | undefined;
  const services = principal?.Service === undefined ? [] : [principal.Service].flat();
  const granted = [statement.Action].flat();
  const condition = statement.Condition as { StringEquals?: Record<string, unknown> } | undefined;
  return (
    statement.Effect === 'Allow' &&
    services.includes(CLOUDWATCH) &&
    actions.every((action) => granted.includes(action)) &&
    JSON.stringify(condition?.StringEquals?.['aws:SourceAccount']) === JSON.stringify({ Ref: 'AWS::AccountId' })
  );
}

/** Every alarm action, resolved to what it points at, with the checks a delivery needs. */
function walk(template: Template): Array<{ alarm: string; action: unknown; topic?: string; topicPolicyAllows: boolean; keyAllows: boolean }> {
  const resources = template.toJSON().Resources as Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  return ofType('AWS::CloudWatch::Alarm').flatMap(([alarm, resource]) =>
    [...((resource.Properties['AlarmActions'] as unknown[] | undefined) ?? []), ...((resource.Properties['OKActions'] as unknown[] | undefined) ?? [])].map(
      (action) => {
        const topic = (action as { Ref?: string }).Ref;
        if (topic === undefined || resources[topic]?.Type !== 'AWS::SNS::Topic') return { alarm, action, topicPolicyAllows: false, keyAllows: false };
        const policies = ofType('AWS::SNS::TopicPolicy').filter(([, policy]) =>
          (policy.Properties['Topics'] as unknown[]).some((t) => JSON.stringify(t) === JSON.stringify({ Ref: topic })),
        );
        const topicPolicyAllows = policies.some(([, policy]) =>
          (policy.Properties['PolicyDocument'] as { Statement: TemplateStatement[] }).Statement.some(
            (statement) => allowsCloudWatch(statement, ['sns:Publish']) && JSON.stringify(statement.Resource) === JSON.stringify({ Ref: topic }),
          ),
        );
        const keyRef = resources[topic]?.Properties['KmsMasterKeyId'] as { 'Fn::GetAtt'?: [string, string] } | undefined;
        const key = keyRef?.['Fn::GetAtt']?.[0];
        const keyAllows =
          key !== undefined &&
          resources[key]?.Type === 'AWS::KMS::Key' &&
          (resources[key]?.Properties['KeyPolicy'] as { Statement: TemplateStatement[] }).Statement.some((statement) =>
            allowsCloudWatch(statement, ['kms:Decrypt', 'kms:GenerateDataKey*']),
          );
        return { alarm, action, topic, topicPolicyAllows, keyAllows };
      },
    ),
  );
}

describe('alarm delivery: alarm → action → topic → topic policy and key', () => {
  it.each([
    ['the defaults', {}],
    ['an alarm email', { alarmEmail: 'ops@example.com' }],
  ])('every action of every alarm reaches a topic CloudWatch may publish to and encrypt for (%s)', (_name, context) => {
    const { template } = buildStack(context);
    const actions = walk(template);
    // Not vacuous: every alarm that needs a person has an alarm action and an OK action.
    expect(new Set(actions.map((a) => a.alarm.replace(/^Monitoring(\w+?)Alarm[0-9A-F]{8}$/, '$1')))).toEqual(new Set(NOTIFYING_ALARMS));
    expect(actions).toHaveLength(2 * NOTIFYING_ALARMS.length);
    for (const action of actions) {
      expect(action).toEqual({ alarm: action.alarm, action: action.action, topic: expect.stringMatching(/^MonitoringAlarmTopic/), topicPolicyAllows: true, keyAllows: true });
    }
  });

  it('fails when the topic policy lacks the CloudWatch Allow (the walk can tell a broken policy apart)', () => {
    const { template } = buildStack();
    const json = template.toJSON() as { Resources: Resources };
    const topicPolicy = Object.values(json.Resources).find((r) => r.Type === 'AWS::SNS::TopicPolicy') as unknown as { Properties: { PolicyDocument: { Statement: TemplateStatement[] } } };
    topicPolicy.Properties.PolicyDocument.Statement = topicPolicy.Properties.PolicyDocument.Statement.filter((s) => s.Sid !== 'AllowCloudWatchAlarmsToPublish');
    const broken = walk({ toJSON: () => json } as unknown as Template);
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.every((a) => !a.topicPolicyAllows && a.keyAllows)).toBe(true);
  });
});
