/**
 * Properties of the evaluator over random policies (fast-check, fixed seed): a matching Deny always wins, statement
 * and policy order never matter, and an unsupported operator anywhere always throws.
 */
import fc from 'fast-check';
import { UnsupportedPolicyFeatureError, authorize, type AuthorizationRequest, type PolicyDocument, type PolicyStatement } from '../../src';
import { OTHER, OWNER, roleSession } from '../support/principals';

const SEED = 20261206;
const ACTIONS = ['sqs:SendMessage', 'sqs:DeleteQueue', 'sns:Publish'];
const RESOURCES = [`arn:aws:sqs:us-east-1:${OWNER}:a`, `arn:aws:sqs:us-east-1:${OWNER}:b`, `arn:aws:sns:us-east-1:${OWNER}:t`];
const caller = roleSession(OWNER, 'caller');

const actionPattern = fc.constantFrom('sqs:SendMessage', 'sqs:*', '*', 'sns:Publish', 'SQS:Delete*', 'sqs:?endMessage');
const resourcePattern = fc.constantFrom('*', ...RESOURCES, `arn:aws:sqs:us-east-1:${OWNER}:*`);
const condition = fc.option(
  fc.constantFrom<PolicyStatement['Condition']>(
    { Bool: { 'aws:SecureTransport': 'true' } },
    { StringEquals: { 'aws:PrincipalAccount': OWNER } },
    { ArnNotEquals: { 'aws:PrincipalArn': caller.arn } },
    { StringLikeIfExists: { 'test:tag': 'a*' } },
  ),
  { nil: undefined },
);
const identityStatement = fc.record({
  Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
  Action: actionPattern,
  Resource: resourcePattern,
  Condition: condition,
}).map(({ Condition, ...rest }): PolicyStatement => (Condition === undefined ? rest : { ...rest, Condition }));
const principal = fc.constantFrom<PolicyStatement['Principal']>('*', { AWS: caller.arn }, { AWS: OWNER }, { AWS: OTHER }, { Service: 'sns.amazonaws.com' });
const resourceStatement = fc.tuple(identityStatement, principal).map(([statement, Principal]): PolicyStatement => ({ ...statement, Principal }));
const doc = (statements: readonly PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

const requestArb = fc.record({
  identity: fc.array(fc.array(identityStatement, { maxLength: 4 }), { maxLength: 3 }),
  resource: fc.option(fc.array(resourceStatement, { maxLength: 4 }), { nil: undefined }),
  action: fc.constantFrom(...ACTIONS),
  target: fc.constantFrom(...RESOURCES),
  crossAccount: fc.boolean(),
  secure: fc.constantFrom('true', 'false'),
});

type Generated = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function toRequest(r: Generated): AuthorizationRequest {
  return {
    principal: r.crossAccount ? roleSession(OTHER, 'caller') : caller,
    action: r.action,
    resource: r.target,
    resourceAccountId: OWNER,
    identityPolicies: r.identity.map(doc),
    ...(r.resource === undefined ? {} : { resourcePolicy: doc(r.resource) }),
    context: { 'aws:SecureTransport': r.secure },
  };
}

describe('authorize: properties', () => {
  it('adding a Deny that matches the request always gives explicit_deny', () => {
    fc.assert(
      fc.property(requestArb, fc.boolean(), (r, inResource) => {
        const request = toRequest(r);
        const deny: PolicyStatement = { Effect: 'Deny', Action: request.action, Resource: request.resource };
        const denied: AuthorizationRequest = inResource
          ? { ...request, resourcePolicy: doc([...(r.resource ?? []), { ...deny, Principal: '*' }]) }
          : { ...request, identityPolicies: [...request.identityPolicies, doc([deny])] };
        expect(authorize(denied).decision).toBe('explicit_deny');
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('adding a Deny of any shape never turns a decision into allow', () => {
    fc.assert(
      fc.property(requestArb, identityStatement, (r, extra) => {
        const request = toRequest(r);
        const before = authorize(request).decision;
        const after = authorize({ ...request, identityPolicies: [...request.identityPolicies, doc([{ ...extra, Effect: 'Deny' }])] }).decision;
        if (before !== 'allow') expect(after).not.toBe('allow');
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('the order of statements and of identity policies never changes the decision', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(requestArb, (r) => {
        const request = toRequest(r);
        const reversed: AuthorizationRequest = {
          ...request,
          identityPolicies: [...r.identity].reverse().map((statements) => doc([...statements].reverse())),
          ...(r.resource === undefined ? {} : { resourcePolicy: doc([...r.resource].reverse()) }),
        };
        const decision = authorize(request).decision;
        seen.add(decision);
        expect(authorize(reversed).decision).toBe(decision);
      }),
      { seed: SEED, numRuns: 300 },
    );
    // The generator reaches every outcome, so the property is not vacuous.
    expect([...seen].sort()).toEqual(['allow', 'explicit_deny', 'implicit_deny']);
  });

  it('across accounts, nothing is allowed unless both sides allow on their own', () => {
    fc.assert(
      fc.property(requestArb, (r) => {
        const request = toRequest({ ...r, crossAccount: true });
        const both = authorize(request).decision;
        const identityOnly = authorize({ ...request, resourcePolicy: undefined }).decision;
        const resourceOnly = authorize({ ...request, identityPolicies: [] }).decision;
        expect(identityOnly).not.toBe('allow');
        expect(resourceOnly).not.toBe('allow');
        if (both === 'allow') {
          const sides = new Set(authorize(request).deciding.map((statement) => statement.policy));
          expect([...sides].sort()).toEqual(['identity', 'resource']);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('an unsupported operator anywhere throws, whatever else the policies say', () => {
    fc.assert(
      fc.property(requestArb, fc.nat(), (r, at) => {
        const request = toRequest(r);
        const bad: PolicyStatement = { Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } };
        const statements = [...(r.identity[0] ?? [])];
        statements.splice(at % (statements.length + 1), 0, bad);
        expect(() => authorize({ ...request, identityPolicies: [doc(statements), ...request.identityPolicies.slice(1)] })).toThrow(UnsupportedPolicyFeatureError);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
