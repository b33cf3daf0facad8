/** The CloudFormation stack name of the CDK app (`apps/infra`), read back by `tools/rollout` and `tools/preflight`. */
export const STACK_NAME = 'SlackBedrockStack';

/** Names of the stack outputs (docs/contracts.md, "Stack outputs"); infra declares them, the tools read them. */
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

/** The instruction sets the functions can run on (context `functionArchitecture`), as Lambda spells them. */
export type FunctionArchitecture = 'arm64' | 'x86_64';

/** The architecture both functions run on when `functionArchitecture` is not given. */
export const DEFAULT_LAMBDA_ARCHITECTURE: FunctionArchitecture = 'arm64';

/**
 * The AWS Parameters and Secrets Lambda Extension version the verification function's layer is when no
 * `paramsAndSecretsLayerArn` is given (the CDK's `ParamsAndSecretsVersions.V1_0_103`). Its per-region layer ARN comes
 * from the CDK region facts (`RegionInfo.get(region).paramsAndSecretsLambdaLayerArn(version, architecture)`).
 */
export const PARAMS_AND_SECRETS_EXTENSION_VERSION = '1.0.103';

/** The default stack name of `cdk bootstrap` (`--toolkit-stack-name` changes it). */
export const CDK_TOOLKIT_STACK_NAME = 'CDKToolkit';

/**
 * The CDK context keys of the infra app that decide what a deploy needs from the Region (`tools/preflight` checks them;
 * part of {@link CONTEXT_KEYS}).
 */
export const DEPLOY_CONTEXT_KEYS = {
  bedrockModelId: 'bedrockModelId',
  functionArchitecture: 'functionArchitecture',
  paramsAndSecretsLayerArn: 'paramsAndSecretsLayerArn',
} as const;

/**
 * The CDK context keys of the hand-off migration: what `tools/rollout` sets on every deploy (and reserves, so `--context`
 * cannot override them) and what a local-stack redeploy changes (part of {@link CONTEXT_KEYS}).
 */
export const HANDOFF_CONTEXT_KEYS = {
  executionApiPercentage: 'executionApiPercentage',
  useApiGateway: 'useApiGateway',
  enableDirectInvokeFallback: 'enableDirectInvokeFallback',
} as const;

/**
 * Every CDK context key the one-stack app (`apps/infra`) reads (`-c key=value`, or `context` in `cdk.json`). The
 * two-account layout adds `CROSS_ACCOUNT_CONTEXT_KEYS`.
 */
export const CONTEXT_KEYS = {
  ...HANDOFF_CONTEXT_KEYS,
  alarmEmail: 'alarmEmail',
  executionReservedConcurrency: 'executionReservedConcurrency',
  ...DEPLOY_CONTEXT_KEYS,
} as const;
