import { combineSameAccount, evaluateIdentityPolicy, type PolicyDecision } from '../../src/iam/identity-policy';
import { EXECUTE_METHOD_ARN, LOCAL_PRINCIPALS } from '../../src/iam/principals';

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

  it('gives the local principals the policies the README documents', () => {
    expect(evaluateIdentityPolicy(LOCAL_PRINCIPALS.verification.identityPolicy, 'execute-api:Invoke', EXECUTE_METHOD_ARN)).toBe('allow');
    expect(evaluateIdentityPolicy(LOCAL_PRINCIPALS.otherRole.identityPolicy, 'execute-api:Invoke', EXECUTE_METHOD_ARN)).toBe('allow');
    expect(evaluateIdentityPolicy(LOCAL_PRINCIPALS.execution.identityPolicy, 'execute-api:Invoke', EXECUTE_METHOD_ARN)).toBe('implicit_deny');
  });
});

describe('combineSameAccount', () => {
  // Table A of docs/api-gateway-behaviour.md §3: [identity, resource, result].
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
