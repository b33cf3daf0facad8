import { authorize } from '@slack-ai-app/aws-emulation';
import { authorizeCaller, servicePrincipal } from '../../src/iam/authorization';
import { functionPolicy } from '../../src/iam/function-policy';
import { LOCAL_TEST_PRINCIPALS, deployedRolePrincipal } from '../../src/iam/principals';
import { defaultDeployment } from '../support/assembly';

// The synthesized template's Lambda permissions, as each function's resource policy.
const deployment = defaultDeployment();
const methodArn = 'arn:aws:execute-api:us-east-1:000000000000:localapi/prod/POST/execute';
const execution = deployment.functions.find((f) => f.arn === deployment.restApi?.methods[0]?.integration.functionArn);
const verification = deployment.functions.find((f) => f.functionUrl !== undefined);
if (execution === undefined || verification === undefined) throw new Error('the template does not have both functions');

const asService = (service: string, fnArn: string, context: Record<string, string>) =>
  authorize({
    principal: servicePrincipal(service),
    action: 'lambda:InvokeFunction',
    resource: fnArn,
    resourceAccountId: '000000000000',
    identityPolicies: [],
    resourcePolicy: functionPolicy(fnArn, deployment.permissions),
    context,
  }).decision;

describe('functionPolicy from the template', () => {
  it('lets API Gateway invoke the execution function for the execute method only, from this account', () => {
    expect(asService('apigateway.amazonaws.com', execution.arn, { 'aws:SourceArn': methodArn, 'aws:SourceAccount': '000000000000' })).toBe('allow');
    expect(asService('apigateway.amazonaws.com', execution.arn, { 'aws:SourceArn': methodArn.replace('/POST/', '/GET/'), 'aws:SourceAccount': '000000000000' })).toBe('implicit_deny');
    expect(asService('apigateway.amazonaws.com', verification.arn, { 'aws:SourceArn': methodArn })).toBe('implicit_deny');
  });

  it('lets the verification role invoke the execution function; everyone may invoke the verification function only through its URL', () => {
    const role = deployment.roles.find((r) => r.arn === verification.roleArn);
    if (role === undefined) throw new Error('no verification role');
    const noIdentity = { ...deployedRolePrincipal('verification', role, verification.name), identityPolicies: [] };
    expect(authorizeCaller(noIdentity, 'lambda:InvokeFunction', execution.arn, functionPolicy(execution.arn, deployment.permissions)).decision).toBe('allow');
    const stranger = { ...LOCAL_TEST_PRINCIPALS.otherRole, identityPolicies: [] };
    const policy = functionPolicy(verification.arn, deployment.permissions);
    expect(authorizeCaller(stranger, 'lambda:InvokeFunction', verification.arn, policy).decision).toBe('implicit_deny');
    expect(authorizeCaller(stranger, 'lambda:InvokeFunction', verification.arn, policy, { 'lambda:InvokedViaFunctionUrl': 'true' }).decision).toBe('allow');
    expect(authorizeCaller(stranger, 'lambda:InvokeFunction', execution.arn, functionPolicy(execution.arn, deployment.permissions)).decision).toBe('implicit_deny');
  });
});
