import { authorize, expandExecuteApiShorthand, type Decision } from '@slack-ai-app/aws-emulation';
import { executionApiResourcePolicy } from '@slack-ai-app/execution-api-contract';
import { LOCAL_ACCOUNT_ID } from '../../src/constants';
import { EXECUTE_METHOD_ARN, LOCAL_PRINCIPALS, callerPrincipal, type PrincipalName } from '../../src/iam/principals';

const API_PREFIX = EXECUTE_METHOD_ARN.slice(0, EXECUTE_METHOD_ARN.indexOf('/'));

/** What the local principals' identity policies and the execution API's resource policy decide, with `authorize`. */
function decide(name: PrincipalName, withResourcePolicy: boolean, resource = EXECUTE_METHOD_ARN): Decision {
  const principal = LOCAL_PRINCIPALS[name];
  return authorize({
    principal: callerPrincipal(principal),
    action: 'execute-api:Invoke',
    resource,
    resourceAccountId: LOCAL_ACCOUNT_ID,
    identityPolicies: [principal.identityPolicy],
    ...(withResourcePolicy
      ? { resourcePolicy: expandExecuteApiShorthand(executionApiResourcePolicy({ allowedPrincipalArn: LOCAL_PRINCIPALS.verification.principalArn }), API_PREFIX) }
      : {}),
  }).decision;
}

describe('the local principals', () => {
  it('are role sessions with their assumed-role ARN, except the developer, an IAM user', () => {
    expect(callerPrincipal(LOCAL_PRINCIPALS.verification)).toEqual({
      type: 'role',
      arn: 'arn:aws:iam::000000000000:role/slack-ai-app-verification-role',
      sessionArn: LOCAL_PRINCIPALS.verification.callerArn,
      accountId: '000000000000',
    });
    expect(callerPrincipal(LOCAL_PRINCIPALS.developer)).toEqual({ type: 'user', arn: 'arn:aws:iam::000000000000:user/local-developer', accountId: '000000000000' });
  });

  it('have the identity policies the README documents', () => {
    expect(decide('verification', false)).toBe('allow');
    expect(decide('otherRole', false)).toBe('allow');
    expect(decide('execution', false)).toBe('implicit_deny');
    expect(decide('developer', false)).toBe('allow');
  });

  it('are let into the execution API by Table A only when the resource policy does not deny them', () => {
    expect(decide('verification', true)).toBe('allow');
    expect(decide('otherRole', true)).toBe('explicit_deny');
    expect(decide('execution', true)).toBe('explicit_deny');
    expect(decide('developer', true)).toBe('explicit_deny');
  });

  it('give the verification role nothing but the method its policy names', () => {
    expect(decide('verification', false, EXECUTE_METHOD_ARN.replace('/POST/', '/GET/'))).toBe('implicit_deny');
  });
});
