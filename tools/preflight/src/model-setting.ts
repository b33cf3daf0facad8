import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEDROCK_MODEL_CONTEXT_KEY, DEFAULT_BEDROCK_MODEL_ID } from '@slack-ai-app/stack-contract';

/**
 * The model id the infra app deploys without `-c`: `bedrockModelId` in the `context` of `apps/infra/cdk.json`, or the
 * app's default.
 *
 * @param workspaceRoot - the repository root
 * @returns the model or inference profile id
 */
export function configuredModelId(workspaceRoot: string): string {
  try {
    const cdkJson = JSON.parse(readFileSync(join(workspaceRoot, 'apps', 'infra', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
    const value = cdkJson.context?.[BEDROCK_MODEL_CONTEXT_KEY];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BEDROCK_MODEL_ID;
  } catch {
    return DEFAULT_BEDROCK_MODEL_ID;
  }
}
