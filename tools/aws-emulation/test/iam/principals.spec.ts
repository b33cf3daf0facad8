/**
 * Who a resource policy names, and what that grants. Sources: IAM User Guide "Principal"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html), "Cross-account policy
 * evaluation logic", and "Key policies in AWS KMS" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
 */
import { MalformedPolicyError, UnsupportedPolicyFeatureError, authorize, type AuthorizationRequest, type CallerPrincipal, type PolicyPrincipal } from '../../src';
import { OTHER, OWNER, policy, roleSession, service } from '../support/principals';

const TOPIC = `arn:aws:sns:us-east-1:${OWNER}:alarms`;
const ALARM = `arn:aws:cloudwatch:us-east-1:${OWNER}:alarm:api-5xx`;
const allowIdentity = policy({ Effect: 'Allow', Action: 'sns:Publish', Resource: TOPIC });

function request(principal: CallerPrincipal, resourcePrincipal: PolicyPrincipal, extra: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return {
    principal,
    action: 'sns:Publish',
    resource: TOPIC,
    resourceAccountId: OWNER,
    identityPolicies: [],
    resourcePolicy: policy({ Effect: 'Allow', Principal: resourcePrincipal, Action: 'sns:Publish', Resource: TOPIC }),
    ...extra,
  };
}

describe('AWS principals', () => {
  const caller = roleSession(OWNER, 'publisher', 's1');

  it.each<[string, PolicyPrincipal]>([
    ['the role ARN', { AWS: caller.arn }],
    ['the assumed-role session ARN', { AWS: caller.sessionArn as string }],
    ['"*"', '*'],
    ['{AWS: "*"}', { AWS: '*' }],
    ['a list holding the role ARN', { AWS: ['arn:aws:iam::111111111111:role/other', caller.arn] }],
  ])('a resource-policy Allow naming %s allows a same-account role with no identity policy', (_label, principal) => {
    expect(authorize(request(caller, principal)).decision).toBe('allow');
  });

  it.each<[string, PolicyPrincipal]>([
    ['another role', { AWS: `arn:aws:iam::${OWNER}:role/other` }],
    ['a role of the same name in another account', { AWS: `arn:aws:iam::${OTHER}:role/publisher` }],
    ['another account', { AWS: OTHER }],
    ['a service', { Service: 'cloudwatch.amazonaws.com' }],
  ])('an Allow naming %s does not apply', (_label, principal) => {
    expect(authorize(request(caller, principal, { identityPolicies: [] })).decision).toBe('implicit_deny');
  });

  it.each<[string, PolicyPrincipal]>([
    ['its account id', { AWS: OWNER }],
    ['its account root ARN', { AWS: `arn:aws:iam::${OWNER}:root` }],
  ])('an Allow naming %s only delegates to identity policies (same account)', (_label, principal) => {
    expect(authorize(request(caller, principal)).decision).toBe('implicit_deny');
    expect(authorize(request(caller, principal, { identityPolicies: [allowIdentity] })).decision).toBe('allow');
  });

  it('an Allow naming the caller account is the resource half of a cross-account grant', () => {
    const outsider = roleSession(OTHER, 'publisher');
    expect(authorize(request(outsider, { AWS: OTHER })).decision).toBe('implicit_deny');
    expect(authorize(request(outsider, { AWS: `arn:aws:iam::${OTHER}:root` }, { identityPolicies: [allowIdentity] }))).toMatchObject({
      decision: 'allow',
      crossAccount: true,
    });
  });

  it('a Deny naming the account denies every principal of that account', () => {
    const denyAccount = policy({ Effect: 'Deny', Principal: { AWS: OWNER }, Action: 'sns:*', Resource: '*' });
    expect(authorize({ ...request(caller, '*'), identityPolicies: [allowIdentity], resourcePolicy: denyAccount }).decision).toBe('explicit_deny');
  });

  it('derives aws:PrincipalArn, aws:PrincipalAccount and aws:PrincipalType from the caller', () => {
    const conditioned = policy({
      Effect: 'Allow',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: TOPIC,
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': caller.arn },
        StringEquals: { 'aws:PrincipalAccount': OWNER, 'AWS:PRINCIPALTYPE': 'AssumedRole' },
      },
    });
    expect(authorize({ ...request(caller, '*'), resourcePolicy: conditioned }).decision).toBe('allow');
    const user: CallerPrincipal = { type: 'user', arn: `arn:aws:iam::${OWNER}:user/dev`, accountId: OWNER };
    expect(authorize({ ...request(user, '*'), resourcePolicy: conditioned }).decision).toBe('implicit_deny');
  });

  it('the root user of the account is named directly by its account', () => {
    const root: CallerPrincipal = { type: 'root', arn: `arn:aws:iam::${OWNER}:root`, accountId: OWNER };
    expect(authorize(request(root, { AWS: OWNER })).decision).toBe('allow');
  });
});

describe('service principals', () => {
  const cloudwatch = service('cloudwatch.amazonaws.com');
  const sourceConditions = {
    ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${OWNER}:alarm:*` },
    StringEquals: { 'aws:SourceAccount': OWNER },
  };
  const topicPolicy = policy({
    Sid: 'AllowCloudWatchAlarms',
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: 'sns:Publish',
    Resource: TOPIC,
    Condition: sourceConditions,
  });

  it('only the resource policy can allow a service: identity policies never count', () => {
    expect(authorize({ ...request(cloudwatch, '*'), resourcePolicy: undefined, identityPolicies: [allowIdentity] }).decision).toBe('implicit_deny');
  });

  it('an Allow naming the service allows it when aws:SourceArn and aws:SourceAccount match', () => {
    const result = authorize({
      ...request(cloudwatch, '*'),
      resourcePolicy: topicPolicy,
      context: { 'aws:SourceArn': ALARM, 'aws:SourceAccount': OWNER },
    });
    expect(result).toEqual({ decision: 'allow', crossAccount: false, deciding: [{ policy: 'resource', document: 0, index: 0, sid: 'AllowCloudWatchAlarms', effect: 'Allow' }] });
  });

  it.each([
    ['an alarm of another account', { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${OTHER}:alarm:x`, 'aws:SourceAccount': OWNER }],
    ['another source account', { 'aws:SourceArn': ALARM, 'aws:SourceAccount': OTHER }],
    ['no source keys at all', {}],
  ])('the same Allow does not apply for %s', (_label, context) => {
    expect(authorize({ ...request(cloudwatch, '*'), resourcePolicy: topicPolicy, context }).decision).toBe('implicit_deny');
  });

  it('service names compare without case, and another service is not named', () => {
    expect(authorize(request(cloudwatch, { Service: 'CloudWatch.amazonaws.com' })).decision).toBe('allow');
    expect(authorize(request(service('events.amazonaws.com'), { Service: 'cloudwatch.amazonaws.com' })).decision).toBe('implicit_deny');
  });

  it('a service carries aws:PrincipalServiceName and no aws:PrincipalArn', () => {
    const byName = policy({ Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: TOPIC, Condition: { StringEquals: { 'aws:PrincipalServiceName': 'cloudwatch.amazonaws.com' } } });
    const byArn = policy({ Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: TOPIC, Condition: { Null: { 'aws:PrincipalArn': 'false' } } });
    expect(authorize({ ...request(cloudwatch, '*'), resourcePolicy: byName }).decision).toBe('allow');
    expect(authorize({ ...request(cloudwatch, '*'), resourcePolicy: byArn }).decision).toBe('implicit_deny');
  });
});

describe('anonymous callers', () => {
  const anonymous: CallerPrincipal = { type: 'anonymous', arn: '*' };
  it('are named only by "*"', () => {
    expect(authorize(request(anonymous, '*')).decision).toBe('allow');
    expect(authorize(request(anonymous, { AWS: OWNER })).decision).toBe('implicit_deny');
  });
});

describe('resourcePolicyRequired (KMS key policies, role trust policies)', () => {
  const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234`;
  const caller = roleSession(OWNER, 'publisher');
  const useKey = policy({ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: KEY });
  const base = { principal: caller, action: 'kms:GenerateDataKey', resource: KEY, resourceAccountId: OWNER, resourcePolicyRequired: true } as const;
  const rootKeyPolicy = policy({ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' });

  it('an identity policy alone is not enough', () => {
    expect(authorize({ ...base, identityPolicies: [useKey] }).decision).toBe('implicit_deny');
    expect(authorize({ ...base, identityPolicies: [useKey], resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/x` }, Action: 'kms:*', Resource: '*' }) }).decision).toBe('implicit_deny');
  });

  it('a key policy naming the account enables identity policies, and only them', () => {
    expect(authorize({ ...base, identityPolicies: [useKey], resourcePolicy: rootKeyPolicy })).toEqual({
      decision: 'allow',
      crossAccount: false,
      deciding: [
        { policy: 'identity', document: 0, index: 0, effect: 'Allow' },
        { policy: 'resource', document: 0, index: 0, sid: 'EnableIamPolicies', effect: 'Allow' },
      ],
    });
    expect(authorize({ ...base, identityPolicies: [], resourcePolicy: rootKeyPolicy }).decision).toBe('implicit_deny');
  });

  it('a key policy naming the role allows it without an identity policy', () => {
    const rolePolicy = policy({ Effect: 'Allow', Principal: { AWS: caller.arn }, Action: 'kms:GenerateDataKey', Resource: '*' });
    expect(authorize({ ...base, identityPolicies: [], resourcePolicy: rolePolicy }).decision).toBe('allow');
  });
});

describe('principal elements that are refused', () => {
  const caller = roleSession(OWNER, 'publisher');
  it.each<[string, unknown, typeof UnsupportedPolicyFeatureError | typeof MalformedPolicyError, string]>([
    ['a Federated principal', { Federated: 'cognito-identity.amazonaws.com' }, UnsupportedPolicyFeatureError, 'resource policy Statement[0].Principal.Federated is not supported'],
    ['a CanonicalUser principal', { CanonicalUser: 'abc' }, UnsupportedPolicyFeatureError, 'resource policy Statement[0].Principal.CanonicalUser is not supported'],
    ['an unknown principal type', { Robot: 'r2' }, MalformedPolicyError, 'resource policy Statement[0].Principal has an unknown principal type "Robot"'],
    ['an empty AWS list', { AWS: [] }, MalformedPolicyError, 'resource policy Statement[0].Principal.AWS must be a string or a non-empty array of strings'],
    ['an unresolved CDK token', { AWS: '${Token[TOKEN.123]}' }, UnsupportedPolicyFeatureError, 'resource policy Statement[0].Principal.AWS: policy variables and unresolved tokens are not supported ("${Token[TOKEN.123]}")'],
  ])('%s throws', (_label, principal, errorClass, message) => {
    const run = (): unknown => authorize(request(caller, principal as PolicyPrincipal));
    expect(run).toThrow(errorClass);
    expect(run).toThrow(message);
  });

  it('NotPrincipal throws UnsupportedPolicyFeatureError, whatever the request', () => {
    const run = (): unknown =>
      authorize({ ...request(caller, '*'), resourcePolicy: policy({ Effect: 'Deny', NotPrincipal: { AWS: caller.arn }, Action: '*', Resource: '*' }) });
    expect(run).toThrow(new UnsupportedPolicyFeatureError('resource policy Statement[0].NotPrincipal is not supported'));
  });
});
