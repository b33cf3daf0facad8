/**
 * What the deployed stack is, for the code that reads it back: its name and outputs, the Lambda architecture and
 * secrets-extension version it deploys, the Bedrock model id rules, and the shape of a secret nobody has set yet.
 * The CDK app (`apps/infra`) builds from these values; `tools/rollout`, `tools/preflight` and `tools/local-stack` read
 * with them, so they cannot drift.
 *
 * @packageDocumentation
 */
export {
  STACK_NAME,
  STACK_OUTPUTS,
  DEFAULT_LAMBDA_ARCHITECTURE,
  PARAMS_AND_SECRETS_EXTENSION_VERSION,
  CDK_TOOLKIT_STACK_NAME,
  DEPLOY_CONTEXT_KEYS,
  HANDOFF_CONTEXT_KEYS,
  CONTEXT_KEYS,
} from './stack';
export type { FunctionArchitecture } from './stack';
export {
  DEFAULT_BEDROCK_MODEL_ID,
  INFERENCE_PROFILE_PREFIXES,
  parseBedrockModelId,
} from './bedrock-model-id';
export type { BedrockModelRef } from './bedrock-model-id';
export { GENERATED_PLACEHOLDER_LENGTH, isGeneratedPlaceholder } from './secret-placeholder';
export {
  CROSS_ACCOUNT_CONTEXT_KEYS,
  CROSS_ACCOUNT_EXECUTION_API_NAME,
  CROSS_ACCOUNT_STACKS,
  EXECUTION_API_ID_OUTPUT,
  EXECUTION_FUNCTION_NAME,
  verificationRoleName,
} from './cross-account';
// The environment variable names and bucketOf (the Lambdas import them through this entry alone).
export * from './lambda';
export { API_GATEWAY_DIMENSIONS, API_GATEWAY_NAMESPACE, ApiGatewayMetric } from './api-gateway-metrics';
