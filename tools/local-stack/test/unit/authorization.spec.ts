import { expandExecuteApiShorthand } from '@slack-ai-app/aws-emulation';
import { authorizeCaller, callerOf, deniedBecause } from '../../src/iam/authorization';
import { EXECUTE_METHOD_ARN, LOCAL_TEST_PRINCIPALS, deployedRolePrincipal } from '../../src/iam/principals';
import { defaultDeployment } from '../support/assembly';

// The synthesized template's roles and API policy, evaluated as the local execute-api evaluates them.
const deployment = defaultDeployment();
const apiPolicy = expandExecuteApiShorthand(deployment.restApi?.policy ?? { Statement: [] }, 'arn:aws:execute-api:us-east-1:000000000000:localapi');
const principalOf = (name: 'verification' | 'execution') => {
  const target = deployment.restApi?.methods[0]?.integration.functionArn;
  const fn = deployment.functions.find((f) => (name === 'verification' ? f.functionUrl !== undefined : f.arn === target));
  const role = deployment.roles.find((r) => r.arn === fn?.roleArn);
  if (fn === undefined || role === undefined) throw new Error(`no ${name} function in the template`);
  return deployedRolePrincipal(name, role, fn.name);
};

describe('authorizeCaller with the template policies', () => {
  it('lets the verification role invoke the execute method, and nobody else in the account', () => {
    expect(authorizeCaller(principalOf('verification'), 'execute-api:Invoke', EXECUTE_METHOD_ARN, apiPolicy).decision).toBe('allow');
    expect(authorizeCaller(principalOf('execution'), 'execute-api:Invoke', EXECUTE_METHOD_ARN, apiPolicy).decision).toBe('explicit_deny');
    expect(authorizeCaller(LOCAL_TEST_PRINCIPALS.otherRole, 'execute-api:Invoke', EXECUTE_METHOD_ARN, apiPolicy).decision).toBe('explicit_deny');
    expect(authorizeCaller(LOCAL_TEST_PRINCIPALS.developer, 'execute-api:Invoke', EXECUTE_METHOD_ARN, apiPolicy).decision).toBe('explicit_deny');
  });

  it('gives each role only its own secret', () => {
    const [signing, bot] = ['SLACK_SIGNING_SECRET_ARN', 'SLACK_BOT_TOKEN_ARN'].map((key) => deployment.functions.flatMap((f) => (f.environment[key] === undefined ? [] : [f.environment[key] as string]))[0] as string);
    expect(authorizeCaller(principalOf('verification'), 'secretsmanager:GetSecretValue', signing).decision).toBe('allow');
    expect(authorizeCaller(principalOf('verification'), 'secretsmanager:GetSecretValue', bot).decision).toBe('implicit_deny');
    expect(authorizeCaller(principalOf('execution'), 'secretsmanager:GetSecretValue', bot).decision).toBe('allow');
    expect(authorizeCaller(principalOf('execution'), 'secretsmanager:GetSecretValue', signing).decision).toBe('implicit_deny');
  });

  it('sees a role session as its role, and a user as a user', () => {
    expect(callerOf(principalOf('execution'))).toEqual({
      type: 'role',
      arn: principalOf('execution').principalArn,
      sessionArn: principalOf('execution').callerArn,
      accountId: '000000000000',
    });
    expect(callerOf(LOCAL_TEST_PRINCIPALS.developer)).toEqual({ type: 'user', arn: 'arn:aws:iam::000000000000:user/local-developer', accountId: '000000000000' });
  });
});

describe('deniedBecause', () => {
  it('words the implicit and the explicit denial as IAM does', () => {
    expect(deniedBecause({ decision: 'implicit_deny', crossAccount: false, deciding: [] }, 'secretsmanager:GetSecretValue', 'identity-based')).toBe(
      'because no identity-based policy allows the secretsmanager:GetSecretValue action',
    );
    expect(deniedBecause({ decision: 'explicit_deny', crossAccount: false, deciding: [{ policy: 'resource', document: 0, index: 1, effect: 'Deny' }] }, 'SNS:Publish', 'resource-based')).toBe(
      'with an explicit deny in a resource-based policy',
    );
  });
});
