import * as path from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_SETTINGS } from '../src/config';
import { LambdaBundleMissingError } from '../src/errors';
import { DEFAULT_LAMBDA_BUNDLES, SlackBedrockStack } from '../src/slack-bedrock-stack';
import { actionsOf, buildStack, identityStatements, logicalIdOf, newApp, resourcesOf, stageMethodArn } from './helpers';

const { template } = buildStack();

function functionVariables(t: Template, prefix: string): Record<string, unknown> {
  const id = logicalIdOf(t, 'AWS::Lambda::Function', prefix);
  return (t.findResources('AWS::Lambda::Function')[id] as { Properties: { Environment: { Variables: Record<string, unknown> } } })
    .Properties.Environment.Variables;
}

describe('SlackBedrockStack', () => {
  it('deploys exactly two functions, one REST API, one table, two secrets, one queue and one dashboard', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  describe('data and secrets', () => {
    it('keeps idempotency records in an on-demand, encrypted table with TTL and point-in-time recovery', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        SSESpecification: { SSEEnabled: true },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      });
    });

    it('never puts a secret value in the template', () => {
      const secrets = template.findResources('AWS::SecretsManager::Secret') as Record<string, { Properties: Record<string, unknown> }>;
      for (const secret of Object.values(secrets)) {
        expect(secret.Properties).not.toHaveProperty('SecretString');
        expect(secret.Properties).toHaveProperty('GenerateSecretString');
      }
    });

    it('gives each function read on its own secret only', () => {
      const signing = { Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SlackSecretsSigningSecret') };
      const bot = { Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SlackSecretsBotToken') };
      const readers = (secret: unknown) =>
        identityStatements(template)
          .filter(({ statement }) => actionsOf(statement).includes('secretsmanager:GetSecretValue'))
          .filter(({ statement }) => JSON.stringify(resourcesOf(statement)) === JSON.stringify([secret]))
          .map(({ policy }) => policy);
      expect(readers(signing)).toEqual([logicalIdOf(template, 'AWS::IAM::Policy', 'VerificationRoleDefaultPolicy')]);
      expect(readers(bot)).toEqual([logicalIdOf(template, 'AWS::IAM::Policy', 'ExecutionRoleDefaultPolicy')]);
    });
  });

  describe('least privilege', () => {
    const statements = identityStatements(template).map(({ statement }) => statement);

    it('grants no wildcard action', () => {
      const actions = statements.flatMap(actionsOf);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    });

    it('scopes every grant to exactly one resource, and uses "*" only for X-Ray, which has no resource-level permissions', () => {
      for (const statement of statements) {
        expect(resourcesOf(statement)).toHaveLength(1);
        if (statement.Resource === '*') {
          expect(actionsOf(statement)).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        }
      }
    });

    it('attaches a managed policy only to API Gateway account role for CloudWatch logging', () => {
      const roles = template.findResources('AWS::IAM::Role') as Record<string, { Properties: { ManagedPolicyArns?: unknown[] } }>;
      const withManaged = Object.entries(roles).filter(([, role]) => role.Properties.ManagedPolicyArns !== undefined);
      expect(withManaged.map(([id]) => id)).toEqual([expect.stringMatching(/^ExecutionApiCloudWatchRole/)]);
      expect(JSON.stringify(withManaged[0]?.[1].Properties.ManagedPolicyArns)).toContain(
        'policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
      );
    });

    it('grants Bedrock InvokeModel (Converse) and InvokeModelWithResponseStream (ConverseStream) only on the configured model', () => {
      const bedrock = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));
      expect(bedrock.flatMap(actionsOf)).toEqual([
        'bedrock:InvokeModel',
        'bedrock:InvokeModelWithResponseStream',
        'bedrock:InvokeModel',
        'bedrock:InvokeModelWithResponseStream',
      ]);
      expect(JSON.stringify(bedrock)).toContain('inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0');
      expect(JSON.stringify(bedrock)).toContain(':bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0');
    });

    it('follows bedrockModelId from context', () => {
      const { template: haiku } = buildStack({ bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
      expect(functionVariables(haiku, 'ExecutionFunction')).toMatchObject({ BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0' });
      const bedrock = identityStatements(haiku)
        .map(({ statement }) => statement)
        .filter((s) => actionsOf(s).includes('bedrock:InvokeModel'));
      expect(bedrock).toHaveLength(1);
      expect(JSON.stringify(bedrock[0]?.Resource)).toContain('::foundation-model/anthropic.claude-3-haiku-20240307-v1:0');
    });

    it('lets the execution function be invoked only by the API method and the verification role', () => {
      const permissions = template.findResources('AWS::Lambda::Permission') as Record<string, { Properties: Record<string, unknown> }>;
      const executionArn = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'ExecutionFunction'), 'Arn'] };
      const onExecution = Object.values(permissions)
        .map((p) => p.Properties)
        .filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify(executionArn));
      expect(onExecution).toHaveLength(2);
      expect(onExecution).toEqual(
        expect.arrayContaining([
          {
            Action: 'lambda:InvokeFunction',
            FunctionName: executionArn,
            Principal: 'apigateway.amazonaws.com',
            SourceArn: stageMethodArn(
              logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'ExecutionApi'),
              logicalIdOf(template, 'AWS::ApiGateway::Stage', 'ExecutionApi'),
            ),
          },
          {
            Action: 'lambda:InvokeFunction',
            FunctionName: executionArn,
            Principal: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::IAM::Role', 'VerificationRole'), 'Arn'] },
          },
        ]),
      );
    });
  });

  describe('enableDirectInvokeFallback', () => {
    it('by default keeps BEDROCK_PROCESSOR_ARN and the lambda:InvokeFunction grant on the execution function only', () => {
      const executionArn = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'ExecutionFunction'), 'Arn'] };
      expect(functionVariables(template, 'VerificationFunction')).toMatchObject({ EXECUTION_FUNCTION_ARN: executionArn, BEDROCK_PROCESSOR_ARN: executionArn });
      const invokes = identityStatements(template).filter(({ statement }) => actionsOf(statement).includes('lambda:InvokeFunction'));
      expect(invokes).toEqual([
        {
          policy: logicalIdOf(template, 'AWS::IAM::Policy', 'VerificationRoleDefaultPolicy'),
          statement: { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: executionArn },
        },
      ]);
    });

    it('false removes BEDROCK_PROCESSOR_ARN, the grant and the resource-policy statement', () => {
      const { template: cleaned } = buildStack({ enableDirectInvokeFallback: 'false', executionApiPercentage: '100' });
      expect(functionVariables(cleaned, 'VerificationFunction')).not.toHaveProperty('BEDROCK_PROCESSOR_ARN');
      expect(functionVariables(cleaned, 'VerificationFunction')).not.toHaveProperty('EXECUTION_FUNCTION_ARN');
      const actions = identityStatements(cleaned).flatMap(({ statement }) => actionsOf(statement));
      expect(actions).not.toContain('lambda:InvokeFunction');
      cleaned.resourcePropertiesCountIs(
        'AWS::Lambda::Permission',
        { Principal: { 'Fn::GetAtt': [logicalIdOf(cleaned, 'AWS::IAM::Role', 'VerificationRole'), 'Arn'] } },
        0,
      );
    });
  });

  describe('hand-off switches from context', () => {
    it('default: API Gateway off, 0 %', () => {
      expect(functionVariables(template, 'VerificationFunction')).toMatchObject({
        USE_API_GATEWAY: 'false',
        USE_API_GATEWAY_PERCENTAGE: '0',
        EXECUTION_API_TIMEOUT_MS: '2000',
        SLACK_SIGNING_SECRET_ARN: { Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SlackSecretsSigningSecret') },
      });
    });

    it('-c executionApiPercentage=10 and -c useApiGateway=true reach the environment', () => {
      expect(functionVariables(buildStack({ executionApiPercentage: '10' }).template, 'VerificationFunction')).toMatchObject({
        USE_API_GATEWAY_PERCENTAGE: '10',
      });
      expect(functionVariables(buildStack({ useApiGateway: 'true' }).template, 'VerificationFunction')).toMatchObject({
        USE_API_GATEWAY: 'true',
      });
    });

    it('warns that the percentage is ignored while useApiGateway is on', () => {
      const { stack } = buildStack({ useApiGateway: 'true', executionApiPercentage: '10' });
      Annotations.fromStack(stack).hasWarning(
        '/SlackBedrockStack',
        Match.stringLikeRegexp('useApiGateway=true sends every event by the execution API; executionApiPercentage=10 is ignored'),
      );
    });
  });

  describe('dead-letter queue', () => {
    it('is the on-failure destination of the execution function, after two retries', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'ExecutionFunction') },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'ExecutionDeadLetterQueue'), 'Arn'] } },
        },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    });
  });

  describe('monitoring', () => {
    const topicRef = () => ({ Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic') });

    it('has nine alarms; the five that need a person notify the alarm topic, the rest are on the dashboard only', () => {
      template.resourceCountIs('AWS::CloudWatch::Alarm', 9);
      template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [topicRef()], OKActions: [topicRef()] }, 5);
      const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, { Properties: Record<string, unknown> }>;
      const notifying = Object.entries(alarms)
        .filter(([, alarm]) => alarm.Properties['AlarmActions'] !== undefined)
        .map(([id]) => id.replace(/^Monitoring(\w+?)Alarm[0-9A-F]{8}$/, '$1'))
        .sort();
      expect(notifying).toEqual(['Api5xx', 'ApiAuthErrors', 'ApiLatencyP95', 'DeadLetterQueueDepth', 'FallbackRate']);
    });

    it('has no alarm on API 4XX (internet scans), but keeps 4XXError on the dashboard', () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, unknown> }>;
      expect(alarms.filter((alarm) => alarm.Properties['MetricName'] === '4XXError')).toEqual([]);
      const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as { Properties: { DashboardBody: unknown } };
      expect(JSON.stringify(dashboard.Properties.DashboardBody)).toContain('\\"4XXError\\"');
    });

    it('alarms on API 5XX and p95 latency of the prod stage', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topicRef()],
        Dimensions: [
          { Name: 'ApiName', Value: 'SlackBedrockStack-execution-api' },
          { Name: 'Stage', Value: { Ref: logicalIdOf(template, 'AWS::ApiGateway::Stage', 'ExecutionApi') } },
        ],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [topicRef()],
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        ExtendedStatistic: 'p95',
        Threshold: 1000,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    it('alarms on any message in the dead-letter queue', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'ExecutionDeadLetterQueue'), 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    it('alarms on errors and throttles of each function, on the dashboard only', () => {
      for (const fn of ['VerificationFunction', 'ExecutionFunction']) {
        for (const metricName of ['Errors', 'Throttles']) {
          template.hasResourceProperties('AWS::CloudWatch::Alarm', {
            Namespace: 'AWS/Lambda',
            MetricName: metricName,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', fn) } }],
            Threshold: 1,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            AlarmActions: Match.absent(),
            OKActions: Match.absent(),
          });
        }
      }
    });

    it('alarms on 403s seen by the verification Lambda (HandoffAuthError, path=api)', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'SlackAiApp',
        MetricName: 'HandoffAuthError',
        Dimensions: [{ Name: 'path', Value: 'api' }],
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [topicRef()],
      });
    });

    it('alarms on the rollout gate’s fallback rate: HandoffFallback over API-path hand-offs (EMF, path=api), above 5 %', () => {
      const term = (id: string, metricName: string) =>
        Match.objectLike({
          Id: id,
          ReturnData: false,
          MetricStat: {
            Metric: { Namespace: 'SlackAiApp', MetricName: metricName, Dimensions: [{ Name: 'path', Value: 'api' }] },
            Period: 300,
            Stat: 'Sum',
          },
        });
      const [fallbackAlarm] = Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
        .filter(([id]) => id.startsWith('MonitoringFallbackRateAlarm'))
        .map(([, resource]) => resource as { Properties: { Metrics: Array<{ Expression?: string }> } });
      expect(fallbackAlarm?.Properties.Metrics).toHaveLength(5);
      expect(fallbackAlarm?.Properties.Metrics[0]).toEqual({
        Id: 'expr_1',
        Expression:
          'IF(FILL(successes, 0) + FILL(errors, 0) + FILL(failures, 0) > 0, 100 * FILL(fallbacks, 0) / (FILL(successes, 0) + FILL(errors, 0) + FILL(failures, 0)), 0)',
        Label: 'Fallback rate (%)',
        ReturnData: true,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: Match.arrayWith([
          term('fallbacks', 'HandoffFallback'),
          term('successes', 'HandoffSuccess'),
          term('errors', 'HandoffError'),
          term('failures', 'HandoffFailed'),
        ]),
      });
      template.resourceCountIs('AWS::Logs::MetricFilter', 0);
    });

    it('encrypts the alarm topic, refuses non-TLS publishers, and lets CloudWatch use the key', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key', 'MonitoringAlarmTopicKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
    });

    it('subscribes an email only when alarmEmail is given', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      const { template: withEmail } = buildStack({ alarmEmail: 'ops@example.com' });
      withEmail.resourceCountIs('AWS::SNS::Subscription', 1);
      withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    });

    it('puts the hand-off, API Gateway, Lambda and DLQ metrics on the migration dashboard', () => {
      const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as { Properties: { DashboardBody: unknown } };
      const body = JSON.stringify(dashboard.Properties.DashboardBody);
      for (const metric of [
        'HandoffSuccess',
        'HandoffFallback',
        'HandoffError',
        'HandoffFailed',
        'HandoffAuthError',
        'HandoffLatency',
        'SlackAiApp',
        '\\"Count\\"',
        '4XXError',
        '5XXError',
        'Latency',
        'IntegrationLatency',
        'Errors',
        'Throttles',
        'Duration',
        'ApproximateNumberOfMessagesVisible',
      ]) {
        expect(body).toContain(metric);
      }
    });
  });

  describe('outputs', () => {
    it('exports the Slack request URL, the API URL and name, the DLQ URL, the dashboard and the function name', () => {
      const urlId = logicalIdOf(template, 'AWS::Lambda::Url', 'VerificationFunctionFunctionUrl');
      template.hasOutput('SlackEventsUrl', { Value: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] } });
      template.hasOutput('ExecutionApiUrl', { Value: { 'Fn::Join': Match.anyValue() } });
      template.hasOutput('ExecutionApiName', { Value: 'SlackBedrockStack-execution-api' });
      template.hasOutput('VerificationFunctionName', {
        Value: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'VerificationFunction') },
      });
      template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'ExecutionDeadLetterQueue') } });
      template.hasOutput('DashboardName', { Value: { Ref: logicalIdOf(template, 'AWS::CloudWatch::Dashboard', 'Monitoring') } });
      template.hasOutput('SlackSigningSecretArn', { Value: Match.anyValue() });
      template.hasOutput('SlackBotTokenSecretArn', { Value: Match.anyValue() });
      template.hasOutput('AlarmTopicArn', { Value: Match.anyValue() });
    });
  });

  describe('Lambda bundles', () => {
    it('defaults to the Nx build outputs under dist/apps', () => {
      const root = path.resolve(__dirname, '..', '..', '..');
      expect(DEFAULT_LAMBDA_BUNDLES).toEqual({
        verification: path.join(root, 'dist', 'apps', 'verification-lambda'),
        execution: path.join(root, 'dist', 'apps', 'execution-lambda'),
      });
    });

    it('refuses a bundle that has not been built, naming the build target', () => {
      const missing = path.join(__dirname, 'fixtures', 'not-built');
      const build = () =>
        new SlackBedrockStack(newApp(), 'Stack', {
          settings: DEFAULT_SETTINGS,
          lambdaBundles: { verification: missing, execution: path.join(__dirname, 'fixtures', 'execution-lambda') },
        });
      expect(build).toThrow(LambdaBundleMissingError);
      expect(build).toThrow(`Lambda bundle not found: ${missing}/main.js. Build it first: npx nx run verification-lambda:build`);
    });
  });
});
