/**
 * Which policy kind lacked an Allow, and AWS's access-denied message. Source: IAM User Guide, "Troubleshoot access
 * denied error messages" (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 */
import { authorize, iamAccessDeniedMessage, type AuthorizationRequest, type PolicyDocument } from '../../src';
import { OTHER, OWNER, policy, roleSession, service } from '../support/principals';

const SECRET = `arn:aws:secretsmanager:us-east-1:${OWNER}:secret:bot-token-AbCdEf`;
const caller = roleSession(OWNER, 'execution', 'fn');
const allowRead: PolicyDocument = policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET });
const base: AuthorizationRequest = { principal: caller, action: 'secretsmanager:GetSecretValue', resource: SECRET, resourceAccountId: OWNER, identityPolicies: [] };

function explain(request: AuthorizationRequest): [string | undefined, string] {
  const result = authorize(request);
  return [result.missing, iamAccessDeniedMessage(request, result)];
}

describe('iamAccessDeniedMessage and the missing side', () => {
  const head = `User: ${caller.sessionArn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET}`;

  it('same account, nothing allows: no identity-based policy', () => {
    expect(explain(base)).toEqual(['identity', `${head} because no identity-based policy allows the secretsmanager:GetSecretValue action`]);
  });

  it('an explicit Deny names the kind of policy that holds it', () => {
    const denyInResource = policy({ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*' });
    expect(explain({ ...base, identityPolicies: [allowRead], resourcePolicy: denyInResource })).toEqual([
      undefined,
      `${head} with an explicit deny in a resource-based policy`,
    ]);
    const denyInIdentity = policy({ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' });
    expect(explain({ ...base, identityPolicies: [denyInIdentity] })[1]).toBe(`${head} with an explicit deny in an identity-based policy`);
  });

  it('across accounts, the silent side', () => {
    const outsider = roleSession(OTHER, 'reader', 's');
    const grant = policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'secretsmanager:GetSecretValue', Resource: '*' });
    expect(authorize({ ...base, principal: outsider, identityPolicies: [allowRead] }).missing).toBe('resource');
    expect(authorize({ ...base, principal: outsider, resourcePolicy: grant }).missing).toBe('identity');
  });

  it('a service, or a required key policy without a grant: no resource-based policy', () => {
    expect(authorize({ ...base, principal: service('cloudwatch.amazonaws.com') }).missing).toBe('resource');
    expect(authorize({ ...base, identityPolicies: [allowRead], resourcePolicyRequired: true }).missing).toBe('resource');
    const delegate = policy({ Effect: 'Allow', Principal: { AWS: OWNER }, Action: 'secretsmanager:*', Resource: '*' });
    expect(authorize({ ...base, resourcePolicy: delegate, resourcePolicyRequired: true }).missing).toBe('identity');
  });

  it('refuses to explain an allowed request', () => {
    const request = { ...base, identityPolicies: [allowRead] };
    expect(() => iamAccessDeniedMessage(request, authorize(request))).toThrow(new RangeError('iamAccessDeniedMessage: the request was allowed'));
  });
});
