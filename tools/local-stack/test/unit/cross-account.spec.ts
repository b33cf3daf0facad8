import { authorizeCaller, deniedBecause } from '../../src/iam/authorization';
import { localTestPrincipals, otherAccountRolePrincipal } from '../../src/iam/principals';
import { withLocalTwoAccountContext } from '../../src/cli/synth-context';
import { accountOfArn } from '../../src/constants';

// A caller in account 111111111111 and a secret in 222222222222: the cross-account rows 2-5 of the DevelopersIO table
// cited in src/iam/authorization.ts (which policy type the implicit-deny message names).
const caller = localTestPrincipals({ verification: '111111111111', execution: '222222222222' }).otherRole;
const silentCaller = { ...caller, identityPolicies: [] };
const secret = 'arn:aws:secretsmanager:us-east-1:222222222222:secret:s-AbCdEf';
const action = 'secretsmanager:GetSecretValue';
const policy = (principal: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Principal: { AWS: principal }, Action: action, Resource: '*' }] });
const reason = (principal: typeof caller, resourcePolicy?: ReturnType<typeof policy>) => {
  const result = authorizeCaller(principal, action, secret, resourcePolicy);
  return result.decision === 'allow' ? 'allow' : deniedBecause(result, action, 'identity-based');
};

describe('cross-account authorization between two local accounts', () => {
  it('needs both policies, and names the policy type AWS names', () => {
    expect(reason(caller, policy('111111111111'))).toBe('allow');
    expect(reason(silentCaller, policy('111111111111'))).toBe(`because no resource-based policy allows the ${action} action`);
    expect(reason(silentCaller, policy(caller.principalArn))).toBe(`because no identity-based policy allows the ${action} action`);
    expect(reason(caller)).toBe(`because no resource-based policy allows the ${action} action`);
    expect(reason(silentCaller)).toBe(`because no resource-based policy allows the ${action} action`);
  });

  it('keeps the same-account wording in one account', () => {
    const local = localTestPrincipals().otherRole;
    const sameAccountSecret = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:s-AbCdEf';
    const result = authorizeCaller({ ...local, identityPolicies: [] }, action, sameAccountSecret);
    expect(deniedBecause(result, action, 'identity-based')).toBe(`because no identity-based policy allows the ${action} action`);
  });

  it('puts each local test principal in its account', () => {
    expect([caller.accountId, caller.callerArn]).toEqual(['111111111111', 'arn:aws:sts::111111111111:assumed-role/slack-ai-app-other-role/local-session']);
    expect(otherAccountRolePrincipal('222222222222').callerArn).toBe('arn:aws:sts::222222222222:assumed-role/slack-ai-app-execution-account-role/local-session');
    expect(accountOfArn('arn:aws:iam::222222222222:role/r')).toBe('222222222222');
    expect(accountOfArn('arn:aws:apigateway:us-east-1::/restapis/x')).toBeUndefined();
  });
});

describe('withLocalTwoAccountContext', () => {
  it('adds the local API id and Region to the two-account layout only', () => {
    expect(withLocalTwoAccountContext({ executionApiPercentage: '10' })).toEqual({ executionApiPercentage: '10' });
    expect(withLocalTwoAccountContext({ verificationAccount: '111111111111', executionAccount: '222222222222' })).toEqual({
      verificationAccount: '111111111111',
      executionAccount: '222222222222',
      executionApiId: 'localexapi',
      executionRegion: 'us-east-1',
      verificationRegion: 'us-east-1',
    });
    expect(withLocalTwoAccountContext({ verificationAccount: '1', executionAccount: '2', executionApiId: 'abcdefghij' })['executionApiId']).toBe('abcdefghij');
  });
});
