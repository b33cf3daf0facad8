import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ExecutionFunction, type ExecutionFunctionProps, formatDecimal } from '../src/constructs/execution-function';
import { IdempotencyTable } from '../src/constructs/idempotency-table';
import { ConstructPropsError, GrantError } from '../src/errors';
import { FIXTURE_BUNDLES, identityStatements, logicalIdOf, newApp, type TemplateStatement } from './helpers';

function build(props: Partial<ExecutionFunctionProps> = {}) {
  const stack = new Stack(newApp(), 'TestStack');
  const botToken = new secretsmanager.Secret(stack, 'BotToken');
  const table = new IdempotencyTable(stack, 'Idempotency').table;
  const execution = new ExecutionFunction(stack, 'Execution', {
    code: lambda.Code.fromAsset(FIXTURE_BUNDLES.execution),
    botTokenSecret: botToken,
    idempotencyTable: table,
    bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    ...props,
  });
  return { stack, execution, template: () => Template.fromStack(stack) };
}

function statementsOfExecutionRole(stack: Stack): TemplateStatement[] {
  const template = Template.fromStack(stack);
  const policyId = logicalIdOf(template, 'AWS::IAM::Policy', 'ExecutionRoleDefaultPolicy');
  return identityStatements(template)
    .filter(({ policy }) => policy === policyId)
    .map(({ statement }) => statement);
}

describe('ExecutionFunction', () => {
  it('runs main.handler on nodejs24.x, arm64, with tracing and its own log group', () => {
    const { template } = build();
    const t = template();
    const logGroupId = logicalIdOf(t, 'AWS::Logs::LogGroup', 'ExecutionLogGroup');
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'main.handler',
      Timeout: 120,
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('sets the contract environment', () => {
    const { template } = build({ systemPrompt: 'Be brief.' });
    const t = template();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          SLACK_BOT_TOKEN_ARN: { Ref: logicalIdOf(t, 'AWS::SecretsManager::Secret', 'BotToken') },
          IDEMPOTENCY_TABLE_NAME: { Ref: logicalIdOf(t, 'AWS::DynamoDB::GlobalTable', 'Idempotency') },
          BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0',
          BEDROCK_SYSTEM_PROMPT: 'Be brief.',
          BEDROCK_MAX_TOKENS: '2048',
          BEDROCK_TEMPERATURE: '0.3',
          THREAD_HISTORY_LIMIT: '20',
          LOG_LEVEL: 'info',
        },
      },
    });
  });

  it('leaves BEDROCK_SYSTEM_PROMPT unset by default, so the function uses its own prompt', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BEDROCK_SYSTEM_PROMPT: Match.absent() }) },
    });
  });

  it('retries asynchronous events twice, then sends them to an encrypted, TLS-only dead-letter queue', () => {
    const { template } = build();
    const t = template();
    const queueId = logicalIdOf(t, 'AWS::SQS::Queue', 'ExecutionDeadLetterQueue');
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      Qualifier: '$LATEST',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ],
      },
    });
  });

  it('grants exactly: logs, X-Ray, the DLQ, its secret, its table items and the one foundation model', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    const secretRef = { Ref: logicalIdOf(t, 'AWS::SecretsManager::Secret', 'BotToken') };
    const tableArn = { 'Fn::GetAtt': [logicalIdOf(t, 'AWS::DynamoDB::GlobalTable', 'Idempotency'), 'Arn'] };
    const queueArn = { 'Fn::GetAtt': [logicalIdOf(t, 'AWS::SQS::Queue', 'ExecutionDeadLetterQueue'), 'Arn'] };
    const logGroupArn = { 'Fn::GetAtt': [logicalIdOf(t, 'AWS::Logs::LogGroup', 'ExecutionLogGroup'), 'Arn'] };
    expect(statementsOfExecutionRole(stack)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logGroupArn },
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      { Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: queueArn },
      { Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: secretRef },
      {
        Effect: 'Allow',
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
      },
      {
        Sid: 'BedrockConverseOnConfiguredModel',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'],
          ],
        },
      },
    ]);
  });

  it('for an inference profile, grants the profile and the model only when called through that profile', () => {
    const { stack } = build({ bedrockModelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' });
    const profileArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':bedrock:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        ],
      ],
    };
    const bedrock = statementsOfExecutionRole(stack).filter((s) => JSON.stringify(s.Action).includes('bedrock'));
    expect(bedrock).toEqual([
      { Sid: 'BedrockConverseOnConfiguredInferenceProfile', Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: profileArn },
      {
        Sid: 'BedrockConverseOnProfileModelThroughProfileOnly',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0']],
        },
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      },
    ]);
  });

  it('attaches no managed policy to its role', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
  });

  describe('grantDirectInvoke', () => {
    it('writes the identity grant on the function ARN and a resource-policy statement for the role', () => {
      const { stack, execution } = build();
      const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      execution.grantDirectInvoke(caller);
      const t = Template.fromStack(stack);
      const callerId = logicalIdOf(t, 'AWS::IAM::Role', 'Caller');
      const functionId = logicalIdOf(t, 'AWS::Lambda::Function', 'ExecutionFunction');
      t.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Principal: { 'Fn::GetAtt': [callerId, 'Arn'] },
      });
      const callerPolicy = logicalIdOf(t, 'AWS::IAM::Policy', 'CallerDefaultPolicy');
      expect(identityStatements(t).filter(({ policy }) => policy === callerPolicy).map(({ statement }) => statement)).toEqual([
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [functionId, 'Arn'] } },
      ]);
    });

    it('refuses a grantee that is not a role', () => {
      const { execution } = build();
      expect(() => execution.grantDirectInvoke(new iam.AccountRootPrincipal())).toThrow(GrantError);
      expect(() => execution.grantDirectInvoke(new iam.AccountRootPrincipal())).toThrow(
        'ExecutionFunction TestStack/Execution: grantDirectInvoke needs a grantee whose principal is an IAM role',
      );
    });
  });

  describe('refused props', () => {
    it.each<[Partial<ExecutionFunctionProps>, string]>([
      [
        { bedrockModelId: 'claude' },
        'ExecutionFunction: "bedrockModelId" must be a Bedrock model id or inference profile id (e.g. anthropic.claude-3-haiku-20240307-v1:0), got "claude"',
      ],
      [{ maxTokens: 0 }, 'ExecutionFunction: "maxTokens" must be an integer from 1 to 65536, got 0'],
      [{ temperature: 1.5 }, 'ExecutionFunction: "temperature" must be a number from 0 to 1, got 1.5'],
      [{ threadHistoryLimit: 201 }, 'ExecutionFunction: "threadHistoryLimit" must be an integer from 0 to 200, got 201'],
      [{ retryAttempts: 3 }, 'ExecutionFunction: "retryAttempts" must be an integer from 0 to 2, got 3'],
      [
        { timeout: Duration.seconds(10) },
        'ExecutionFunction: "timeout" must be from 30 seconds to 15 minutes (Bedrock answers take tens of seconds), got 10 seconds',
      ],
      [{ maxEventAge: Duration.hours(7) }, 'ExecutionFunction: "maxEventAge" must be from 1 minute to 6 hours, got 7 hours'],
      [{ memorySize: 64 }, 'ExecutionFunction: "memorySize" must be an integer from 128 to 10240, got 64'],
      [{ logLevel: 'verbose' }, 'ExecutionFunction: "logLevel" must be one of trace, debug, info, warn, error, fatal, silent, got "verbose"'],
      [{ systemPrompt: '  ' }, 'ExecutionFunction: "systemPrompt" must not be empty (omit it for the default prompt)'],
    ])('refuses %p', (props, message) => {
      expect(() => build(props)).toThrow(ConstructPropsError);
      expect(() => build(props)).toThrow(message);
    });
  });
});

describe('formatDecimal', () => {
  it.each([
    [0.3, '0.3'],
    [1, '1'],
    [0, '0'],
    [1e-7, '0.0000001'],
    [2.5e-7, '0.00000025'],
  ])('writes %p as %p, in the plain decimal form the execution Lambda parses', (value, expected) => {
    expect(formatDecimal(value)).toBe(expected);
    expect(expected).toMatch(/^\d+(\.\d+)?$/);
  });
});
