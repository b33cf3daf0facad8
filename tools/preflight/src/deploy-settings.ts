import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BEDROCK_MODEL_ID, DEFAULT_LAMBDA_ARCHITECTURE, DEPLOY_CONTEXT_KEYS, type FunctionArchitecture } from '@slack-ai-app/stack-contract';
import { UsageError } from './errors';

/** What the infra app will deploy that the Region must support. */
export interface DeploySettings {
  /** `bedrockModelId`. */
  readonly modelId: string;
  /** `functionArchitecture`. */
  readonly architecture: FunctionArchitecture;
  /** `paramsAndSecretsLayerArn`, when given (else the CDK region facts' layer). */
  readonly layerArn: string | undefined;
}

/** Flags that override the context. */
export interface DeploySettingFlags {
  readonly modelId: string | undefined;
  readonly architecture: string | undefined;
  readonly layerArn: string | undefined;
}

function contextOf(workspaceRoot: string): Record<string, unknown> {
  try {
    const cdkJson = JSON.parse(readFileSync(join(workspaceRoot, 'apps', 'infra', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
    return cdkJson.context ?? {};
  } catch {
    return {};
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The settings a deploy without `-c` would use: the flags, else the `context` of `apps/infra/cdk.json`, else the
 * infra app's defaults.
 *
 * @param workspaceRoot - the repository root
 * @param flags - `--model-id`, `--architecture`, `--layer-arn`
 * @returns the settings
 * @throws {@link UsageError} for an architecture other than `arm64` / `x86_64`
 */
export function resolveDeploySettings(workspaceRoot: string, flags: DeploySettingFlags): DeploySettings {
  const context = contextOf(workspaceRoot);
  const architecture = flags.architecture ?? text(context[DEPLOY_CONTEXT_KEYS.functionArchitecture]) ?? DEFAULT_LAMBDA_ARCHITECTURE;
  if (architecture !== 'arm64' && architecture !== 'x86_64') {
    throw new UsageError(`--architecture must be arm64 or x86_64, got ${JSON.stringify(architecture)}`);
  }
  return {
    modelId: flags.modelId ?? text(context[DEPLOY_CONTEXT_KEYS.bedrockModelId]) ?? DEFAULT_BEDROCK_MODEL_ID,
    architecture,
    layerArn: flags.layerArn ?? text(context[DEPLOY_CONTEXT_KEYS.paramsAndSecretsLayerArn]),
  };
}
