import { Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseDeploymentSettings } from '../src/config';
import { addCrossAccountStacks } from '../src/cross-account-app';
import { ContextError } from '../src/errors';
import { executionApiResourcePolicy } from '@slack-ai-app/execution-api-contract';
import { CROSS_ACCOUNT_STACKS } from '@slack-ai-app/stack-contract';
import { parseLayout } from '../src/layout';
import { actionsOf, FIXTURE_BUNDLES, identityStatements, logicalIdOf, newApp, resourcesOf } from './helpers';

const VERIFY = '111111111111';
const EXEC = '222222222222';
const API_ID = 'a1b2c3d4e5';
const ROLE_ARN = `arn:aws:iam::${VERIFY}:role/slack-ai-app-verification-us-east-1`;
const METHOD_ARN = `arn:aws:execute-api:us-east-1:${EXEC}:${API_ID}/prod/POST/execute`;
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${EXEC}:function:slack-ai-app-execution`;
const LAYOUT = { verificationAccount: VERIFY, executionAccount: EXEC, executionRegion: 'us-east-1' };

/** Builds the two-account app from raw context values, as `cdk synth -c key=value` would (no CDK_DEFAULT_REGION). */
function build(context: Record<string, unknown>) {
  const app = newApp(context);
  const get = (key: string) => app.node.tryGetContext(key) as unknown;
  const layout = parseLayout(get, undefined);
  if (layout === undefined) throw new Error('expected the two-account layout');
  const stacks = addCrossAccountStacks(app, parseDeploymentSettings(get), layout, FIXTURE_BUNDLES);
  return { app, ...stacks };
}

function templates(context: Record<string, unknown> = {}) {
  const { execution, verification } = build({ ...LAYOUT, executionApiId: API_ID, ...context });
  if (verification === undefined) throw new Error('expected the verification stack');
  return { exec: Template.fromStack(execution), verify: Template.fromStack(verification), execution, verification };
}

function maskAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '[asset-hash]')) as unknown;
}

describe('parseLayout', () => {
  const from = (context: Record<string, unknown>, region?: string) => parseLayout((key) => context[key], region);

  it('is the same-account layout without the account keys', () => {
    expect(from({})).toBeUndefined();
  });

  it('reads both accounts, one Region for both, and the API id', () => {
    expect(from({ ...LAYOUT, executionApiId: API_ID })).toEqual({
      verification: { account: VERIFY, region: 'us-east-1' },
      execution: { account: EXEC, region: 'us-east-1' },
      executionApiId: API_ID,
    });
  });

  it('takes a Region per account, or the CLI profile Region', () => {
    expect(from({ verificationAccount: VERIFY, executionAccount: EXEC, verificationRegion: 'eu-west-1', executionRegion: 'us-west-2' })).toMatchObject({
      verification: { region: 'eu-west-1' },
      execution: { region: 'us-west-2' },
    });
    expect(from({ verificationAccount: VERIFY, executionAccount: EXEC }, 'eu-central-1')).toMatchObject({
      verification: { region: 'eu-central-1' },
      execution: { region: 'eu-central-1' },
    });
  });

  it.each([
    [{ verificationAccount: VERIFY }, 'Context "executionAccount" is required with verificationAccount: the two-account layout needs both accounts'],
    [{ ...LAYOUT, executionAccount: '2222' }, 'Context "executionAccount" must be a 12-digit AWS account id, got "2222"'],
    [{ verificationAccount: VERIFY, executionAccount: EXEC }, `Context "verificationRegion" is required in the two-account layout (each stack names the other's ARNs, which include the Region); pass -c executionRegion=<region>`],
    [{ ...LAYOUT, executionRegion: 'Mars' }, 'Context "verificationRegion" must be an AWS Region such as us-east-1, got "Mars"'],
    [{ ...LAYOUT, executionApiId: 'https://x' }, `Context "executionApiId" must be the execution stack's ExecutionApiId output (10 lower-case letters and digits), got "https://x"`],
    [{ executionApiId: API_ID }, 'Context "executionApiId" applies only to the two-account layout: give verificationAccount and executionAccount too'],
  ])('refuses %j', (context, message) => {
    expect(() => from(context)).toThrow(ContextError);
    expect(() => from(context)).toThrow(message);
  });
});

describe('two-account layout', () => {
  const { exec, verify, execution, verification } = templates();

  it('puts each stack in its own account and Region', () => {
    expect(execution.stackName).toBe(CROSS_ACCOUNT_STACKS.execution);
    expect([execution.account, execution.region]).toEqual([EXEC, 'us-east-1']);
    expect(verification.stackName).toBe(CROSS_ACCOUNT_STACKS.verification);
    expect([verification.account, verification.region]).toEqual([VERIFY, 'us-east-1']);
    expect(verification.dependencies).toEqual([execution]);
  });

  it('splits the resources: execution side in the execution account, verification side in the verification account', () => {
    exec.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    exec.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    exec.resourceCountIs('AWS::SQS::Queue', 1);
    exec.resourceCountIs('AWS::SecretsManager::Secret', 1);
    exec.resourceCountIs('AWS::Lambda::Function', 1);
    exec.resourceCountIs('AWS::Lambda::Url', 0);
    exec.hasResourceProperties('AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('^Slack bot token') });
    verify.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    verify.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    verify.resourceCountIs('AWS::SQS::Queue', 0);
    verify.resourceCountIs('AWS::SecretsManager::Secret', 1);
    verify.resourceCountIs('AWS::Lambda::Function', 1);
    verify.resourceCountIs('AWS::Lambda::Url', 1);
    verify.hasResourceProperties('AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('^Slack app signing secret') });
  });

  it('names the verification role and the execution function deterministically', () => {
    verify.hasResourceProperties('AWS::IAM::Role', { RoleName: 'slack-ai-app-verification-us-east-1' });
    exec.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'slack-ai-app-execution' });
  });

  it('resource side: the API allows exactly the verification role ARN on POST /execute and explicitly denies everyone else', () => {
    // The contract's policy (its own tests pin the statements), for exactly this role ARN, by account.
    exec.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: executionApiResourcePolicy({ allowedPrincipalArn: ROLE_ARN, principalByAccount: true }),
    });
    const [allow, deny] = executionApiResourcePolicy({ allowedPrincipalArn: ROLE_ARN, principalByAccount: true }).Statement;
    expect([allow?.Principal, allow?.Condition, allow?.Resource]).toEqual([
      { AWS: `arn:aws:iam::${VERIFY}:root` },
      { ArnEquals: { 'aws:PrincipalArn': ROLE_ARN } },
      'execute-api:/prod/POST/execute',
    ]);
    expect(deny?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': ROLE_ARN } });
  });

  it('identity side: the verification role may call execute-api:Invoke on exactly that method ARN, and invoke exactly that function', () => {
    const statements = identityStatements(verify).map(({ statement }) => statement);
    const invokeApi = statements.filter((statement) => actionsOf(statement).includes('execute-api:Invoke'));
    expect(invokeApi).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: METHOD_ARN })]);
    const invokeFunction = statements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invokeFunction).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FUNCTION_ARN })]);
    const policy = verify.findResources('AWS::IAM::Policy');
    const roleId = logicalIdOf(verify, 'AWS::IAM::Role', 'VerificationRole');
    for (const resource of Object.values(policy) as Array<{ Properties: { Roles: unknown[] } }>) {
      expect(resource.Properties.Roles).toEqual([{ Ref: roleId }]);
    }
  });

  it('the verification Lambda calls the API of the execution account and names its function for the fallback', () => {
    verify.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          EXECUTION_API_URL: `https://${API_ID}.execute-api.us-east-1.amazonaws.com/prod/`,
          EXECUTION_FUNCTION_ARN: FUNCTION_ARN,
          BEDROCK_PROCESSOR_ARN: FUNCTION_ARN,
        }),
      },
    });
  });

  it('resource side of the fallback: the execution function admits the verification account, and the API method', () => {
    const permissions = Object.values(exec.findResources('AWS::Lambda::Permission')).map(
      (resource) => (resource as { Properties: { Principal: unknown; Action: string } }).Properties,
    );
    expect(permissions.map((p) => [p.Action, p.Principal])).toEqual(
      expect.arrayContaining([
        ['lambda:InvokeFunction', VERIFY],
        ['lambda:InvokeFunction', 'apigateway.amazonaws.com'],
      ]),
    );
    expect(permissions).toHaveLength(2);
  });

  it('without the fallback both sides of the direct-invoke grant are gone', () => {
    const cleaned = templates({ executionApiPercentage: '100', enableDirectInvokeFallback: 'false' });
    const actions = identityStatements(cleaned.verify).flatMap(({ statement }) => actionsOf(statement));
    expect(actions).not.toContain('lambda:InvokeFunction');
    expect(actions).toContain('execute-api:Invoke');
    cleaned.exec.resourcePropertiesCountIs('AWS::Lambda::Permission', { Principal: VERIFY }, 0);
    cleaned.exec.resourceCountIs('AWS::Lambda::Permission', 1);
    const variables = Object.values(cleaned.verify.findResources('AWS::Lambda::Function')).map(
      (resource) => (resource as { Properties: { Environment: { Variables: Record<string, string> } } }).Properties.Environment.Variables,
    );
    expect(variables[0]).not.toHaveProperty('BEDROCK_PROCESSOR_ARN');
    expect(variables[0]).not.toHaveProperty('EXECUTION_FUNCTION_ARN');
  });

  it('gives each stack its own alarms and dashboard, on its own layer', () => {
    const alarmNames = (template: Template) =>
      Object.keys(template.findResources('AWS::CloudWatch::Alarm'))
        .map((id) => /^Monitoring(\w+?)Alarm[0-9A-F]{8}$/.exec(id)?.[1])
        .sort();
    expect(alarmNames(exec)).toEqual(['Api5xx', 'ApiLatencyP95', 'DeadLetterQueueDepth', 'ExecutionErrors', 'ExecutionThrottles']);
    expect(alarmNames(verify)).toEqual(['ApiAuthErrors', 'FallbackRate', 'VerificationErrors', 'VerificationThrottles']);
    exec.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    verify.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    exec.resourceCountIs('AWS::SNS::Topic', 1);
    verify.resourceCountIs('AWS::SNS::Topic', 1);
    exec.resourceCountIs('AWS::Logs::MetricFilter', 0);
    verify.resourceCountIs('AWS::Logs::MetricFilter', 0);
  });

  it('outputs what the other deploy and the rollout tool read', () => {
    expect(Object.keys(exec.findOutputs('*')).sort()).toEqual([
      'AlarmTopicArn',
      'DashboardName',
      'DeadLetterQueueUrl',
      'ExecutionApiEndpoint5F734788',
      'ExecutionApiId',
      'ExecutionApiName',
      'ExecutionApiUrl',
      'SlackBotTokenSecretArn',
    ]);
    expect(exec.findOutputs('ExecutionApiId').ExecutionApiId.Value).toEqual({ Ref: logicalIdOf(exec, 'AWS::ApiGateway::RestApi', 'ExecutionApi') });
    expect(Object.keys(verify.findOutputs('*')).sort()).toEqual([
      'AlarmTopicArn',
      'DashboardName',
      'ExecutionApiName',
      'ExecutionApiUrl',
      'SlackEventsUrl',
      'SlackSigningSecretArn',
      'VerificationFunctionName',
    ]);
    verify.hasOutput('ExecutionApiUrl', { Value: `https://${API_ID}.execute-api.us-east-1.amazonaws.com/prod/` });
    verify.hasOutput('ExecutionApiName', { Value: 'SlackAiExecution-execution-api' });
    exec.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'SlackAiExecution-execution-api' });
  });

  it('builds only the execution stack until the API id is known, and says what to pass', () => {
    const { app, execution, verification } = build(LAYOUT);
    expect(verification).toBeUndefined();
    expect(app.node.children.map((child) => child.node.id)).toEqual(['SlackAiExecution']);
    Annotations.fromStack(execution).hasWarning(
      '/SlackAiExecution',
      Match.stringLikeRegexp(
        'SlackAiVerification is built once the execution API exists: deploy SlackAiExecution, then pass -c executionApiId=<its ExecutionApiId output>',
      ),
    );
  });

  it('leaves zero unacknowledged cdk-nag findings on both stacks', () => {
    for (const context of [{}, { executionApiPercentage: '100', enableDirectInvokeFallback: 'false', alarmEmail: 'ops@example.com' }]) {
      const { app } = build({ ...LAYOUT, executionApiId: API_ID, ...context });
      const checks = new AwsSolutionsChecks(app);
      Validations.of(app).addPlugins(checks);
      app.synth();
      expect(checks.validateScope(app).violations).toEqual([]);
    }
  });

  it('matches the snapshots, asset hashes masked', () => {
    expect(maskAssetHashes(exec.toJSON())).toMatchSnapshot('SlackAiExecution');
    expect(maskAssetHashes(verify.toJSON())).toMatchSnapshot('SlackAiVerification');
  });
});

describe('resource ARNs across partitions', () => {
  it('uses the partition and domain of the Region', () => {
    const { verify } = templates({ executionRegion: 'cn-north-1', verificationRegion: 'cn-north-1', functionArchitecture: 'x86_64' });
    const statements = identityStatements(verify).map(({ statement }) => statement);
    expect(statements.flatMap(resourcesOf)).toEqual(
      expect.arrayContaining([
        `arn:aws-cn:execute-api:cn-north-1:${EXEC}:${API_ID}/prod/POST/execute`,
        `arn:aws-cn:lambda:cn-north-1:${EXEC}:function:slack-ai-app-execution`,
      ]),
    );
  });
});
