import { DEFAULT_BEDROCK_MODEL_ID, parseBedrockModelId } from '@slack-ai-app/stack-contract';
import type { HttpReply, HttpRequestData } from '../http/types';
import { LOCAL_ACCOUNT_ID } from '../constants';
import { restJsonError } from './errors';

/** `GetFoundationModel`: `GET /foundation-models/{id}`. */
export const FOUNDATION_MODEL_PATH = /^\/foundation-models\/([^/]+)$/;
/** `GetInferenceProfile`: `GET /inference-profiles/{id}`. */
export const INFERENCE_PROFILE_PATH = /^\/inference-profiles\/([^/]+)$/;

/**
 * Whether a request with signing name `bedrock` is for the control plane (`bedrock.<region>.amazonaws.com`) rather
 * than Bedrock Runtime: both sign as `bedrock`, so the path tells them apart.
 */
export function isBedrockControlPlane(request: HttpRequestData): boolean {
  return request.method === 'GET' && (FOUNDATION_MODEL_PATH.test(request.path) || INFERENCE_PROFILE_PATH.test(request.path));
}

/**
 * Bedrock control plane, read-only: `GetFoundationModel` (`GET /foundation-models/{id}`) and `GetInferenceProfile`
 * (`GET /inference-profiles/{id}`), answered for the model the local stack serves (the default model id: an inference
 * profile and its foundation model). Anything else that is shaped like a model id gets 404 `ResourceNotFoundException`,
 * anything else 400 `ValidationException`, with restJson1's error shape (the not-found wording is the local stack's own;
 * the statuses and error names are the API reference's). Sources: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetFoundationModel.html and
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetInferenceProfile.html (responses and error list).
 *
 * @param region - the local region
 * @param modelId - the model (or inference profile) id the local model answers for
 * @returns the handler (the caller has authenticated the request)
 */
export function createBedrockControlHandler(region: string, modelId: string = DEFAULT_BEDROCK_MODEL_ID): (request: HttpRequestData) => Promise<HttpReply> {
  const served = parseBedrockModelId(modelId);
  if (served === undefined) throw new Error(`the local model id ${modelId} is not a Bedrock model id`);
  const foundationArn = (id: string, inRegion = region) => `arn:aws:bedrock:${inRegion}::foundation-model/${id}`;
  return async (request) => {
    const model = FOUNDATION_MODEL_PATH.exec(request.path);
    const profile = INFERENCE_PROFILE_PATH.exec(request.path);
    const id = decodeURIComponent((model ?? profile)?.[1] ?? '');
    const parsed = parseBedrockModelId(id);
    if (parsed === undefined) return restJsonError(400, 'ValidationException', 'The provided model identifier is invalid.');
    if (model !== null && !parsed.isInferenceProfile && id === served.foundationModelId) {
      return ok({
        modelDetails: {
          modelArn: foundationArn(id),
          modelId: id,
          modelName: id,
          providerName: id.slice(0, id.indexOf('.')),
          inputModalities: ['TEXT'],
          outputModalities: ['TEXT'],
          responseStreamingSupported: true,
          customizationsSupported: [],
          // Current Claude models are served on demand only through an inference profile.
          inferenceTypesSupported: served.isInferenceProfile ? ['INFERENCE_PROFILE'] : ['ON_DEMAND'],
          modelLifecycle: { status: 'ACTIVE' },
        },
      });
    }
    if (profile !== null && parsed.isInferenceProfile && id === served.modelId) {
      return ok({
        inferenceProfileName: `Local ${served.foundationModelId}`,
        description: 'Cross-Region inference profile served by the local stack',
        inferenceProfileArn: `arn:aws:bedrock:${region}:${LOCAL_ACCOUNT_ID}:inference-profile/${id}`,
        inferenceProfileId: id,
        models: [{ modelArn: foundationArn(served.foundationModelId) }],
        status: 'ACTIVE',
        type: 'SYSTEM_DEFINED',
      });
    }
    return model !== null
      ? restJsonError(404, 'ResourceNotFoundException', `Could not find model ${id} in ${region}.`)
      : restJsonError(404, 'ResourceNotFoundException', `Inference profile ${id} not found in ${region}.`);
  };
}

function ok(body: unknown): HttpReply {
  return { kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
