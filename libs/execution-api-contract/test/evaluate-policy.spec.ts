import {
  ContractArgumentError,
  MalformedPolicyError,
  UnsupportedPolicyFeatureError,
  evaluateResourcePolicy,
  type PolicyDecision,
  type PolicyDocumentJson,
  type PolicyStatementJson,
} from '../src';

const API_PREFIX = 'arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5';
const ROLE_A = 'arn:aws:iam::111122223333:role/slack-ai-app-verification';
const ROLE_B = 'arn:aws:iam::111122223333:role/other';
const ROLE_X = 'arn:aws:iam::444455556666:role/slack-ai-app-verification';
const EXECUTE = `${API_PREFIX}/prod/POST/execute`;

function allow(overrides: Partial<PolicyStatementJson> = {}): PolicyStatementJson {
  return { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', ...overrides };
}

function doc(...statements: PolicyStatementJson[]): PolicyDocumentJson {
  return { Version: '2012-10-17', Statement: statements };
}

function decide(
  policy: unknown,
  principalArn = ROLE_A,
  resourceArn = EXECUTE,
  action = 'execute-api:Invoke',
): PolicyDecision {
  return evaluateResourcePolicy(policy as PolicyDocumentJson, { principalArn, action, resourceArn, apiArnPrefix: API_PREFIX });
}

describe('evaluateResourcePolicy: effects', () => {
  it('allows on a matching Allow, and denies implicitly when nothing matches', () => {
    expect(decide(doc(allow()))).toBe('allow');
    expect(decide(doc(allow({ Resource: 'execute-api:/dev/*' })))).toBe('implicit_deny');
    expect(decide(doc())).toBe('implicit_deny');
  });

  it('lets an explicit Deny win over an Allow, in either order', () => {
    const deny: PolicyStatementJson = { ...allow(), Effect: 'Deny' };
    expect(decide(doc(allow(), deny))).toBe('explicit_deny');
    expect(decide(doc(deny, allow()))).toBe('explicit_deny');
  });

  it('accepts a single statement object and the 2008-10-17 version', () => {
    expect(decide({ Version: '2008-10-17', Statement: allow() })).toBe('allow');
  });
});

describe('evaluateResourcePolicy: principals', () => {
  it.each([
    ['"*"', '*', ROLE_X, true],
    ['{AWS: "*"}', { AWS: '*' }, ROLE_X, true],
    ['the exact role ARN', { AWS: ROLE_A }, ROLE_A, true],
    ['another role ARN', { AWS: ROLE_A }, ROLE_B, false],
    ['one of several ARNs', { AWS: [ROLE_B, ROLE_A] }, ROLE_A, true],
    ['the account id, for a role in that account', { AWS: '111122223333' }, ROLE_B, true],
    ['the account id, for a role elsewhere', { AWS: '111122223333' }, ROLE_X, false],
    ['the account root ARN, for a role in that account', { AWS: 'arn:aws:iam::111122223333:root' }, ROLE_A, true],
    ['the account root ARN, for a role elsewhere', { AWS: 'arn:aws:iam::111122223333:root' }, ROLE_X, false],
    ['a role ARN compared case-sensitively', { AWS: ROLE_A.toUpperCase() }, ROLE_A, false],
  ])('matches %s', (_label, principal, caller, matches) => {
    expect(decide(doc(allow({ Principal: principal as PolicyStatementJson['Principal'] })), caller)).toBe(
      matches ? 'allow' : 'implicit_deny',
    );
  });
});

describe('evaluateResourcePolicy: actions and resources', () => {
  it.each([
    ['execute-api:*', true],
    ['*', true],
    ['execute-api:Inv?ke', true],
    ['EXECUTE-API:INVOKE', true],
    ['execute-api:Invoke*', true],
    ['execute-api:Invok', false],
    ['execute-api:ManageConnections', false],
    ['lambda:Invoke*', false],
  ])('matches Action %j against execute-api:Invoke: %s', (action, matches) => {
    expect(decide(doc(allow({ Action: action })))).toBe(matches ? 'allow' : 'implicit_deny');
  });

  it('matches any entry of an Action array', () => {
    expect(decide(doc(allow({ Action: ['lambda:InvokeFunction', 'execute-api:Invoke'] })))).toBe('allow');
  });

  it.each([
    ['execute-api:/*', true],
    ['execute-api:/prod/POST/execute', true],
    ['execute-api:/*/POST/*', true],
    ['execute-api:/prod/*/execute', true],
    ['execute-api:/pro?/POST/execute', true],
    ['execute-api:/prod/post/execute', false],
    ['execute-api:/prod/POST/exec', false],
    ['execute-api:/prod/POST/execute?', false],
    [`${API_PREFIX}/prod/POST/execute`, true],
    ['arn:aws:execute-api:us-east-1:111122223333:*', true],
    ['arn:aws:execute-api:us-east-1:111122223333:other/*', false],
    ['*', true],
  ])('matches Resource %j: %s', (resource, matches) => {
    expect(decide(doc(allow({ Resource: resource })))).toBe(matches ? 'allow' : 'implicit_deny');
  });

  it('treats regular-expression characters in patterns literally', () => {
    const dotted = `${API_PREFIX}/prod/POST/a.b`;
    expect(decide(doc(allow({ Resource: 'execute-api:/prod/POST/a.b' })), ROLE_A, dotted)).toBe('allow');
    expect(decide(doc(allow({ Resource: 'execute-api:/prod/POST/a.b' })), ROLE_A, `${API_PREFIX}/prod/POST/aXb`)).toBe(
      'implicit_deny',
    );
  });
});

describe('evaluateResourcePolicy: conditions on aws:PrincipalArn', () => {
  const withCondition = (condition: PolicyStatementJson['Condition']): PolicyDocumentJson => doc(allow({ Condition: condition }));

  it.each([
    ['ArnEquals, same ARN', { ArnEquals: { 'aws:PrincipalArn': ROLE_A } }, ROLE_A, true],
    ['ArnEquals, other ARN', { ArnEquals: { 'aws:PrincipalArn': ROLE_A } }, ROLE_B, false],
    ['ArnEquals with a wildcard (same test as ArnLike)', { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/slack-*' } }, ROLE_X, true],
    ['ArnLike, wildcard in the resource part', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/slack-*' } }, ROLE_A, true],
    ['ArnLike, ? wildcard', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::11112222333?:role/other' } }, ROLE_B, true],
    ['ArnLike, wildcard in the service part', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:*::111122223333:role/other' } }, ROLE_B, true],
    ['ArnLike is case-sensitive', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/OTHER' } }, ROLE_B, false],
    ['ArnNotEquals, same ARN', { ArnNotEquals: { 'aws:PrincipalArn': ROLE_A } }, ROLE_A, false],
    ['ArnNotEquals, other ARN', { ArnNotEquals: { 'aws:PrincipalArn': ROLE_A } }, ROLE_B, true],
    ['ArnNotLike, matching pattern', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/slack-*' } }, ROLE_X, false],
    ['ArnNotLike, other pattern', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/slack-*' } }, ROLE_B, true],
    ['StringEquals, same string', { StringEquals: { 'aws:PrincipalArn': ROLE_A } }, ROLE_A, true],
    ['StringEquals takes * literally', { StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } }, ROLE_A, false],
    ['StringNotEquals, same string', { StringNotEquals: { 'aws:PrincipalArn': ROLE_A } }, ROLE_A, false],
    ['StringNotEquals, other string', { StringNotEquals: { 'aws:PrincipalArn': ROLE_A } }, ROLE_B, true],
    ['a key spelled in another case', { ArnEquals: { 'AWS:PRINCIPALARN': ROLE_A } }, ROLE_A, true],
    ['a non-ARN caller under ArnEquals', { ArnEquals: { 'aws:PrincipalArn': ROLE_A } }, 'anonymous', false],
    ['a non-ARN caller under ArnNotEquals', { ArnNotEquals: { 'aws:PrincipalArn': ROLE_A } }, 'anonymous', true],
  ])('%s', (_label, condition, caller, holds) => {
    expect(decide(withCondition(condition), caller)).toBe(holds ? 'allow' : 'implicit_deny');
  });

  it('does not let an ARN wildcard cross a ":" between components', () => {
    const fn = 'arn:aws:lambda:us-east-1:111122223333:function:my-fn';
    // As one glob, "arn:aws:lambda:us-east-1:*:my-fn" would match; component by component "*" is the account only.
    expect(decide(withCondition({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:lambda:us-east-1:*:my-fn' } }), fn)).toBe('implicit_deny');
    expect(decide(withCondition({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:lambda:us-east-1:*:function:my-*' } }), fn)).toBe('allow');
  });

  it('ORs the values of a positive operator and NORs those of a negated one', () => {
    expect(decide(withCondition({ ArnEquals: { 'aws:PrincipalArn': [ROLE_B, ROLE_A] } }), ROLE_A)).toBe('allow');
    expect(decide(withCondition({ ArnNotEquals: { 'aws:PrincipalArn': [ROLE_B, ROLE_A] } }), ROLE_A)).toBe('implicit_deny');
    expect(decide(withCondition({ ArnNotEquals: { 'aws:PrincipalArn': [ROLE_B, ROLE_A] } }), ROLE_X)).toBe('allow');
    expect(decide(withCondition({ StringNotEquals: { 'aws:PrincipalArn': [ROLE_B, ROLE_A] } }), ROLE_B)).toBe('implicit_deny');
  });

  it('ANDs operators', () => {
    const both = { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/slack-*' }, StringNotEquals: { 'aws:PrincipalArn': ROLE_X } };
    expect(decide(withCondition(both), ROLE_A)).toBe('allow');
    expect(decide(withCondition(both), ROLE_X)).toBe('implicit_deny');
  });
});

describe('evaluateResourcePolicy: what it refuses', () => {
  it.each([
    ['StringLike', { Condition: { StringLike: { 'aws:PrincipalArn': '*' } } }],
    ['an ...IfExists operator', { Condition: { ArnEqualsIfExists: { 'aws:PrincipalArn': ROLE_A } } }],
    ['a set operator', { Condition: { 'ForAnyValue:StringEquals': { 'aws:PrincipalArn': ROLE_A } } }],
    ['Bool', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
    ['another condition key', { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }],
    ['a Service principal', { Principal: { Service: 'lambda.amazonaws.com' } }],
    ['NotAction', { NotAction: 'execute-api:Invoke' }],
    ['NotPrincipal', { NotPrincipal: { AWS: ROLE_A } }],
    ['NotResource', { NotResource: 'execute-api:/*' }],
    ['a policy variable', { Resource: 'execute-api:/${aws:username}/*' }],
  ])('throws UnsupportedPolicyFeatureError for %s', (_label, overrides) => {
    const policy = doc({ ...allow(), ...(overrides as Partial<PolicyStatementJson>) });
    expect(() => decide(policy)).toThrow(UnsupportedPolicyFeatureError);
  });

  it('throws for an unsupported rule even in a statement that would not apply to the request', () => {
    const policy = doc(allow(), {
      ...allow({ Principal: { AWS: ROLE_X }, Resource: 'execute-api:/dev/*' }),
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
    expect(() => decide(policy, ROLE_A)).toThrow('Statement[1].Condition: condition operator "IpAddress" is not supported');
  });

  it.each([
    ['a lower-case Effect', doc({ ...allow(), Effect: 'allow' as 'Allow' })],
    ['a missing Principal', doc({ ...allow(), Principal: undefined as never })],
    ['an empty Action array', doc(allow({ Action: [] }))],
    ['a non-string Resource', doc(allow({ Resource: 42 as never }))],
    ['a missing Version', { Statement: [allow()] }],
    ['an unknown element', doc({ ...allow(), Sids: 'x' } as PolicyStatementJson)],
    ['a numeric condition value', doc(allow({ Condition: { ArnEquals: { 'aws:PrincipalArn': 1 as never } } }))],
    ['a non-ARN value for an Arn operator', doc(allow({ Condition: { ArnEquals: { 'aws:PrincipalArn': '*' } } }))],
    ['a policy that is not an object', 'policy'],
  ])('throws MalformedPolicyError for %s', (_label, policy) => {
    expect(() => decide(policy)).toThrow(MalformedPolicyError);
  });

  it.each(['principalArn', 'action', 'resourceArn', 'apiArnPrefix'] as const)('requires a non-empty request.%s', (field) => {
    const request = { principalArn: ROLE_A, action: 'execute-api:Invoke', resourceArn: EXECUTE, apiArnPrefix: API_PREFIX, [field]: '' };
    expect(() => evaluateResourcePolicy(doc(allow()), request)).toThrow(ContractArgumentError);
    expect(() => evaluateResourcePolicy(doc(allow()), request)).toThrow(`request.${field}: must be a non-empty string`);
  });
});
