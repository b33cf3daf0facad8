/**
 * The stack's real policies. `fixtures/synthesized-policies.json` is a committed copy of the policy documents of
 * `nx run infra:synth` (tokens resolved to local names; see its `_source`): tools may not import apps/infra, and a
 * fixed copy keeps this suite fast and deterministic. The copy is refreshed by hand when the stack's policies change.
 */
import fixture from '../fixtures/synthesized-policies.json';
import { authorize, expandExecuteApiShorthand, iamAccessDeniedMessage, type AuthorizationRequest, type CallerPrincipal, type PolicyDocument } from '../../src';
import { service } from '../support/principals';

const ACCOUNT = '000000000000';
const API_PREFIX = `arn:aws:execute-api:us-east-1:${ACCOUNT}:localapi`;
const METHOD = `${API_PREFIX}/prod/POST/execute`;
const docs = fixture as unknown as {
  identityPolicies: Record<'executionRole' | 'verificationRole', PolicyDocument>;
  resourcePolicies: Record<'executionApi' | 'deadLetterQueue' | 'alarmTopicKey' | 'alarmTopic' | 'executionFunction' | 'verificationFunction', PolicyDocument>;
};

function role(name: string): CallerPrincipal {
  return { type: 'role', arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/fn`, accountId: ACCOUNT };
}
const verification = role('SlackBedrockStack-VerificationRole');
const execution = role('SlackBedrockStack-ExecutionRole');
const other = role('some-admin');
const adminPolicy: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

describe('the execution API policy with the roles\u2019 identity policies', () => {
  const apiPolicy = expandExecuteApiShorthand(docs.resourcePolicies.executionApi, API_PREFIX);
  const invoke = (principal: CallerPrincipal, identityPolicies: PolicyDocument[], resource = METHOD) =>
    authorize({ principal, action: 'execute-api:Invoke', resource, resourceAccountId: ACCOUNT, identityPolicies, resourcePolicy: apiPolicy });

  it('lets the verification role in', () => {
    expect(invoke(verification, [docs.identityPolicies.verificationRole])).toEqual({
      decision: 'allow',
      crossAccount: false,
      deciding: [
        { policy: 'identity', document: 0, index: 0, effect: 'Allow' },
        { policy: 'resource', document: 0, index: 0, sid: 'AllowVerificationRoleToInvokeExecute', effect: 'Allow' },
      ],
    });
  });

  it('keeps an allow-all role of the same account out with the explicit Deny', () => {
    expect(invoke(other, [adminPolicy])).toMatchObject({ decision: 'explicit_deny', deciding: [{ policy: 'resource', sid: 'DenyEveryoneElse', effect: 'Deny' }] });
  });

  it('gives the verification role nothing but POST /execute on the prod stage', () => {
    expect(invoke(verification, [docs.identityPolicies.verificationRole], `${API_PREFIX}/prod/GET/execute`).decision).toBe('implicit_deny');
  });

  it('lets the execution role nowhere', () => {
    expect(invoke(execution, [docs.identityPolicies.executionRole])).toMatchObject({ decision: 'explicit_deny' });
  });
});

describe('the execution role\u2019s identity policy', () => {
  const base = { principal: execution, resourceAccountId: ACCOUNT, identityPolicies: [docs.identityPolicies.executionRole] };
  it.each<[string, string, string]>([
    ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:slack-ai-app/bot-token-AbCdEf`, 'allow'],
    ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:slack-ai-app/signing-secret-GhIjKl`, 'implicit_deny'],
    ['dynamodb:PutItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/SlackBedrockStack-IdempotencyTable`, 'allow'],
    ['dynamodb:Scan', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/SlackBedrockStack-IdempotencyTable`, 'implicit_deny'],
    ['bedrock:InvokeModel', `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0`, 'allow'],
    ['logs:PutLogEvents', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/slack-ai-app-execution:log-stream:x`, 'allow'],
  ])('%s on %s → %s', (action, resource, expected) => {
    expect(authorize({ ...base, action, resource }).decision).toBe(expected);
  });

  it('reaches the foundation model only through the configured inference profile (StringEquals bedrock:InferenceProfileArn)', () => {
    const model = 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0';
    const profile = `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0`;
    const request: AuthorizationRequest = { ...base, action: 'bedrock:InvokeModel', resource: model };
    expect(authorize({ ...request, context: { 'bedrock:InferenceProfileArn': profile } }).decision).toBe('allow');
    expect(authorize(request).decision).toBe('implicit_deny');
    expect(authorize({ ...request, context: { 'bedrock:InferenceProfileArn': `${profile}-other` } }).decision).toBe('implicit_deny');
  });
});

describe('queue, topic and key policies: the SecureTransport Deny', () => {
  const sendToQueue = (secure: string) =>
    authorize({
      principal: execution,
      action: 'sqs:SendMessage',
      resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:SlackBedrockStack-ExecutionDeadLetterQueue`,
      resourceAccountId: ACCOUNT,
      identityPolicies: [docs.identityPolicies.executionRole],
      resourcePolicy: docs.resourcePolicies.deadLetterQueue,
      context: { 'aws:SecureTransport': secure },
    }).decision;

  it('denies plain HTTP to the dead-letter queue and allows TLS', () => {
    expect(sendToQueue('false')).toBe('explicit_deny');
    expect(sendToQueue('true')).toBe('allow');
  });

  it('today\u2019s topic policy lets CloudWatch publish nowhere: no statement allows it', () => {
    const request: AuthorizationRequest = {
      principal: service('cloudwatch.amazonaws.com'),
      action: 'sns:Publish',
      resource: `arn:aws:sns:us-east-1:${ACCOUNT}:SlackBedrockStack-MonitoringAlarmTopic`,
      resourceAccountId: ACCOUNT,
      identityPolicies: [],
      resourcePolicy: docs.resourcePolicies.alarmTopic,
      context: { 'aws:SecureTransport': 'true', 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:x` },
    };
    const result = authorize(request);
    expect(result).toEqual({ decision: 'implicit_deny', crossAccount: false, deciding: [], missing: 'resource' });
    expect(iamAccessDeniedMessage(request, result)).toBe(
      `User: cloudwatch.amazonaws.com is not authorized to perform: sns:Publish on resource: ${request.resource} because no resource-based policy allows the sns:Publish action`,
    );
  });

  it('the key policy lets CloudWatch use the key, and the account\u2019s roles only through their identity policies', () => {
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-0000-0000-000000000001`;
    const base = { action: 'kms:GenerateDataKey', resource: key, resourceAccountId: ACCOUNT, resourcePolicy: docs.resourcePolicies.alarmTopicKey, resourcePolicyRequired: true };
    expect(authorize({ ...base, principal: service('cloudwatch.amazonaws.com'), identityPolicies: [] }).decision).toBe('allow');
    expect(authorize({ ...base, principal: service('events.amazonaws.com'), identityPolicies: [] }).decision).toBe('implicit_deny');
    expect(authorize({ ...base, principal: execution, identityPolicies: [docs.identityPolicies.executionRole] }).decision).toBe('implicit_deny');
    expect(authorize({ ...base, principal: other, identityPolicies: [adminPolicy] }).decision).toBe('allow');
  });
});

describe('Lambda function policies', () => {
  const executionFunction = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:SlackBedrockStack-ExecutionFunction`;
  const apiGateway = service('apigateway.amazonaws.com');
  const invokeExecution = (principal: CallerPrincipal, identityPolicies: PolicyDocument[], context: Record<string, string> = {}) =>
    authorize({ principal, action: 'lambda:InvokeFunction', resource: executionFunction, resourceAccountId: ACCOUNT, identityPolicies, resourcePolicy: docs.resourcePolicies.executionFunction, context }).decision;

  it('API Gateway may invoke the execution function for POST /execute of its stage only (aws:SourceArn)', () => {
    expect(invokeExecution(apiGateway, [], { 'aws:SourceArn': METHOD })).toBe('allow');
    expect(invokeExecution(apiGateway, [], { 'aws:SourceArn': `${API_PREFIX}/test/POST/execute` })).toBe('implicit_deny');
    expect(invokeExecution(apiGateway, [], {})).toBe('implicit_deny');
  });

  it('the verification role may invoke it directly; the execution role may not', () => {
    expect(invokeExecution(verification, [])).toBe('allow');
    expect(invokeExecution(execution, [docs.identityPolicies.executionRole])).toBe('implicit_deny');
  });

  it('anyone may call the verification function\u2019s URL (auth type NONE), and invoke it only through the URL', () => {
    const verificationFunction = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:SlackBedrockStack-VerificationFunction`;
    const anonymous: CallerPrincipal = { type: 'anonymous', arn: '*' };
    const call = (action: string, context: Record<string, string>) =>
      authorize({ principal: anonymous, action, resource: verificationFunction, resourceAccountId: ACCOUNT, identityPolicies: [], resourcePolicy: docs.resourcePolicies.verificationFunction, context }).decision;
    expect(call('lambda:InvokeFunctionUrl', { 'lambda:FunctionUrlAuthType': 'NONE' })).toBe('allow');
    expect(call('lambda:InvokeFunction', { 'lambda:InvokedViaFunctionUrl': 'true' })).toBe('allow');
    expect(call('lambda:InvokeFunction', {})).toBe('implicit_deny');
  });
});
