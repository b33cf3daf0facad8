import { ConsoleIamQueryError, consolePrincipals, decide, type ConsoleResource } from '../../src/console/iam';
import { EXECUTE_METHOD_ARN, LOCAL_TEST_PRINCIPALS, deployedRolePrincipal } from '../../src/iam/principals';

/** The two function roles as the template deploys them (names and policies as in apps/infra), and the test principals. */
const roleArn = (name: string) => `arn:aws:iam::000000000000:role/${name}`;
const LOCAL_PRINCIPALS = {
  verification: deployedRolePrincipal(
    'verification',
    { logicalId: 'VerificationRole', name: 'verification-role', arn: roleArn('verification-role'), roleId: 'AROAVERIFY', managedPolicyArns: [], policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: EXECUTE_METHOD_ARN }] }] },
    'slack-ai-app-verification',
  ),
  execution: deployedRolePrincipal(
    'execution',
    { logicalId: 'ExecutionRole', name: 'execution-role', arn: roleArn('execution-role'), roleId: 'AROAEXECUTE', managedPolicyArns: [], policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] }] },
    'slack-ai-app-execution',
  ),
  ...LOCAL_TEST_PRINCIPALS,
};

/** The execution API's resource policy as the local gateway evaluates it (shorthand expanded). */
const API: ConsoleResource = {
  arn: EXECUTE_METHOD_ARN,
  label: 'execution API',
  resourcePolicy: {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowVerification', Effect: 'Allow', Principal: { AWS: roleArn('verification-role') }, Action: 'execute-api:Invoke', Resource: EXECUTE_METHOD_ARN },
      {
        Sid: 'DenyEveryoneElse',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'arn:aws:execute-api:us-east-1:000000000000:localapi/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn('verification-role') } },
      },
    ],
  },
};
const FUNCTION: ConsoleResource = { arn: 'arn:aws:lambda:us-east-1:000000000000:function:slack-ai-app-execution', label: 'function', resourcePolicy: undefined };

describe('decide (who may call what)', () => {
  it('allows the verification role, with both statements that allow it', () => {
    const verdict = decide({ principal: 'verification', action: 'execute-api:Invoke', resource: EXECUTE_METHOD_ARN }, LOCAL_PRINCIPALS, [API]);
    expect(verdict.decision).toBe('allow');
    expect(verdict.deciding.map((d) => [d.policy, d.index, d.sid, d.effect])).toEqual(
      expect.arrayContaining([
        ['identity', 0, undefined, 'Allow'],
        ['resource', 0, 'AllowVerification', 'Allow'],
      ]),
    );
  });

  it('denies another role of the account by the resource policy’s explicit Deny, whatever its identity policy says', () => {
    const verdict = decide({ principal: 'otherRole', action: 'execute-api:Invoke', resource: EXECUTE_METHOD_ARN }, LOCAL_PRINCIPALS, [API]);
    expect(verdict).toEqual({
      decision: 'explicit_deny',
      deciding: [{ policy: 'resource', index: 1, sid: 'DenyEveryoneElse', effect: 'Deny', statement: (API.resourcePolicy?.Statement as unknown[])[1] }],
    });
  });

  it('answers implicit deny when no statement allows it', () => {
    expect(decide({ principal: 'execution', action: 'lambda:InvokeFunction', resource: FUNCTION.arn }, LOCAL_PRINCIPALS, [API, FUNCTION])).toEqual({ decision: 'implicit_deny', deciding: [] });
  });

  it('names what was wrong with a question it cannot answer', () => {
    expect(() => decide({ principal: 'root', action: 'execute-api:Invoke', resource: EXECUTE_METHOD_ARN }, LOCAL_PRINCIPALS, [API])).toThrow(
      new ConsoleIamQueryError('unknown principal "root"; one of verification, execution, otherRole, developer'),
    );
    expect(() => decide({ principal: 'developer', action: 'Invoke', resource: EXECUTE_METHOD_ARN }, LOCAL_PRINCIPALS, [API])).toThrow(new ConsoleIamQueryError('action must look like service:Action, got "Invoke"'));
    expect(() => decide({ principal: 'developer', action: 's3:GetObject', resource: 'arn:aws:s3:::x' }, LOCAL_PRINCIPALS, [API])).toThrow(new ConsoleIamQueryError('unknown resource "arn:aws:s3:::x"'));
  });

  it('lists the principals without their keys', () => {
    const listed = JSON.stringify(consolePrincipals(LOCAL_PRINCIPALS));
    expect(consolePrincipals(LOCAL_PRINCIPALS).map((p) => p.name)).toEqual(['verification', 'execution', 'otherRole', 'developer']);
    for (const p of Object.values(LOCAL_PRINCIPALS) as Array<(typeof LOCAL_PRINCIPALS)['verification']>) {
      for (const key of [p.accessKeyId, p.secretAccessKey, p.sessionToken].filter((k): k is string => k !== undefined)) expect(listed).not.toContain(key);
    }
    expect(consolePrincipals(LOCAL_PRINCIPALS)[0]?.identityPolicies).toEqual(LOCAL_PRINCIPALS.verification.identityPolicies);
  });
});
