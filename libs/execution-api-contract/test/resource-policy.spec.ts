import {
  ContractArgumentError,
  EXECUTION_API_PATH,
  EXECUTION_API_STAGE,
  UnsupportedPolicyFeatureError,
  evaluateResourcePolicy,
  executeApiArnPrefix,
  executionApiResourcePolicy,
  methodArn,
  type PolicyDecision,
} from '../src';

const ACCOUNT = '111122223333';
const API_PREFIX = executeApiArnPrefix({ region: 'us-east-1', accountId: ACCOUNT, apiId: 'a1b2c3d4e5' });
const VERIFICATION_ROLE = `arn:aws:iam::${ACCOUNT}:role/slack-ai-app-verification`;
const policy = executionApiResourcePolicy({ allowedPrincipalArn: VERIFICATION_ROLE });

function decide(principalArn: string, method: string, path: string, stage = 'prod', action = 'execute-api:Invoke'): PolicyDecision {
  return evaluateResourcePolicy(policy, {
    principalArn,
    action,
    resourceArn: methodArn(API_PREFIX, stage, method, path),
    apiArnPrefix: API_PREFIX,
  });
}

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
    // An unresolved token cannot be evaluated: it is refused, not guessed.
    expect(() =>
      evaluateResourcePolicy(tokenPolicy, {
        principalArn: VERIFICATION_ROLE,
        action: 'execute-api:Invoke',
        resourceArn: methodArn(API_PREFIX, 'prod', 'POST', 'execute'),
        apiArnPrefix: API_PREFIX,
      }),
    ).toThrow(UnsupportedPolicyFeatureError);
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

describe('evaluateResourcePolicy on the execution API policy', () => {
  it('allows the verification role to POST /execute on prod', () => {
    expect(decide(VERIFICATION_ROLE, 'POST', 'execute')).toBe('allow');
  });

  it.each([
    ['GET /execute', 'GET', 'execute', 'prod'],
    ['POST /other', 'POST', 'other', 'prod'],
    ['POST /execute/more', 'POST', 'execute/more', 'prod'],
    ['POST /executes', 'POST', 'executes', 'prod'],
    ['POST / (root)', 'POST', '/', 'prod'],
    ['POST /execute on another stage', 'POST', 'execute', 'dev'],
  ])('gives the verification role only an implicit deny for %s', (_label, method, path, stage) => {
    expect(decide(VERIFICATION_ROLE, method, path, stage)).toBe('implicit_deny');
  });

  it('matches the action case-insensitively, and only execute-api:Invoke', () => {
    expect(decide(VERIFICATION_ROLE, 'POST', 'execute', 'prod', 'EXECUTE-API:invoke')).toBe('allow');
    expect(decide(VERIFICATION_ROLE, 'POST', 'execute', 'prod', 'execute-api:ManageConnections')).toBe('implicit_deny');
  });

  it.each([
    ['another role in the same account', `arn:aws:iam::${ACCOUNT}:role/some-other-role`],
    ['a role whose name extends the verification role', `${VERIFICATION_ROLE}-2`],
    ['a same-named role in another account', 'arn:aws:iam::444455556666:role/slack-ai-app-verification'],
    ['an IAM user', `arn:aws:iam::${ACCOUNT}:user/alice`],
    ['the account root', `arn:aws:iam::${ACCOUNT}:root`],
    ['the assumed-role session ARN (not aws:PrincipalArn)', `arn:aws:sts::${ACCOUNT}:assumed-role/slack-ai-app-verification/s`],
    ['a non-ARN principal', 'anonymous'],
  ])('explicitly denies %s, even on POST /execute', (_label, principal) => {
    expect(decide(principal, 'POST', 'execute')).toBe('explicit_deny');
    expect(decide(principal, 'GET', 'anything/else', 'dev')).toBe('explicit_deny');
  });

  it('decides every principal × method × path × stage combination as the contract says', () => {
    const principals = [VERIFICATION_ROLE, `arn:aws:iam::${ACCOUNT}:role/other`, 'arn:aws:iam::444455556666:role/x'];
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', '*'];
    const paths = ['execute', '', 'execute/', 'execute/x', 'Execute', 'other'];
    const stages = ['prod', 'dev', 'PROD'];
    let cases = 0;
    for (const principal of principals) {
      for (const method of methods) {
        for (const path of paths) {
          for (const stage of stages) {
            const expected: PolicyDecision =
              principal !== VERIFICATION_ROLE
                ? 'explicit_deny'
                : method === 'POST' && path === 'execute' && stage === 'prod'
                  ? 'allow'
                  : 'implicit_deny';
            expect([principal, method, path, stage, decide(principal, method, path, stage)]).toEqual([
              principal,
              method,
              path,
              stage,
              expected,
            ]);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(3 * 8 * 6 * 3);
  });

  it('does not cover another API: a resource outside apiArnPrefix is not matched by either statement', () => {
    const otherApi = executeApiArnPrefix({ region: 'us-east-1', accountId: ACCOUNT, apiId: 'zzzzzzzzzz' });
    for (const principal of [VERIFICATION_ROLE, `arn:aws:iam::${ACCOUNT}:role/other`]) {
      expect(
        evaluateResourcePolicy(policy, {
          principalArn: principal,
          action: 'execute-api:Invoke',
          resourceArn: methodArn(otherApi, 'prod', 'POST', 'execute'),
          apiArnPrefix: API_PREFIX,
        }),
      ).toBe('implicit_deny');
    }
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
