/**
 * API Gateway's authorization tables for AWS_IAM + resource policy, every row, through the general evaluator.
 * Source: API Gateway Developer Guide, "How a resource policy affects authorization workflow"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html), Table A (same
 * account: either policy may allow) and Table B (cross account: both must allow); any explicit Deny wins.
 */
import { authorize, type Decision, type PolicyDocument, type PolicyStatement } from '../../src';
import { OTHER, OWNER, policy, roleSession } from '../support/principals';

type Side = 'Allow' | 'Neither' | 'Deny';
const ACTION = 'execute-api:Invoke';
const METHOD = `arn:aws:execute-api:us-east-1:${OWNER}:abc123/prod/POST/execute`;

function identityPolicy(side: Side): PolicyDocument {
  const silent: PolicyStatement = { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' };
  if (side === 'Neither') return policy(silent);
  return policy(silent, { Effect: side, Action: ACTION, Resource: METHOD });
}

function resourcePolicy(side: Side, callerArn: string): PolicyDocument {
  const silent: PolicyStatement = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/someone-else` }, Action: ACTION, Resource: METHOD };
  if (side === 'Neither') return policy(silent);
  if (side === 'Allow') return policy(silent, { Sid: 'AllowCaller', Effect: 'Allow', Principal: { AWS: callerArn }, Action: ACTION, Resource: METHOD });
  return policy(silent, { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: ACTION, Resource: METHOD });
}

const TABLE_A: ReadonlyArray<[Side, Side, Decision]> = [
  ['Allow', 'Allow', 'allow'],
  ['Allow', 'Neither', 'allow'],
  ['Allow', 'Deny', 'explicit_deny'],
  ['Neither', 'Allow', 'allow'],
  ['Neither', 'Neither', 'implicit_deny'],
  ['Neither', 'Deny', 'explicit_deny'],
  ['Deny', 'Allow', 'explicit_deny'],
  ['Deny', 'Neither', 'explicit_deny'],
  ['Deny', 'Deny', 'explicit_deny'],
];

const TABLE_B: ReadonlyArray<[Side, Side, Decision]> = [
  ['Allow', 'Allow', 'allow'],
  ['Allow', 'Neither', 'implicit_deny'],
  ['Allow', 'Deny', 'explicit_deny'],
  ['Neither', 'Allow', 'implicit_deny'],
  ['Neither', 'Neither', 'implicit_deny'],
  ['Neither', 'Deny', 'explicit_deny'],
  ['Deny', 'Allow', 'explicit_deny'],
  ['Deny', 'Neither', 'explicit_deny'],
  ['Deny', 'Deny', 'explicit_deny'],
];

describe.each([
  ['Table A: a caller of the owner account', OWNER, TABLE_A, false],
  ['Table B: a caller of another account', OTHER, TABLE_B, true],
] as const)('%s', (_table, callerAccount, rows, crossAccount) => {
  const caller = roleSession(callerAccount, 'caller');
  it.each(rows)('identity %s, resource policy %s → %s', (identity, resource, expected) => {
    const result = authorize({
      principal: caller,
      action: ACTION,
      resource: METHOD,
      resourceAccountId: OWNER,
      identityPolicies: [identityPolicy(identity)],
      resourcePolicy: resourcePolicy(resource, caller.arn),
    });
    expect(result.decision).toBe(expected);
    expect(result.crossAccount).toBe(crossAccount);
  });
});

describe('deciding statements', () => {
  const caller = roleSession(OWNER, 'caller');
  const base = { principal: caller, action: ACTION, resource: METHOD, resourceAccountId: OWNER } as const;

  it('names every matching Deny, from both kinds of policy, for an explicit deny', () => {
    const result = authorize({ ...base, identityPolicies: [policy(), identityPolicy('Deny')], resourcePolicy: resourcePolicy('Deny', caller.arn) });
    expect(result.deciding).toEqual([
      { policy: 'identity', document: 1, index: 1, effect: 'Deny' },
      { policy: 'resource', document: 0, index: 1, sid: 'DenyAll', effect: 'Deny' },
    ]);
  });

  it('names the Allows that counted, and nothing for an implicit deny', () => {
    const allowed = authorize({ ...base, identityPolicies: [identityPolicy('Allow')], resourcePolicy: resourcePolicy('Allow', caller.arn) });
    expect(allowed.deciding).toEqual([
      { policy: 'identity', document: 0, index: 1, effect: 'Allow' },
      { policy: 'resource', document: 0, index: 1, sid: 'AllowCaller', effect: 'Allow' },
    ]);
    expect(authorize({ ...base, identityPolicies: [], resourcePolicy: resourcePolicy('Neither', caller.arn) })).toEqual({
      decision: 'implicit_deny',
      crossAccount: false,
      deciding: [],
      missing: 'identity',
    });
  });
});
