import { combineSameAccount, evaluateIdentityPolicies, evaluateIdentityPolicy, type PolicyDecision } from '../../src/iam/identity-policy';
import { EXECUTE_METHOD_ARN, LOCAL_TEST_PRINCIPALS } from '../../src/iam/principals';
import { defaultDeployment } from '../support/assembly';

describe('evaluateIdentityPolicy', () => {
  const policy = {
    Version: '2012-10-17' as const,
    Statement: [
      { Effect: 'Allow' as const, Action: 'execute-api:*', Resource: 'arn:aws:execute-api:us-east-1:000000000000:localapi/*' },
      { Effect: 'Deny' as const, Action: ['execute-api:Invoke'], Resource: 'arn:aws:execute-api:us-east-1:000000000000:localapi/prod/DELETE/*' },
    ],
  };

  it('allows a matching action and resource, with wildcards', () => {
    expect(evaluateIdentityPolicy(policy, 'execute-api:Invoke', EXECUTE_METHOD_ARN)).toBe('allow');
  });

  it('matches the action case-insensitively', () => {
    expect(evaluateIdentityPolicy(policy, 'EXECUTE-API:invoke', EXECUTE_METHOD_ARN)).toBe('allow');
  });

  it('lets an explicit Deny win over an Allow', () => {
    expect(evaluateIdentityPolicy(policy, 'execute-api:Invoke', 'arn:aws:execute-api:us-east-1:000000000000:localapi/prod/DELETE/x')).toBe('explicit_deny');
  });

  it('is silent for a resource nothing matches (resources are case-sensitive)', () => {
    expect(evaluateIdentityPolicy(policy, 'execute-api:Invoke', 'arn:aws:execute-api:us-east-1:000000000000:LOCALAPI/prod/POST/execute')).toBe('implicit_deny');
  });

  it('gives the roles the template deploys, and the local test principals, the policies the README documents', () => {
    const deployment = defaultDeployment();
    const roleOf = (fn: 'ingress' | 'api target') => {
      const target = deployment.restApi?.methods[0]?.integration.functionArn;
      const f = deployment.functions.find((x) => (fn === 'ingress' ? x.functionUrl !== undefined : x.arn === target));
      return deployment.roles.find((r) => r.arn === f?.roleArn);
    };
    expect(evaluateIdentityPolicies(roleOf('ingress')?.policies ?? [], 'execute-api:Invoke', EXECUTE_METHOD_ARN)).toBe('allow');
    expect(evaluateIdentityPolicies(roleOf('api target')?.policies ?? [], 'execute-api:Invoke', EXECUTE_METHOD_ARN)).toBe('implicit_deny');
    expect(evaluateIdentityPolicies(LOCAL_TEST_PRINCIPALS.otherRole.identityPolicies, 'execute-api:Invoke', EXECUTE_METHOD_ARN)).toBe('allow');
  });
});

describe('evaluateIdentityPolicies', () => {
  const allowAll = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  it('fails closed on what it cannot read: a conditional Allow never allows, a conditional Deny always denies', () => {
    const conditionalAllow = { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] };
    const conditionalDeny = { Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
    expect(evaluateIdentityPolicies([conditionalAllow], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('implicit_deny');
    expect(evaluateIdentityPolicies([allowAll, conditionalDeny], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('explicit_deny');
  });

  it('lets any policy allow and any Deny win', () => {
    const deny = { Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }] };
    expect(evaluateIdentityPolicies([{ Statement: [] }, allowAll], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('allow');
    expect(evaluateIdentityPolicies([allowAll, deny], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('explicit_deny');
    expect(evaluateIdentityPolicies([], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('implicit_deny');
  });
});

describe('combineSameAccount', () => {
  // Table A of ../shared/oracles/apigw/behaviour.md §3: [identity, resource, result].
  const tableA: Array<[PolicyDecision, PolicyDecision, PolicyDecision]> = [
    ['allow', 'allow', 'allow'],
    ['allow', 'implicit_deny', 'allow'],
    ['allow', 'explicit_deny', 'explicit_deny'],
    ['implicit_deny', 'allow', 'allow'],
    ['implicit_deny', 'implicit_deny', 'implicit_deny'],
    ['implicit_deny', 'explicit_deny', 'explicit_deny'],
    ['explicit_deny', 'allow', 'explicit_deny'],
    ['explicit_deny', 'implicit_deny', 'explicit_deny'],
    ['explicit_deny', 'explicit_deny', 'explicit_deny'],
  ];
  it.each(tableA)('identity %s + resource %s gives %s', (identity, resource, result) => {
    expect(combineSameAccount(identity, resource)).toBe(result);
  });
});
