/**
 * The CDK app: one stack, `SlackBedrockStack`, configured from CDK context (see `config.ts`); with
 * `-c verificationAccount=… -c executionAccount=…`, the two-account layout's two stacks instead (see `layout.ts`).
 * Synthesizes offline and without AWS credentials: the stack is environment-agnostic unless the CLI knows the account
 * and region (the two-account stacks always name theirs).
 *
 * Run through Nx: `nx run infra:synth`, `nx run infra:diff`, `nx run infra:deploy -- -c executionApiPercentage=10`.
 */
import { App } from 'aws-cdk-lib';
import { STACK_NAME } from '@slack-ai-app/stack-contract';
import { readDeploymentSettings } from './config';
import { addCrossAccountStacks } from './cross-account-app';
import { parseLayout } from './layout';
import { ConstructPropsError, ContextError, LambdaBundleMissingError } from './errors';
import { SlackBedrockStack } from './slack-bedrock-stack';

/** The stack's name in CloudFormation (defined in `@slack-ai-app/stack-contract`). */
export { STACK_NAME };

function main(): void {
  // Synthesized explicitly below: a configuration error must leave nothing half-built for an exit-time synth to report.
  const app = new App({ autoSynth: false });
  const settings = readDeploymentSettings(app.node);
  const layout = parseLayout((key) => app.node.tryGetContext(key) as unknown, process.env.CDK_DEFAULT_REGION);
  if (layout !== undefined) {
    addCrossAccountStacks(app, settings, layout);
    app.synth();
    return;
  }
  new SlackBedrockStack(app, STACK_NAME, {
    settings,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  app.synth();
}

try {
  main();
} catch (error) {
  // Configuration mistakes get one clear line, not a stack trace.
  if (error instanceof ContextError || error instanceof LambdaBundleMissingError || error instanceof ConstructPropsError) {
    console.error(`${error.name}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
