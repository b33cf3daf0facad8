/** The CloudFormation stack name of the CDK app (`apps/infra`), read back by `tools/rollout` and `tools/preflight`. */
export const STACK_NAME = 'SlackBedrockStack';

/** Names of the stack outputs (docs/contracts.md, "Stack outputs"). */
export const STACK_OUTPUTS = {
  slackEventsUrl: 'SlackEventsUrl',
  executionApiUrl: 'ExecutionApiUrl',
  executionApiName: 'ExecutionApiName',
  verificationFunctionName: 'VerificationFunctionName',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  dashboardName: 'DashboardName',
  signingSecretArn: 'SlackSigningSecretArn',
  botTokenSecretArn: 'SlackBotTokenSecretArn',
  alarmTopicArn: 'AlarmTopicArn',
} as const;

/**
 * The instruction set both Lambda functions run on, as Lambda and the CDK region facts spell it (`Architecture.ARM_64`
 * has the name `arm64`).
 */
export const LAMBDA_ARCHITECTURE = 'arm64';

/**
 * The AWS Parameters and Secrets Lambda Extension version the verification function's layer is (the CDK's
 * `ParamsAndSecretsVersions.V1_0_103`). Its per-region layer ARN comes from the CDK region facts
 * (`RegionInfo.get(region).paramsAndSecretsLambdaLayerArn(version, architecture)`).
 */
export const PARAMS_AND_SECRETS_EXTENSION_VERSION = '1.0.103';

/** The default stack name of `cdk bootstrap` (`--toolkit-stack-name` changes it). */
export const CDK_TOOLKIT_STACK_NAME = 'CDKToolkit';
