import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ExecutionApi } from '../src/constructs/execution-api';
import { ExecutionFunction } from '../src/constructs/execution-function';
import { IdempotencyTable } from '../src/constructs/idempotency-table';
import { type HandoffSettings, VerificationFunction, type VerificationFunctionProps } from '../src/constructs/verification-function';
import { ConstructPropsError, GrantError } from '../src/errors';
import { FIXTURE_BUNDLES, identityMethodArn, identityStatements, logicalIdOf, newApp } from './helpers';

function build(options: { handoff?: Partial<HandoffSettings>; fallback?: boolean; props?: Partial<VerificationFunctionProps>; otherRole?: boolean } = {}) {
  const stack = new Stack(newApp(), 'TestStack');
  const signingSecret = new secretsmanager.Secret(stack, 'SigningSecret');
  const execution = new ExecutionFunction(stack, 'Execution', {
    code: lambda.Code.fromAsset(FIXTURE_BUNDLES.execution),
    botTokenSecret: new secretsmanager.Secret(stack, 'BotToken'),
    idempotencyTable: new IdempotencyTable(stack, 'Idempotency').table,
    bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  });
  const role = new iam.Role(stack, 'VerificationRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const api = new ExecutionApi(stack, 'ExecutionApi', { handler: execution.function, invokerRole: role });
  const functionRole = options.otherRole
    ? new iam.Role(stack, 'OtherRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })
    : role;
  const verification = new VerificationFunction(stack, 'Verification', {
    code: lambda.Code.fromAsset(FIXTURE_BUNDLES.verification),
    role: functionRole,
    signingSecret,
    executionApi: api,
    handoff: {
      useApiGateway: false,
      apiGatewayPercentage: 10,
      directInvokeTarget: options.fallback === false ? undefined : execution,
      ...options.handoff,
    },
    ...options.props,
  });
  const template = Template.fromStack(stack);
  return { stack, verification, template };
}

function verificationFunctionProps(template: Template): Record<string, unknown> {
  const id = logicalIdOf(template, 'AWS::Lambda::Function', 'VerificationFunction');
  return (template.findResources('AWS::Lambda::Function')[id] as { Properties: Record<string, unknown> }).Properties;
}

describe('VerificationFunction', () => {
  it('runs main.handler on nodejs24.x, arm64, with tracing, its own log group and the given role', () => {
    const { template } = build();
    const props = verificationFunctionProps(template);
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'main.handler',
      Timeout: 10,
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: logicalIdOf(template, 'AWS::Logs::LogGroup', 'VerificationLogGroup') } },
      Role: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::IAM::Role', 'VerificationRole'), 'Arn'] },
    });
  });

  it('sits behind a Function URL with auth NONE', () => {
    const { template } = build();
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'VerificationFunction'), 'Arn'] },
    });
  });

  it('reads its secret through the Parameters and Secrets extension layer', () => {
    const { template } = build();
    const props = verificationFunctionProps(template) as { Layers: unknown[]; Environment: { Variables: Record<string, unknown> } };
    expect(props.Layers).toEqual([{ 'Fn::FindInMap': ['ParamsandsecretslayerMap', { Ref: 'AWS::Region' }, '1x0x103xarm64'] }]);
    const mapping = template.findMappings('ParamsandsecretslayerMap') as Record<string, Record<string, Record<string, string>>>;
    expect(mapping.ParamsandsecretslayerMap?.['us-east-1']?.['1x0x103xarm64']).toMatch(
      /^arn:aws:lambda:us-east-1:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
    );
    expect(props.Environment.Variables).toMatchObject({
      PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
      SECRETS_MANAGER_TTL: '300',
    });
  });

  it('sets the hand-off environment, with EXECUTION_FUNCTION_ARN and its alias BEDROCK_PROCESSOR_ARN while the fallback is enabled', () => {
    const { template } = build();
    const executionFunctionId = logicalIdOf(template, 'AWS::Lambda::Function', 'ExecutionFunction');
    const apiId = logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'ExecutionApi');
    const stageId = logicalIdOf(template, 'AWS::ApiGateway::Stage', 'ExecutionApi');
    const variables = (verificationFunctionProps(template) as { Environment: { Variables: Record<string, unknown> } }).Environment
      .Variables;
    expect(variables).toMatchObject({
      SLACK_SIGNING_SECRET_ARN: { Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SigningSecret') },
      USE_API_GATEWAY: 'false',
      USE_API_GATEWAY_PERCENTAGE: '10',
      EXECUTION_API_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'info',
      EXECUTION_FUNCTION_ARN: { 'Fn::GetAtt': [executionFunctionId, 'Arn'] },
      BEDROCK_PROCESSOR_ARN: { 'Fn::GetAtt': [executionFunctionId, 'Arn'] },
      EXECUTION_API_URL: {
        'Fn::Join': [
          '',
          ['https://', { Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: stageId }, '/'],
        ],
      },
    });
  });

  it('without the fallback, has neither EXECUTION_FUNCTION_ARN nor BEDROCK_PROCESSOR_ARN, no lambda:InvokeFunction grant and no extra Lambda permission', () => {
    const { template } = build({ fallback: false, handoff: { apiGatewayPercentage: 100 } });
    const variables = (verificationFunctionProps(template) as { Environment: { Variables: Record<string, unknown> } }).Environment
      .Variables;
    expect(variables).not.toHaveProperty('BEDROCK_PROCESSOR_ARN');
    expect(variables).not.toHaveProperty('EXECUTION_FUNCTION_ARN');
    expect(variables).toMatchObject({ USE_API_GATEWAY_PERCENTAGE: '100' });
    const actions = identityStatements(template).flatMap(({ statement }) => statement.Action);
    expect(actions).not.toContain('lambda:InvokeFunction');
    template.resourcePropertiesCountIs('AWS::Lambda::Permission', { Principal: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }) }, 0);
  });

  it('grants its role exactly: logs, X-Ray, its secret, execute-api:Invoke on one method, and the direct invoke', () => {
    const { template } = build();
    const policyId = logicalIdOf(template, 'AWS::IAM::Policy', 'VerificationRoleDefaultPolicy');
    const statements = identityStatements(template)
      .filter(({ policy }) => policy === policyId)
      .map(({ statement }) => statement);
    const apiId = logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'ExecutionApi');
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Logs::LogGroup', 'VerificationLogGroup'), 'Arn'] },
        },
        { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: { Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SigningSecret') },
        },
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: identityMethodArn(apiId) },
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'ExecutionFunction'), 'Arn'] },
        },
      ]),
    );
    expect(statements).toHaveLength(5);
  });

  it('refuses a role that is not the execution API invoker', () => {
    expect(() => build({ otherRole: true })).toThrow(GrantError);
  });

  describe('refused props', () => {
    it('refuses removing the direct path while some events still go direct', () => {
      expect(() => build({ fallback: false, handoff: { apiGatewayPercentage: 50 } })).toThrow(ConstructPropsError);
      expect(() => build({ fallback: false, handoff: { apiGatewayPercentage: 50 } })).toThrow(
        'VerificationFunction: "handoff.directInvokeTarget" is required unless every event goes by the execution API (useApiGateway, or apiGatewayPercentage 100; got 50)',
      );
    });

    it('accepts removing the direct path when useApiGateway sends everything by the API', () => {
      expect(() => build({ fallback: false, handoff: { useApiGateway: true, apiGatewayPercentage: 0 } })).not.toThrow();
    });

    it.each<[Partial<HandoffSettings>, Partial<VerificationFunctionProps>, string]>([
      [{ apiGatewayPercentage: 101 }, {}, 'VerificationFunction: "handoff.apiGatewayPercentage" must be an integer from 0 to 100, got 101'],
      [{}, { timeout: Duration.seconds(2) }, 'VerificationFunction: "timeout" must be from 3 to 60 seconds, got 2 seconds'],
      [
        {},
        { executionApiTimeout: Duration.seconds(10) },
        'VerificationFunction: "executionApiTimeout" must be at least 100 ms and shorter than the function timeout (10 seconds), got 10000 ms',
      ],
      [{}, { memorySize: 100 }, 'VerificationFunction: "memorySize" must be an integer from 128 to 10240, got 100'],
      [{}, { logLevel: 'loud' }, 'VerificationFunction: "logLevel" must be one of trace, debug, info, got "loud"'],
      [{}, { logLevel: 'warn' }, 'VerificationFunction: "logLevel" must be one of trace, debug, info, got "warn"'],
    ])('refuses handoff %p, props %p', (handoff, props, message) => {
      expect(() => build({ handoff, props })).toThrow(message);
    });
  });
});
