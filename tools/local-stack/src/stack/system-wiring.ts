import { authorize, type PolicyDocument } from '@slack-ai-app/aws-emulation';
import { INTEGRATION_REQUEST_TEMPLATE, executeApiArnPrefix, methodArn } from '@slack-ai-app/execution-api-contract';
import { planLocalDeployment, type DeploymentAccounts, type PlannedDeployment } from '../assembly/accounts';
import type { DeployedFunction, DeployedMethod, LocalDeployment } from '../assembly/deployment';
import { localSecretArn } from '../aws/secrets-manager';
import { LOCAL_API_ID, LOCAL_REGION, type FunctionRole } from '../constants';
import { servicePrincipal } from '../iam/authorization';
import { functionPolicy } from '../iam/function-policy';
import { deployedRolePrincipal, localTestPrincipals, otherAccountRolePrincipal, type AnyPrincipalName, type LocalPrincipal, type LocalPrincipals } from '../iam/principals';

/** Thrown when the template does not wire the system the way the local stack can run it (the message says how). */
export class UnsupportedTemplateError extends Error {
  override readonly name = 'UnsupportedTemplateError';
}

/**
 * Reads a cloud assembly as the local deployment: one stack into the local account, or the two-account layout's two
 * stacks into their two accounts.
 *
 * @param ingressUrl - the local Function URL, once the ingress listens
 * @returns the planner of an assembly directory
 */
export function assemblyPlanner(ingressUrl: () => string | undefined): (directory: string) => PlannedDeployment {
  return (directory) =>
    planLocalDeployment(directory, {
      functionUrl: () => {
        const url = ingressUrl();
        if (url === undefined) throw new UnsupportedTemplateError('a resource reads a Function URL before the local ingress is listening');
        return url;
      },
      secretArn: localSecretArn,
    });
}

/** How the template wires the system: which function is which, the API method that hands off, and its pieces. */
export interface SystemWiring {
  readonly functions: Readonly<Record<FunctionRole, DeployedFunction>>;
  readonly method: DeployedMethod;
  readonly stage: string;
  readonly requestSchema: Readonly<Record<string, unknown>>;
  /** The one template secret a function's environment names by ARN. */
  readonly secretReadBy: (fn: DeployedFunction) => { readonly name: string; readonly arn: string };
}

/**
 * Finds the system in the template by its structure, never by name: the ingress is the function behind the Function
 * URL; the execution function is the one the REST API's Lambda integration invokes.
 *
 * @throws UnsupportedTemplateError when the template is wired differently
 */
export function systemWiring(deployment: LocalDeployment): SystemWiring {
  const ingress = deployment.functions.filter((fn) => fn.functionUrl !== undefined);
  if (ingress.length !== 1) throw new UnsupportedTemplateError(`expected one function behind an AWS::Lambda::Url, found ${ingress.length}`);
  const api = deployment.restApi;
  if (api === undefined) throw new UnsupportedTemplateError('the template has no AWS::ApiGateway::RestApi');
  const methods = api.methods.filter((m) => m.integration.functionArn !== undefined);
  if (methods.length !== 1) throw new UnsupportedTemplateError(`expected one API method with a Lambda integration, found ${methods.length}`);
  const method = methods[0] as DeployedMethod;
  const execution = deployment.functions.find((fn) => fn.arn === method.integration.functionArn);
  if (execution === undefined) throw new UnsupportedTemplateError(`the API integration invokes ${method.integration.functionArn}, which the template does not define`);
  const stage = api.stageNames[0];
  if (stage === undefined || api.stageNames.length !== 1) throw new UnsupportedTemplateError(`expected one API stage, found ${api.stageNames.length}`);
  const requestSchema = method.requestModels['application/json'];
  if (requestSchema === undefined) throw new UnsupportedTemplateError(`method ${method.logicalId} has no application/json request model`);
  // The local integration renders the contract's mapping template; a template that maps differently is refused.
  if (method.integration.requestTemplates['application/json'] !== INTEGRATION_REQUEST_TEMPLATE) {
    throw new UnsupportedTemplateError(`method ${method.logicalId}: its application/json request template differs from the contract's INTEGRATION_REQUEST_TEMPLATE, the only one the local integration renders`);
  }
  return {
    functions: { verification: ingress[0] as DeployedFunction, execution },
    method,
    stage,
    requestSchema,
    secretReadBy: (fn) => {
      const values = Object.values(fn.environment);
      const read = deployment.secrets.filter((secret) => values.includes(secret.arn));
      if (read.length !== 1) throw new UnsupportedTemplateError(`function ${fn.logicalId}: expected its environment to name one secret by ARN, found ${read.length}`);
      return read[0] as { name: string; arn: string };
    },
  };
}

/**
 * The principals of a deployment: the two function roles from the template, and the local test principals.
 *
 * @throws UnsupportedTemplateError when a function runs as a role the template does not define
 */
export function stackPrincipals(deployment: LocalDeployment, wiring: SystemWiring, accounts: DeploymentAccounts): LocalPrincipals {
  return {
    verification: rolePrincipal(deployment, wiring.functions.verification, 'verification'),
    execution: rolePrincipal(deployment, wiring.functions.execution, 'execution'),
    ...localTestPrincipals(accounts),
    ...(accounts.crossAccount ? { otherAccountRole: otherAccountRolePrincipal(accounts.execution) } : {}),
  };
}

/**
 * A function role's principal, with the identity policies the template attaches to it.
 *
 * @throws UnsupportedTemplateError when the function's role is not one of the template's
 */
export function rolePrincipal(deployment: LocalDeployment, fn: DeployedFunction, name: 'verification' | 'execution'): LocalPrincipal {
  const role = deployment.roles.find((r) => r.arn === fn.roleArn);
  if (role === undefined) throw new UnsupportedTemplateError(`function ${fn.logicalId} runs as ${fn.roleArn}, which is not a role of the template`);
  return deployedRolePrincipal(name, role, fn.name);
}

/**
 * Whether a function's resource policy lets API Gateway invoke it for a method: `apigateway.amazonaws.com` calls
 * `lambda:InvokeFunction` with `aws:SourceArn` = the method ARN and `aws:SourceAccount` = the API's account.
 */
export function apiGatewayMayInvoke(deployment: LocalDeployment, fn: DeployedFunction, methodArnValue: string): boolean {
  const accountId = deployment.placement.accountId;
  return (
    authorize({
      principal: servicePrincipal('apigateway.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      resource: fn.arn,
      resourceAccountId: accountId,
      identityPolicies: [],
      resourcePolicy: functionPolicy(fn.arn, deployment.permissions),
      context: { 'aws:SourceArn': methodArnValue, 'aws:SourceAccount': accountId },
    }).decision === 'allow'
  );
}

/**
 * A principal by name.
 *
 * @throws UnsupportedTemplateError for `otherAccountRole` in the one-account layout
 */
export function principalOf(principals: LocalPrincipals, name: AnyPrincipalName): LocalPrincipal {
  const principal = principals[name];
  if (principal === undefined) throw new UnsupportedTemplateError(`there is no ${name} principal in the one-account layout`);
  return principal;
}


/**
 * The execute-api ARNs of the deployment's API: its prefix, and the ARN of the method that hands off.
 *
 * @param accountId - the API's account
 */
export function executeApiArns(deployment: LocalDeployment, wiring: SystemWiring, accountId: string): { readonly apiArnPrefix: string; readonly executeMethodArn: string } {
  const apiArnPrefix = executeApiArnPrefix({ region: LOCAL_REGION, accountId, apiId: deployment.restApi?.id ?? LOCAL_API_ID });
  const { method, stage } = wiring;
  return { apiArnPrefix, executeMethodArn: methodArn(apiArnPrefix, stage, method.httpMethod, method.path.slice(1)) };
}

/** Each function's resource policy, by function ARN, from the template's `AWS::Lambda::Permission`s. */
export function functionPolicies(deployment: LocalDeployment): Map<string, PolicyDocument> {
  return new Map(deployment.functions.map((fn) => [fn.arn, functionPolicy(fn.arn, deployment.permissions)]));
}
