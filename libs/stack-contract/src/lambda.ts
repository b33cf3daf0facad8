/**
 * The part of the stack contract the Lambdas bundle (`@slack-ai-app/stack-contract/lambda`): the environment variable
 * names, the routing bucket and the default model. A separate entry point because the bundler keeps every top-level
 * expression of a module it cannot prove pure (object spreads, template literals over other constants), so importing the
 * package index would carry the context keys and stack names into both functions.
 *
 * @packageDocumentation
 */
export { DEFAULT_BEDROCK_MODEL_ID } from './bedrock-model-id';
export {
  BEDROCK_PROCESSOR_ARN_ALIAS_ENV,
  EXECUTION_ENV,
  EXECUTION_FUNCTION_ARN_ENV,
  executionFunctionArnFrom,
  LOG_LEVEL_ENV,
  VERIFICATION_ENV,
} from './environment';
export { bucketOf } from './routing-bucket';
