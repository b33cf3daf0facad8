import { Template } from 'aws-cdk-lib/assertions';
import { authorize, expandExecuteApiShorthand, type PolicyDocument } from '@slack-ai-app/aws-emulation';
import { parseDeploymentSettings } from '../src/config';
import { addCrossAccountStacks } from '../src/cross-account-app';
import { parseLayout } from '../src/layout';
import { FIXTURE_BUNDLES, logicalIdOf, newApp } from './helpers';

/**
 * The synthesized policies of both stacks, evaluated by the workspace's one IAM evaluator (tools/aws-emulation, the
 * same the local stack decides with): across accounts a call needs an Allow in the caller's identity policy **and**
 * in the API's resource policy, and the explicit Deny keeps everyone else out.
 */
const VERIFY = '111111111111';
const EXEC = '222222222222';
const API_ID = 'a1b2c3d4e5';
const ROLE_ARN = `arn:aws:iam::${VERIFY}:role/slack-ai-app-verification-us-east-1`;
const METHOD_ARN = `arn:aws:execute-api:us-east-1:${EXEC}:${API_ID}/prod/POST/execute`;
const INVOKE_ANYTHING: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] };

const app = newApp({ verificationAccount: VERIFY, executionAccount: EXEC, executionRegion: 'us-east-1', executionApiId: API_ID });
const get = (key: string) => app.node.tryGetContext(key) as unknown;
const layout = parseLayout(get, undefined);
if (layout === undefined) throw new Error('expected the two-account layout');
const stacks = addCrossAccountStacks(app, parseDeploymentSettings(get), layout, FIXTURE_BUNDLES);
if (stacks.verification === undefined) throw new Error('expected the verification stack');
const exec = Template.fromStack(stacks.execution);
const verify = Template.fromStack(stacks.verification);

const apiPolicy = expandExecuteApiShorthand(
  (Object.values(exec.findResources('AWS::ApiGateway::RestApi'))[0] as { Properties: { Policy: PolicyDocument } }).Properties.Policy,
  `arn:aws:execute-api:us-east-1:${EXEC}:${API_ID}`,
);
const roleId = logicalIdOf(verify, 'AWS::IAM::Role', 'VerificationRole');
const verificationRolePolicies = Object.values(verify.findResources('AWS::IAM::Policy'))
  .map((resource) => (resource as { Properties: { PolicyDocument: PolicyDocument; Roles: unknown[] } }).Properties)
  .filter((properties) => JSON.stringify(properties.Roles) === JSON.stringify([{ Ref: roleId }]))
  .map((properties) => properties.PolicyDocument);
// The statements on execute-api, with their resources as synthesized (the others name this stack's own resources by
// CloudFormation references, which only a deploy resolves, and grant other actions).
const executeApiStatements: PolicyDocument[] = verificationRolePolicies.map((document) => ({
  Statement: (document.Statement as PolicyDocument['Statement'][]).flat().filter((statement) =>
    ([] as unknown[]).concat((statement as { Action: unknown }).Action).includes('execute-api:Invoke'),
  ),
}));

function invoke(role: { arn: string; accountId: string }, identityPolicies: readonly PolicyDocument[]) {
  return authorize({
    principal: { type: 'role', arn: role.arn, accountId: role.accountId, sessionArn: `${role.arn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/s` },
    action: 'execute-api:Invoke',
    resource: METHOD_ARN,
    resourceAccountId: EXEC,
    identityPolicies,
    resourcePolicy: apiPolicy,
  });
}

describe('two-account execute-api authorization, on the synthesized policies', () => {
  it('the verification role with both grants is allowed, across accounts', () => {
    expect(verificationRolePolicies).toHaveLength(1);
    expect(invoke({ arn: ROLE_ARN, accountId: VERIFY }, executeApiStatements)).toMatchObject({ decision: 'allow', crossAccount: true });
  });

  it('a role of the execution account allowed execute-api:Invoke on * is refused by the explicit Deny', () => {
    const result = invoke({ arn: `arn:aws:iam::${EXEC}:role/admin`, accountId: EXEC }, [INVOKE_ANYTHING]);
    expect(result.decision).toBe('explicit_deny');
  });

  it('another role of the verification account, allowed execute-api:Invoke on *, is refused by the explicit Deny', () => {
    const result = invoke({ arn: `arn:aws:iam::${VERIFY}:role/other`, accountId: VERIFY }, [INVOKE_ANYTHING]);
    expect(result.decision).toBe('explicit_deny');
  });

  it('the verification role without its identity grant is refused: the resource policy alone is not enough across accounts', () => {
    expect(invoke({ arn: ROLE_ARN, accountId: VERIFY }, [])).toMatchObject({ decision: 'implicit_deny', missing: 'identity' });
  });

  it('the identity grant names exactly that one method', () => {
    expect(executeApiStatements).toEqual([{ Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }] }]);
  });
});
