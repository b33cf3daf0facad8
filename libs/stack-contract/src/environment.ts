/**
 * The environment variable names the CDK app (`apps/infra`) sets on the two functions and the Lambdas read
 * (docs/contracts.md, "Environment variables"). The local stack, the benchmarks and `tools/rollout` read and override the
 * same names. Strings only: the Lambdas import this module, so it must stay tiny and free of side effects.
 */

/** The log level of either function, read by `@slack-ai-app/logging`. */
export const LOG_LEVEL_ENV = 'LOG_LEVEL';

/** The execution function's ARN, the target of the direct path and of the fallback (the accurate name). */
export const EXECUTION_FUNCTION_ARN_ENV = 'EXECUTION_FUNCTION_ARN';

/**
 * The old name of {@link EXECUTION_FUNCTION_ARN_ENV}, kept as an alias because deployed functions have it: infra sets both
 * during the migration and the verification Lambda reads the new name first. It goes together with the direct path:
 * `rollout cleanup` removes both names from the deployed function, and the release that deletes the direct path (and
 * the fallback) deletes this alias from infra, the Lambda and this module.
 */
export const BEDROCK_PROCESSOR_ARN_ALIAS_ENV = 'BEDROCK_PROCESSOR_ARN';

/** The environment of the verification function. */
export const VERIFICATION_ENV = {
  /** Secrets Manager name or ARN of the Slack signing secret. */
  signingSecretArn: 'SLACK_SIGNING_SECRET_ARN',
  /** `true`: every event goes by the execution API (the percentage is then ignored). */
  useApiGateway: 'USE_API_GATEWAY',
  /** 0 to 100: the share of events sent by the execution API while `USE_API_GATEWAY` is off. */
  apiGatewayPercentage: 'USE_API_GATEWAY_PERCENTAGE',
  /** The execution API's stage URL. */
  executionApiUrl: 'EXECUTION_API_URL',
  /** How long the function waits for the execution API, in milliseconds. */
  executionApiTimeoutMs: 'EXECUTION_API_TIMEOUT_MS',
  /** The execution function's ARN (direct path and fallback); absent once the direct path is removed. */
  executionFunctionArn: EXECUTION_FUNCTION_ARN_ENV,
  /** Alias of `executionFunctionArn` until the direct path is removed (see {@link BEDROCK_PROCESSOR_ARN_ALIAS_ENV}). */
  executionFunctionArnAlias: BEDROCK_PROCESSOR_ARN_ALIAS_ENV,
  /** The log level. */
  logLevel: LOG_LEVEL_ENV,
} as const;

/** The environment of the execution function. */
export const EXECUTION_ENV = {
  /** Secrets Manager name or ARN of the Slack bot token. */
  botTokenArn: 'SLACK_BOT_TOKEN_ARN',
  /** The idempotency table (also holds the stream checkpoints). */
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  /** The Bedrock model id or inference profile id. */
  bedrockModelId: 'BEDROCK_MODEL_ID',
  /** The system prompt. */
  bedrockSystemPrompt: 'BEDROCK_SYSTEM_PROMPT',
  /** The maximum tokens of one answer. */
  bedrockMaxTokens: 'BEDROCK_MAX_TOKENS',
  /** The sampling temperature. */
  bedrockTemperature: 'BEDROCK_TEMPERATURE',
  /** Earlier thread messages sent to the model. */
  threadHistoryLimit: 'THREAD_HISTORY_LIMIT',
  /** `true` (default) streams each answer into Slack; `false` posts it whole. */
  slackStreaming: 'SLACK_STREAMING',
  /** The log level. */
  logLevel: LOG_LEVEL_ENV,
} as const;

/**
 * The execution function's ARN as a verification function's environment gives it: the accurate name first, then the
 * alias. Empty or whitespace-only values count as unset.
 *
 * @param env - the verification function's environment
 * @returns the ARN, trimmed, or `undefined` when neither name is set
 */
export function executionFunctionArnFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const name of [EXECUTION_FUNCTION_ARN_ENV, BEDROCK_PROCESSOR_ARN_ALIAS_ENV]) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
