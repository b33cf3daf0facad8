/**
 * The execution API's resource policy (libs/execution-api-contract, the very document apps/infra deploys) decided by
 * `authorize`, the way API Gateway decides it: the caller with no identity policy, so that only the resource policy
 * speaks (API Gateway Developer Guide, "How a resource policy affects authorization workflow", Table A:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html).
 */
import { executeApiArnPrefix, executionApiResourcePolicy, methodArn } from '@slack-ai-app/execution-api-contract';
import { UnsupportedPolicyFeatureError, authorize, expandExecuteApiShorthand, type CallerPrincipal, type Decision } from '../../src';

const ACCOUNT = '111122223333';
const API_PREFIX = executeApiArnPrefix({ region: 'us-east-1', accountId: ACCOUNT, apiId: 'a1b2c3d4e5' });
const VERIFICATION_ROLE = `arn:aws:iam::${ACCOUNT}:role/slack-ai-app-verification`;
const policy = expandExecuteApiShorthand(executionApiResourcePolicy({ allowedPrincipalArn: VERIFICATION_ROLE }), API_PREFIX);

function role(arn: string, account = ACCOUNT): CallerPrincipal {
  const name = arn.slice(arn.indexOf(':role/') + ':role/'.length);
  return { type: 'role', arn, sessionArn: `arn:aws:sts::${account}:assumed-role/${name}/s`, accountId: account };
}
const verification = role(VERIFICATION_ROLE);

function decide(principal: CallerPrincipal, method: string, path: string, stage = 'prod', action = 'execute-api:Invoke', prefix = API_PREFIX): Decision {
  return authorize({
    principal,
    action,
    resource: methodArn(prefix, stage, method, path),
    resourceAccountId: ACCOUNT,
    identityPolicies: [],
    resourcePolicy: policy,
  }).decision;
}

describe('the execution API policy under authorize', () => {
  it('allows the verification role to POST /execute on prod', () => {
    expect(decide(verification, 'POST', 'execute')).toBe('allow');
  });

  it.each([
    ['GET /execute', 'GET', 'execute', 'prod'],
    ['POST /other', 'POST', 'other', 'prod'],
    ['POST /execute/more', 'POST', 'execute/more', 'prod'],
    ['POST /executes', 'POST', 'executes', 'prod'],
    ['POST / (root)', 'POST', '/', 'prod'],
    ['POST /execute on another stage', 'POST', 'execute', 'dev'],
  ])('gives the verification role only an implicit deny for %s', (_label, method, path, stage) => {
    expect(decide(verification, method, path, stage)).toBe('implicit_deny');
  });

  it('matches the action case-insensitively, and only execute-api:Invoke', () => {
    expect(decide(verification, 'POST', 'execute', 'prod', 'EXECUTE-API:invoke')).toBe('allow');
    expect(decide(verification, 'POST', 'execute', 'prod', 'execute-api:ManageConnections')).toBe('implicit_deny');
  });

  it.each<[string, CallerPrincipal]>([
    ['another role in the same account', role(`arn:aws:iam::${ACCOUNT}:role/some-other-role`)],
    ['a role whose name extends the verification role', role(`${VERIFICATION_ROLE}-2`)],
    ['a same-named role in another account', role('arn:aws:iam::444455556666:role/slack-ai-app-verification', '444455556666')],
    ['an IAM user', { type: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT }],
    ['the account root', { type: 'root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT }],
    ['an anonymous caller (no aws:PrincipalArn: ArnNotEquals holds)', { type: 'anonymous', arn: '*' }],
    ['a service principal', { type: 'service', arn: 'apigateway.amazonaws.com', service: 'apigateway.amazonaws.com' }],
  ])('explicitly denies %s, even on POST /execute', (_label, principal) => {
    expect(decide(principal, 'POST', 'execute')).toBe('explicit_deny');
    expect(decide(principal, 'GET', 'anything/else', 'dev')).toBe('explicit_deny');
  });

  it('decides every principal × method × path × stage combination as the contract says', () => {
    const principals = [verification, role(`arn:aws:iam::${ACCOUNT}:role/other`), role('arn:aws:iam::444455556666:role/x', '444455556666')];
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', '*'];
    const paths = ['execute', '', 'execute/', 'execute/x', 'Execute', 'other'];
    const stages = ['prod', 'dev', 'PROD'];
    let cases = 0;
    for (const principal of principals) {
      for (const method of methods) {
        for (const path of paths) {
          for (const stage of stages) {
            const expected: Decision =
              principal !== verification ? 'explicit_deny' : method === 'POST' && path === 'execute' && stage === 'prod' ? 'allow' : 'implicit_deny';
            expect([principal.arn, method, path, stage, decide(principal, method, path, stage)]).toEqual([principal.arn, method, path, stage, expected]);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(3 * 8 * 6 * 3);
  });

  it('does not cover another API: a resource outside the API is not matched by either statement', () => {
    const otherApi = executeApiArnPrefix({ region: 'us-east-1', accountId: ACCOUNT, apiId: 'zzzzzzzzzz' });
    for (const principal of [verification, role(`arn:aws:iam::${ACCOUNT}:role/other`)]) {
      expect(decide(principal, 'POST', 'execute', 'prod', 'execute-api:Invoke', otherApi)).toBe('implicit_deny');
    }
  });

  it('refuses a policy whose role ARN is still an unresolved CDK token, rather than guess', () => {
    const tokenPolicy = expandExecuteApiShorthand(executionApiResourcePolicy({ allowedPrincipalArn: '${Token[TOKEN.1234]}' }), API_PREFIX);
    expect(() =>
      authorize({ principal: verification, action: 'execute-api:Invoke', resource: methodArn(API_PREFIX, 'prod', 'POST', 'execute'), resourceAccountId: ACCOUNT, identityPolicies: [], resourcePolicy: tokenPolicy }),
    ).toThrow(UnsupportedPolicyFeatureError);
  });
});
