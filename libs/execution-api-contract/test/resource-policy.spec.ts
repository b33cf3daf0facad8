import { ContractArgumentError, EXECUTION_API_PATH, EXECUTION_API_STAGE, executeApiArnPrefix, executionApiResourcePolicy, methodArn } from '../src';

const ACCOUNT = '111122223333';
const API_PREFIX = executeApiArnPrefix({ region: 'us-east-1', accountId: ACCOUNT, apiId: 'a1b2c3d4e5' });
const VERIFICATION_ROLE = `arn:aws:iam::${ACCOUNT}:role/slack-ai-app-verification`;
const policy = executionApiResourcePolicy({ allowedPrincipalArn: VERIFICATION_ROLE });

describe('executionApiResourcePolicy', () => {
  it('is exactly an Allow for the role on POST /execute and a Deny for everyone else', () => {
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowVerificationRoleToInvokeExecute',
          Effect: 'Allow',
          Principal: { AWS: VERIFICATION_ROLE },
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/prod/POST/execute',
        },
        {
          Sid: 'DenyEveryoneElse',
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': VERIFICATION_ROLE } },
        },
      ],
    });
    expect([EXECUTION_API_STAGE, EXECUTION_API_PATH]).toEqual(['prod', 'execute']);
  });

  it('uses the given stage', () => {
    const dev = executionApiResourcePolicy({ allowedPrincipalArn: VERIFICATION_ROLE, stage: 'dev' });
    expect(dev.Statement[0]?.Resource).toBe('execute-api:/dev/POST/execute');
    expect(dev.Statement[1]?.Resource).toBe('execute-api:/*');
  });

  it('passes a CDK token through untouched, in both statements', () => {
    const token = '${Token[TOKEN.1234]}';
    const tokenPolicy = executionApiResourcePolicy({ allowedPrincipalArn: token });
    expect(tokenPolicy.Statement[0]?.Principal).toEqual({ AWS: token });
    expect(tokenPolicy.Statement[1]?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': token } });
  });

  it('returns a fresh document on every call', () => {
    const first = executionApiResourcePolicy({ allowedPrincipalArn: VERIFICATION_ROLE });
    first.Statement.pop();
    expect(executionApiResourcePolicy({ allowedPrincipalArn: VERIFICATION_ROLE }).Statement).toHaveLength(2);
  });

  it.each([
    [{ allowedPrincipalArn: '' }, 'allowedPrincipalArn: must be a non-empty string'],
    [{ allowedPrincipalArn: '  ' }, 'allowedPrincipalArn: must be a non-empty string'],
    [{ allowedPrincipalArn: VERIFICATION_ROLE, stage: 'prod/POST' }, 'stage: must be letters, digits, "_" or "-"'],
    [{ allowedPrincipalArn: VERIFICATION_ROLE, stage: '*' }, 'stage: must be letters, digits, "_" or "-"'],
  ])('refuses %j', (options, message) => {
    expect(() => executionApiResourcePolicy(options)).toThrow(ContractArgumentError);
    expect(() => executionApiResourcePolicy(options)).toThrow(message);
  });
});

describe('methodArn and executeApiArnPrefix', () => {
  it('build API Gateway ARNs', () => {
    expect(API_PREFIX).toBe('arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5');
    expect(executeApiArnPrefix({ partition: 'aws-cn', region: 'cn-north-1', accountId: ACCOUNT, apiId: 'x' })).toBe(
      'arn:aws-cn:execute-api:cn-north-1:111122223333:x',
    );
    expect(methodArn(API_PREFIX, 'prod', 'POST', 'execute')).toBe(`${API_PREFIX}/prod/POST/execute`);
    expect(methodArn(API_PREFIX, 'prod', 'POST', '/execute')).toBe(`${API_PREFIX}/prod/POST/execute`);
    expect(methodArn(API_PREFIX, 'prod', 'GET', '/')).toBe(`${API_PREFIX}/prod/GET/`);
    expect(methodArn(API_PREFIX, 'prod', '*', 'a/b')).toBe(`${API_PREFIX}/prod/*/a/b`);
  });

  it.each([
    [() => methodArn('', 'prod', 'POST', 'x'), 'apiArnPrefix: must be non-empty and must not end with "/"'],
    [() => methodArn(`${API_PREFIX}/`, 'prod', 'POST', 'x'), 'apiArnPrefix: must be non-empty and must not end with "/"'],
    [() => methodArn(API_PREFIX, 'pr od', 'POST', 'x'), 'stage: must be letters, digits, "_" or "-"'],
    [() => methodArn(API_PREFIX, 'prod', 'post', 'x'), 'method: must be an upper-case HTTP method or "*"'],
    [() => executeApiArnPrefix({ region: 'us-east-1', accountId: '1:2', apiId: 'x' }), 'accountId: must be non-empty, without ":" or "/"'],
    [() => executeApiArnPrefix({ region: '', accountId: ACCOUNT, apiId: 'x' }), 'region: must be non-empty, without ":" or "/"'],
  ])('refuse bad arguments (%#)', (call, message) => {
    expect(call).toThrow(ContractArgumentError);
    expect(call).toThrow(message);
  });
});

describe('executionApiResourcePolicy with principalByAccount', () => {
  const OTHER_ROLE = 'arn:aws:iam::444455556666:role/slack-ai-app-verification-us-east-1';

  it('names the role through its account: root principal plus an ArnEquals aws:PrincipalArn condition; the Deny is unchanged', () => {
    expect(executionApiResourcePolicy({ allowedPrincipalArn: OTHER_ROLE, principalByAccount: true }).Statement).toEqual([
      {
        Sid: 'AllowVerificationRoleToInvokeExecute',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:root' },
        Condition: { ArnEquals: { 'aws:PrincipalArn': OTHER_ROLE } },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/prod/POST/execute',
      },
      {
        Sid: 'DenyEveryoneElse',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': OTHER_ROLE } },
      },
    ]);
  });

  it('keeps the partition of the role ARN', () => {
    const cn = executionApiResourcePolicy({ allowedPrincipalArn: 'arn:aws-cn:iam::444455556666:role/r', principalByAccount: true });
    expect(cn.Statement[0]?.Principal).toEqual({ AWS: 'arn:aws-cn:iam::444455556666:root' });
  });

  it('refuses anything but a literal role ARN', () => {
    for (const arn of ['${Token[TOKEN.1]}', 'arn:aws:iam::444455556666:user/u', '444455556666']) {
      expect(() => executionApiResourcePolicy({ allowedPrincipalArn: arn, principalByAccount: true })).toThrow(
        new ContractArgumentError('allowedPrincipalArn', `must be a literal IAM role ARN with principalByAccount, got ${JSON.stringify(arn)}`),
      );
    }
  });
});
