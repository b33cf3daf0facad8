import { Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStack, newApp } from './helpers';

/** Every acknowledgement recorded in the tree: construct path → rule id → reason. */
function acknowledgements(root: IConstruct): Record<string, Record<string, string>> {
  const found: Record<string, Record<string, string>> = {};
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        (found[construct.node.path] ??= {})[id.replace(/^annotation::/i, '')] = reason;
      }
    }
  }
  return found;
}

/** Runs AWS Solutions checks the way the app would (a validation plugin at synth) and returns what is left. */
function nag(context: Record<string, unknown>) {
  const { app } = buildStack(context);
  const checks = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(checks);
  // Synthesis fails on any unacknowledged error-level finding...
  app.synth();
  // ...and this also lists warning-level ones, which synthesis lets through.
  return { violations: checks.validateScope(app).violations, acknowledged: acknowledgements(app) };
}

const XRAY_REASON =
  'Only X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) is granted on "*": these actions support no resource-level permissions.';

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['defaults (inference profile, direct-invoke fallback on)', {}],
    ['foundation model, fallback removed', { bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0', enableDirectInvokeFallback: 'false', executionApiPercentage: '100' }],
    ['alarm email, useApiGateway', { alarmEmail: 'ops@example.com', useApiGateway: 'true' }],
  ])('leaves zero unacknowledged findings: %s', (_name, context) => {
    expect(nag(context).violations).toEqual([]);
  });

  it('acknowledges only the narrowest findings, each with its reason', () => {
    const { acknowledged } = nag({});
    expect(acknowledged).toEqual({
      'SlackBedrockStack/SlackSecrets/SigningSecret': {
        'AwsSolutions-SMG4': expect.stringContaining('cannot be rotated by a Secrets Manager rotation Lambda'),
      },
      'SlackBedrockStack/SlackSecrets/BotToken': {
        'AwsSolutions-SMG4': expect.stringContaining('cannot be rotated by a Secrets Manager rotation Lambda'),
      },
      'SlackBedrockStack/Execution/DeadLetterQueue': {
        'AwsSolutions-SQS3': expect.stringContaining('itself the dead-letter queue'),
      },
      'SlackBedrockStack/Execution/Role': {
        'AwsSolutions-IAM5[Resource::*]': XRAY_REASON,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0]':
          expect.stringContaining('conditioned on bedrock:InferenceProfileArn'),
      },
      'SlackBedrockStack/VerificationRole': {
        'AwsSolutions-IAM5[Resource::*]': XRAY_REASON,
      },
      'SlackBedrockStack/ExecutionApi/Api/CloudWatchRole': {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
          expect.stringContaining('execution logging'),
      },
      'SlackBedrockStack/ExecutionApi/Api/DeploymentStage.prod': {
        'AwsSolutions-APIG3': expect.stringContaining('WAF'),
      },
      'SlackBedrockStack/ExecutionApi/Api/Default/execute/POST': {
        'AwsSolutions-COG4': expect.stringContaining('AWS_IAM'),
      },
    });
  });

  it('does not acknowledge the Bedrock wildcard for a foundation model, which needs none', () => {
    const { acknowledged } = nag({ bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
    expect(Object.keys(acknowledged['SlackBedrockStack/Execution/Role'] ?? {})).toEqual(['AwsSolutions-IAM5[Resource::*]']);
  });

  it('reports a finding that nobody acknowledged (the check is live)', () => {
    const app = newApp();
    const stack = new Stack(app, 'Probe');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('fails synthesis on an unacknowledged error-level finding (the plugin is wired into synth)', () => {
    const app = newApp();
    const stack = new Stack(app, 'Probe');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
  });
});
