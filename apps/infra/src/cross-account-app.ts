import { Annotations, type App } from 'aws-cdk-lib';
import type { DeploymentSettings } from './config';
import { ExecutionStack } from './execution-stack';
import { CROSS_ACCOUNT_CONTEXT_KEYS, CROSS_ACCOUNT_STACKS, EXECUTION_API_ID_OUTPUT } from '@slack-ai-app/stack-contract';
import type { CrossAccountLayout } from './layout';
import type { LambdaBundles } from './slack-bedrock-stack';
import { VerificationStack } from './verification-stack';

/** The stacks of the two-account layout; `verification` is absent until `executionApiId` is known. */
export interface CrossAccountStacks {
  /** `SlackAiExecution`, in the execution account. */
  readonly execution: ExecutionStack;
  /** `SlackAiVerification`, in the verification account. */
  readonly verification: VerificationStack | undefined;
}

/**
 * Adds the two-account layout's stacks to `app`. The execution stack comes first: the verification stack needs the
 * execution API's id (`-c executionApiId=<ExecutionApiId output>`), which API Gateway chooses when it creates the API.
 * Until it is given, only the execution stack is built, with a warning that says what to pass.
 *
 * @param app - the CDK app
 * @param settings - the deployment settings
 * @param layout - the two accounts and Regions
 * @param lambdaBundles - where the built bundles are (tests use fixtures)
 * @returns the stacks
 */
export function addCrossAccountStacks(
  app: App,
  settings: DeploymentSettings,
  layout: CrossAccountLayout,
  lambdaBundles?: LambdaBundles,
): CrossAccountStacks {
  const bundles = lambdaBundles === undefined ? {} : { lambdaBundles };
  const execution = new ExecutionStack(app, CROSS_ACCOUNT_STACKS.execution, { settings, layout, ...bundles });
  if (layout.executionApiId === undefined) {
    Annotations.of(execution).addWarningV2(
      'slack-ai-app:verification-stack-pending',
      `${CROSS_ACCOUNT_STACKS.verification} is built once the execution API exists: deploy ${CROSS_ACCOUNT_STACKS.execution}, then pass -c ${CROSS_ACCOUNT_CONTEXT_KEYS.executionApiId}=<its ${EXECUTION_API_ID_OUTPUT} output>`,
    );
    return { execution, verification: undefined };
  }
  const verification = new VerificationStack(app, CROSS_ACCOUNT_STACKS.verification, {
    settings,
    layout,
    executionApiId: layout.executionApiId,
    ...bundles,
  });
  // Deploy order for `cdk deploy --all` (with bootstrap trust); per-account deploys use --exclusively.
  verification.addStackDependency(execution, 'the verification role is granted on the execution API and function');
  return { execution, verification };
}
