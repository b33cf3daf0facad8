import { LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION, LOCAL_TWO_ACCOUNT_API_ID } from '../constants';
import { CloudAssemblyError, readCloudAssemblyStacks, type AssemblyStack } from './cloud-assembly';
import { planDeployment, type DeploymentHooks, type LocalDeployment } from './deployment';

/** The accounts of a deployment: the verification function's and the execution API's (equal in the one-account layout). */
export interface DeploymentAccounts {
  readonly verification: string;
  readonly execution: string;
  /** True when they are two accounts (the two-account layout of `apps/infra`, README "Two accounts"). */
  readonly crossAccount: boolean;
}

/** A cloud assembly deployed locally: the resources of every stack, and the accounts they went into. */
export interface PlannedDeployment {
  readonly deployment: LocalDeployment;
  readonly accounts: DeploymentAccounts;
}

/**
 * Deploys a cloud assembly into local accounts. An assembly of one stack goes into the local account
 * (`000000000000`), as today. The two-account layout's assembly (`SlackAiExecution` and `SlackAiVerification`) goes
 * into the two accounts its stacks' environments name (`aws://<account>/<region>`, set by `-c executionAccount=…
 * -c verificationAccount=…`), each resource's ARN carrying its stack's account, and the execution API gets the local
 * id {@link LOCAL_TWO_ACCOUNT_API_ID} (the verification stack must be synthesized with `-c executionApiId=` it).
 * The stacks' resources are then served side by side; IAM tells the accounts apart by the ARNs.
 *
 * @param directory - the assembly directory
 * @param hooks - local values (Function URLs, secret ARNs)
 * @returns the merged deployment and its accounts
 * @throws CloudAssemblyError for more than two stacks, a stack without an account, or a Region other than the local one
 */
export function planLocalDeployment(directory: string, hooks: DeploymentHooks): PlannedDeployment {
  const stacks = readCloudAssemblyStacks(directory);
  if (stacks.length === 1) {
    const deployment = planDeployment(stacks[0] as AssemblyStack, { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, apiId: LOCAL_API_ID }, hooks);
    return { deployment, accounts: { verification: LOCAL_ACCOUNT_ID, execution: LOCAL_ACCOUNT_ID, crossAccount: false } };
  }
  if (stacks.length !== 2) throw new CloudAssemblyError(`the cloud assembly at ${directory} holds ${stacks.length} CloudFormation stacks; the local stack deploys one, or the two of the two-account layout`);
  const deployments = stacks.map((stack) => {
    if (stack.account === undefined || stack.region === undefined) {
      throw new CloudAssemblyError(`stack ${stack.stackName} names no account and Region (environment aws://<account>/<region>); synthesize the two-account layout with -c verificationAccount=… -c executionAccount=…`);
    }
    if (stack.region !== LOCAL_REGION) throw new CloudAssemblyError(`stack ${stack.stackName} is for ${stack.region}; the local stack serves ${LOCAL_REGION} only (pass -c executionRegion=${LOCAL_REGION})`);
    return planDeployment(stack, { accountId: stack.account, region: LOCAL_REGION, apiId: LOCAL_TWO_ACCOUNT_API_ID }, hooks);
  });
  const verification = deployments.find((d) => d.functions.some((fn) => fn.functionUrl !== undefined));
  const execution = deployments.find((d) => d.restApi !== undefined);
  if (verification === undefined || execution === undefined || verification === execution) {
    throw new CloudAssemblyError(`expected one stack with the Function URL and another with the REST API in ${directory}`);
  }
  return {
    deployment: mergeDeployments(execution, verification),
    accounts: { verification: verification.placement.accountId, execution: execution.placement.accountId, crossAccount: verification.placement.accountId !== execution.placement.accountId },
  };
}

/** Two stacks' deployments as one: every resource of both; the placement and REST API of the execution stack. */
function mergeDeployments(execution: LocalDeployment, verification: LocalDeployment): LocalDeployment {
  const both = <K extends keyof LocalDeployment>(key: K) => [...(execution[key] as readonly unknown[]), ...(verification[key] as readonly unknown[])] as unknown as LocalDeployment[K];
  return {
    stackName: `${execution.stackName} (account ${execution.placement.accountId}) and ${verification.stackName} (account ${verification.placement.accountId})`,
    placement: execution.placement,
    resources: both('resources'),
    functions: both('functions'),
    roles: both('roles'),
    tables: both('tables'),
    secrets: both('secrets'),
    permissions: both('permissions'),
    restApi: execution.restApi,
    topics: both('topics'),
    keys: both('keys'),
    alarms: both('alarms'),
    queues: both('queues'),
    metricFilters: both('metricFilters'),
    notEmulated: both('notEmulated'),
  };
}
