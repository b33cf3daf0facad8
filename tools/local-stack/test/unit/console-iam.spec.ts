import { ConsoleIamQueryError, consolePrincipals, decide, type ConsoleResource } from '../../src/console/iam';
import { EXECUTE_METHOD_ARN, LOCAL_PRINCIPALS } from '../../src/iam/principals';

/** The execution API's resource policy as the local gateway evaluates it (shorthand expanded). */
const API: ConsoleResource = {
  arn: EXECUTE_METHOD_ARN,
  label: 'execution API',
  resourcePolicy: {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowVerification', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:role/slack-ai-app-verification-role' }, Action: 'execute-api:Invoke', Resource: EXECUTE_METHOD_ARN },
      {
        Sid: 'DenyEveryoneElse',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'arn:aws:execute-api:us-east-1:000000000000:localapi/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/slack-ai-app-verification-role' } },
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
    for (const p of Object.values(LOCAL_PRINCIPALS)) {
      for (const key of [p.accessKeyId, p.secretAccessKey, p.sessionToken].filter((k): k is string => k !== undefined)) expect(listed).not.toContain(key);
    }
    expect(consolePrincipals(LOCAL_PRINCIPALS)[0]?.identityPolicy).toEqual(LOCAL_PRINCIPALS.verification.identityPolicy);
  });
});
