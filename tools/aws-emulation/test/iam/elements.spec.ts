/**
 * Action / NotAction, Resource / NotResource, and document validation. Source: IAM User Guide, "IAM JSON policy
 * element reference" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html): actions
 * match without case, resources with case; `*` and `?` are wildcards; NotAction / NotResource match everything except
 * the listed values.
 */
import { AuthorizationRequestError, MalformedPolicyError, UnsupportedPolicyFeatureError, authorize, type Decision, type PolicyDocument, type PolicyStatement } from '../../src';
import { OWNER, policy, roleSession } from '../support/principals';

const caller = roleSession(OWNER, 'caller');
const QUEUE = `arn:aws:sqs:us-east-1:${OWNER}:dead-letters`;

function decide(statement: PolicyStatement, action = 'sqs:SendMessage', resource = QUEUE): Decision {
  return authorize({ principal: caller, action, resource, resourceAccountId: OWNER, identityPolicies: [policy(statement)] }).decision;
}

describe('Action and NotAction', () => {
  it.each<[string | string[], string, Decision]>([
    ['sqs:SendMessage', 'sqs:SendMessage', 'allow'],
    ['SQS:sendmessage', 'sqs:SendMessage', 'allow'],
    ['sqs:Send*', 'sqs:SendMessageBatch', 'allow'],
    ['sqs:?endMessage', 'sqs:SendMessage', 'allow'],
    ['sqs:*', 'sns:Publish', 'implicit_deny'],
    ['*', 'sns:Publish', 'allow'],
    [['sns:Publish', 'sqs:SendMessage'], 'sqs:SendMessage', 'allow'],
    ['sqs:SendMessage', 'sqs:SendMessageBatch', 'implicit_deny'],
  ])('Action %j, request %s → %s', (pattern, action, expected) => {
    expect(decide({ Effect: 'Allow', Action: pattern, Resource: '*' }, action)).toBe(expected);
  });

  it('NotAction allows every action but the listed ones', () => {
    const statement: PolicyStatement = { Effect: 'Allow', NotAction: ['sqs:Delete*', 'iam:*'], Resource: '*' };
    expect(decide(statement, 'sqs:SendMessage')).toBe('allow');
    expect(decide(statement, 'sqs:DeleteQueue')).toBe('implicit_deny');
    expect(decide(statement, 'IAM:PassRole')).toBe('implicit_deny');
  });

  it('a Deny with NotAction denies everything but the listed actions', () => {
    const document = policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 'sqs:SendMessage', Resource: '*' });
    const run = (action: string): Decision =>
      authorize({ principal: caller, action, resource: QUEUE, resourceAccountId: OWNER, identityPolicies: [document] }).decision;
    expect(run('sqs:SendMessage')).toBe('allow');
    expect(run('sqs:DeleteQueue')).toBe('explicit_deny');
  });
});

describe('Resource and NotResource', () => {
  it.each<[string | string[], string, Decision]>([
    [QUEUE, QUEUE, 'allow'],
    ['arn:aws:sqs:us-east-1:111111111111:DEAD-LETTERS', QUEUE, 'implicit_deny'],
    ['arn:aws:sqs:*:111111111111:dead-*', QUEUE, 'allow'],
    ['arn:aws:sqs:us-east-1:111111111111:dead-letter?', QUEUE, 'allow'],
    ['arn:aws:sqs:us-east-1:111111111111:dead', QUEUE, 'implicit_deny'],
    ['arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/fn:*', 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/fn:log-stream:2026/01/01', 'allow'],
    ['*', QUEUE, 'allow'],
  ])('Resource %j, request %s → %s', (pattern, resource, expected) => {
    expect(decide({ Effect: 'Allow', Action: '*', Resource: pattern }, 'sqs:SendMessage', resource)).toBe(expected);
  });

  it('NotResource matches every resource but the listed ones', () => {
    const statement: PolicyStatement = { Effect: 'Allow', Action: 'sqs:*', NotResource: `arn:aws:sqs:us-east-1:${OWNER}:private-*` };
    expect(decide(statement)).toBe('allow');
    expect(decide(statement, 'sqs:SendMessage', `arn:aws:sqs:us-east-1:${OWNER}:private-queue`)).toBe('implicit_deny');
  });

  it('a resource-policy statement without Resource applies to the resource it is attached to', () => {
    const trust = policy({ Effect: 'Allow', Principal: { AWS: caller.arn }, Action: 'sts:AssumeRole' });
    const result = authorize({ principal: caller, action: 'sts:AssumeRole', resource: `arn:aws:iam::${OWNER}:role/target`, resourceAccountId: OWNER, identityPolicies: [], resourcePolicy: trust });
    expect(result.decision).toBe('allow');
  });
});

describe('documents that are refused', () => {
  const run = (document: unknown, kind: 'identity' | 'resource' = 'identity') => (): unknown =>
    authorize({
      principal: caller,
      action: 'sqs:SendMessage',
      resource: QUEUE,
      resourceAccountId: OWNER,
      identityPolicies: kind === 'identity' ? [document as PolicyDocument] : [],
      ...(kind === 'resource' ? { resourcePolicy: document as PolicyDocument } : {}),
    });
  const allow = { Effect: 'Allow', Action: '*', Resource: '*' };

  it.each<[string, unknown, 'identity' | 'resource', string]>([
    ['a document that is not an object', 'policy', 'identity', 'identity policy 0 must be an object'],
    ['an unknown Version', { Version: '2020-01-01', Statement: [allow] }, 'identity', 'identity policy 0: Version must be "2012-10-17" or "2008-10-17"'],
    ['no Statement', { Version: '2012-10-17' }, 'identity', 'identity policy 0: Statement is required'],
    ['an unknown top-level element', { Statement: [allow], Extra: 1 }, 'identity', 'identity policy 0 has an unknown element "Extra"'],
    ['a statement that is not an object', { Statement: ['x'] }, 'identity', 'identity policy 0 Statement[0] must be an object'],
    ['an unknown statement element', { Statement: [{ ...allow, Actions: 'x' }] }, 'identity', 'identity policy 0 Statement[0] has an unknown element "Actions"'],
    ['a bad Effect', { Statement: [{ ...allow, Effect: 'allow' }] }, 'identity', 'identity policy 0 Statement[0].Effect must be "Allow" or "Deny"'],
    ['a Sid that is not a string', { Statement: [{ ...allow, Sid: 1 }] }, 'identity', 'identity policy 0 Statement[0].Sid must be a string'],
    ['no Action', { Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'identity', 'identity policy 0 Statement[0]: Action or NotAction is required'],
    ['Action and NotAction', { Statement: [{ ...allow, NotAction: 'x:y' }] }, 'identity', 'identity policy 0 Statement[0]: Action and NotAction cannot both be set'],
    ['an action without a service', { Statement: [{ ...allow, Action: 'SendMessage' }] }, 'identity', 'identity policy 0 Statement[0]: action "SendMessage" is not "*" or "<service>:<action>"'],
    ['an identity statement without Resource', { Statement: [{ Effect: 'Allow', Action: '*' }] }, 'identity', 'identity policy 0 Statement[0]: Resource or NotResource is required'],
    ['a Principal in an identity policy', { Statement: [{ ...allow, Principal: '*' }] }, 'identity', 'identity policy 0 Statement[0]: an identity policy has no Principal'],
    ['a resource policy without Principal', { Statement: [allow] }, 'resource', 'resource policy Statement[0].Principal is required in a resource policy'],
    ['a Resource that is a number', { Statement: [{ ...allow, Resource: 5 }] }, 'identity', 'identity policy 0 Statement[0].Resource must be a string or a non-empty array of strings'],
  ])('%s throws MalformedPolicyError', (_label, document, kind, message) => {
    expect(run(document, kind)).toThrow(new MalformedPolicyError(message));
  });

  it('a policy variable in Resource throws UnsupportedPolicyFeatureError', () => {
    expect(run({ Statement: [{ ...allow, Resource: 'arn:aws:s3:::bucket/${aws:username}/*' }] })).toThrow(UnsupportedPolicyFeatureError);
  });

  it('validates every statement before deciding: an unsupported statement after a matching Deny still throws', () => {
    const document = { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }, { ...allow, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] };
    expect(run(document)).toThrow(UnsupportedPolicyFeatureError);
  });

  it('accepts a single Statement object and a document without Version', () => {
    expect(authorize({ principal: caller, action: 'sqs:SendMessage', resource: QUEUE, resourceAccountId: OWNER, identityPolicies: [{ Statement: { Effect: 'Allow', Action: 'sqs:*', Resource: '*' } }] }).decision).toBe('allow');
  });
});

describe('requests that are refused', () => {
  const valid = { principal: caller, action: 'sqs:SendMessage', resource: QUEUE, resourceAccountId: OWNER, identityPolicies: [] };
  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown principal type', { principal: { type: 'robot', arn: 'x' } }, 'request.principal.type: must be role, user, root, service or anonymous'],
    ['an empty principal ARN', { principal: { ...caller, arn: '' } }, 'request.principal.arn: must be a non-empty string'],
    ['an action without a service', { action: 'SendMessage' }, 'request.action: must be "<service>:<action>", without wildcards'],
    ['a wildcard action', { action: 'sqs:*' }, 'request.action: must be "<service>:<action>", without wildcards'],
    ['an empty resource', { resource: '' }, 'request.resource: must be a non-empty string'],
    ['a resource account that is not 12 digits', { resourceAccountId: '123' }, 'request.resourceAccountId: must be a 12-digit account id'],
    ['identity policies that are not a list', { identityPolicies: undefined }, 'request.identityPolicies: must be a list (empty for services)'],
  ])('%s throws AuthorizationRequestError', (_label, change, message) => {
    const run = (): unknown => authorize({ ...valid, ...change } as unknown as Parameters<typeof authorize>[0]);
    expect(run).toThrow(AuthorizationRequestError);
    expect(run).toThrow(message);
  });
});
