import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export { DEFAULT_BEDROCK_MODEL_ID, INFERENCE_PROFILE_PREFIXES, parseBedrockModelId } from '@slack-ai-app/stack-contract';
export type { BedrockModelRef } from '@slack-ai-app/stack-contract';

/**
 * The ARN of a foundation model.
 *
 * @param scope - any construct of the stack (for partition and region)
 * @param foundationModelId - the foundation model id
 * @param anyRegion - `true` for `*` as the region, as a cross-Region inference profile needs
 * @returns `arn:<partition>:bedrock:<region or *>::foundation-model/<id>`
 */
export function foundationModelArn(scope: IConstruct, foundationModelId: string, anyRegion: boolean): string {
  return Stack.of(scope).formatArn({
    service: 'bedrock',
    region: anyRegion ? '*' : undefined,
    account: '',
    resource: 'foundation-model',
    resourceName: foundationModelId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The ARN of an inference profile in this stack's account and region.
 *
 * @param scope - any construct of the stack
 * @param profileId - the inference profile id, e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0`
 * @returns `arn:<partition>:bedrock:<region>:<account>:inference-profile/<id>`
 */
export function inferenceProfileArn(scope: IConstruct, profileId: string): string {
  return Stack.of(scope).formatArn({
    service: 'bedrock',
    resource: 'inference-profile',
    resourceName: profileId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
