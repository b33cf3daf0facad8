/**
 * Geography prefixes of Bedrock cross-Region inference profiles (`us.anthropic.…`, `global.anthropic.…`). A model id
 * with one of them names an inference profile; without one, a foundation model.
 */
export const INFERENCE_PROFILE_PREFIXES: readonly string[] = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'];

/**
 * A Bedrock model id or inference profile id: `provider.model-name[:version]`, optionally behind a geography prefix.
 * Examples: `anthropic.claude-3-haiku-20240307-v1:0`, `us.anthropic.claude-sonnet-4-5-20250929-v1:0`, `amazon.nova-lite-v1:0`.
 */
const MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9._-]+)*$/;

/**
 * The model the stack configures when none is given: the same default as the execution Lambda's own configuration
 * (Claude Sonnet 4.5 through the US cross-Region inference profile).
 */
export const DEFAULT_BEDROCK_MODEL_ID = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/** A Bedrock model id, parsed into what IAM needs. */
export interface BedrockModelRef {
  /** The id as given. */
  readonly modelId: string;
  /** The foundation model id: `modelId` without its inference-profile prefix. */
  readonly foundationModelId: string;
  /** Whether `modelId` names a cross-Region inference profile. */
  readonly isInferenceProfile: boolean;
}

/**
 * Checks the shape of a Bedrock model id (or inference profile id) and splits off the inference-profile prefix.
 *
 * @param modelId - e.g. `anthropic.claude-3-haiku-20240307-v1:0` or `us.anthropic.claude-sonnet-4-5-20250929-v1:0`
 * @returns the parsed id, or `undefined` when the shape is not that of a model id
 */
export function parseBedrockModelId(modelId: string): BedrockModelRef | undefined {
  if (modelId.length > 256 || !MODEL_ID.test(modelId)) return undefined;
  const dot = modelId.indexOf('.');
  const prefix = modelId.slice(0, dot);
  if (INFERENCE_PROFILE_PREFIXES.includes(prefix)) {
    const foundationModelId = modelId.slice(dot + 1);
    if (!MODEL_ID.test(foundationModelId)) return undefined;
    return { modelId, foundationModelId, isInferenceProfile: true };
  }
  return { modelId, foundationModelId: modelId, isInferenceProfile: false };
}
