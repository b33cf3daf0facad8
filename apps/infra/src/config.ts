import type { Node } from 'constructs';
import { DEFAULT_EXECUTION_RESERVED_CONCURRENCY } from '@slack-ai-app/execution-api-contract';
import { CONTEXT_KEYS, DEFAULT_LAMBDA_ARCHITECTURE } from '@slack-ai-app/stack-contract';
import { DEFAULT_BEDROCK_MODEL_ID, parseBedrockModelId } from './bedrock-model';
import { ContextError } from './errors';
import { type FunctionArchitecture, type ParamsAndSecretsLayerArn, parseParamsAndSecretsLayerArn } from './params-and-secrets-layer';

/** The CDK context keys this app reads, defined in `@slack-ai-app/stack-contract` (the tools pass and check the same). */
export { CONTEXT_KEYS };

/** The deployment settings, validated. */
export interface DeploymentSettings {
  /**
   * `executionApiPercentage`, 0 to 100: the share of Slack events handed over by the execution API while
   * {@link useApiGateway} is off (`USE_API_GATEWAY_PERCENTAGE`). Default 0.
   */
  readonly executionApiPercentage: number;
  /** `useApiGateway`: every event goes by the execution API (`USE_API_GATEWAY=true`). Default off. */
  readonly useApiGateway: boolean;
  /**
   * `enableDirectInvokeFallback`: keep the direct `lambda:Invoke` path (`BEDROCK_PROCESSOR_ARN` and the
   * `lambda:InvokeFunction` grant). `false` is the migration's final clean-up step. Default on.
   */
  readonly enableDirectInvokeFallback: boolean;
  /** `bedrockModelId`: the Bedrock model id or inference profile id. Default {@link DEFAULT_BEDROCK_MODEL_ID}. */
  readonly bedrockModelId: string;
  /** `alarmEmail`: the email address subscribed to the alarm topic. Default none. */
  readonly alarmEmail: string | undefined;
  /**
   * `executionReservedConcurrency`, an integer of at least 1: the execution function's reserved concurrency, so a burst
   * of mentions neither takes the account's whole concurrency nor runs past the Bedrock quota. Default
   * {@link DEFAULT_EXECUTION_RESERVED_CONCURRENCY} (derivation in the README, "Concurrency").
   */
  readonly executionReservedConcurrency: number;
  /** `functionArchitecture`: `arm64` (default) or `x86_64`, for both functions. */
  readonly functionArchitecture: FunctionArchitecture;
  /**
   * `paramsAndSecretsLayerArn`: the AWS Parameters and Secrets Lambda Extension layer of the verification function, to
   * use a newer one than aws-cdk-lib's table knows. Its `-Arm64` suffix must match `functionArchitecture`. Default:
   * aws-cdk-lib's ARN for the stack's Region and architecture.
   */
  readonly paramsAndSecretsLayerArn: ParamsAndSecretsLayerArn | undefined;
}

/** Settings used for every context key that is not given. */
export const DEFAULT_SETTINGS: DeploymentSettings = {
  executionApiPercentage: 0,
  useApiGateway: false,
  enableDirectInvokeFallback: true,
  bedrockModelId: DEFAULT_BEDROCK_MODEL_ID,
  alarmEmail: undefined,
  executionReservedConcurrency: DEFAULT_EXECUTION_RESERVED_CONCURRENCY,
  functionArchitecture: DEFAULT_LAMBDA_ARCHITECTURE,
  paramsAndSecretsLayerArn: undefined,
};

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Reads and validates the deployment settings from CDK context.
 *
 * Values given with `-c` arrive as strings; values in `cdk.json` may be JSON numbers and booleans. Both are accepted.
 * Booleans are `true`/`false` (or `on`/`off`), case-insensitive.
 *
 * @param node - the app's (or any construct's) node
 * @returns the settings, defaults filled in
 * @throws {@link ContextError} naming the first bad key, or the pair of keys that contradict each other
 *
 * @example
 * const settings = readDeploymentSettings(app.node); // cdk deploy -c executionApiPercentage=10
 */
export function readDeploymentSettings(node: Node): DeploymentSettings {
  return parseDeploymentSettings((key) => node.tryGetContext(key) as unknown);
}

/**
 * Validates raw context values; the pure core of {@link readDeploymentSettings}.
 *
 * @param get - returns the raw value of a context key, `undefined` when unset
 * @returns the settings, defaults filled in
 * @throws {@link ContextError} naming the first bad key, or the pair of keys that contradict each other
 */
export function parseDeploymentSettings(get: (key: string) => unknown): DeploymentSettings {
  const executionApiPercentage = parsePercentage(CONTEXT_KEYS.executionApiPercentage, get(CONTEXT_KEYS.executionApiPercentage));
  const useApiGateway = parseSwitch(CONTEXT_KEYS.useApiGateway, get(CONTEXT_KEYS.useApiGateway), DEFAULT_SETTINGS.useApiGateway);
  const enableDirectInvokeFallback = parseSwitch(
    CONTEXT_KEYS.enableDirectInvokeFallback,
    get(CONTEXT_KEYS.enableDirectInvokeFallback),
    DEFAULT_SETTINGS.enableDirectInvokeFallback,
  );
  const bedrockModelId = parseModelId(get(CONTEXT_KEYS.bedrockModelId));
  const alarmEmail = parseEmail(get(CONTEXT_KEYS.alarmEmail));
  const executionReservedConcurrency = parseReservedConcurrency(get(CONTEXT_KEYS.executionReservedConcurrency));
  const functionArchitecture = parseArchitecture(get(CONTEXT_KEYS.functionArchitecture));
  const paramsAndSecretsLayerArn = parseLayerArn(get(CONTEXT_KEYS.paramsAndSecretsLayerArn));

  if (!enableDirectInvokeFallback && !useApiGateway && executionApiPercentage !== 100) {
    throw new ContextError(
      CONTEXT_KEYS.enableDirectInvokeFallback,
      `can be false only when every event goes by the execution API (useApiGateway=true or executionApiPercentage=100); executionApiPercentage is ${executionApiPercentage}, so the other events still need the direct invoke`,
    );
  }
  if (paramsAndSecretsLayerArn !== undefined && paramsAndSecretsLayerArn.architecture !== functionArchitecture) {
    throw new ContextError(
      CONTEXT_KEYS.paramsAndSecretsLayerArn,
      `is the ${paramsAndSecretsLayerArn.architecture} layer, but functionArchitecture is ${functionArchitecture}: ${
        functionArchitecture === 'arm64' ? 'use the layer whose name ends in -Arm64' : 'use the layer without the -Arm64 suffix'
      }`,
    );
  }
  return {
    executionApiPercentage,
    useApiGateway,
    enableDirectInvokeFallback,
    bedrockModelId,
    alarmEmail,
    executionReservedConcurrency,
    functionArchitecture,
    paramsAndSecretsLayerArn,
  };
}

function isUnset(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

function parsePercentage(key: string, raw: unknown): number {
  if (isUnset(raw)) return DEFAULT_SETTINGS.executionApiPercentage;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined || !/^\d{1,3}$/.test(text) || Number(text) > 100) {
    throw new ContextError(key, `must be an integer from 0 to 100, got ${JSON.stringify(raw)}`);
  }
  return Number(text);
}

function parseSwitch(key: string, raw: unknown, fallback: boolean): boolean {
  if (isUnset(raw)) return fallback;
  if (typeof raw === 'boolean') return raw;
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (text === 'true' || text === 'on') return true;
  if (text === 'false' || text === 'off') return false;
  throw new ContextError(key, `must be true or false (or on/off), got ${JSON.stringify(raw)}`);
}

function parseModelId(raw: unknown): string {
  if (isUnset(raw)) return DEFAULT_SETTINGS.bedrockModelId;
  if (typeof raw !== 'string' || parseBedrockModelId(raw.trim()) === undefined) {
    throw new ContextError(
      CONTEXT_KEYS.bedrockModelId,
      `must be a Bedrock model id or inference profile id, such as ${DEFAULT_BEDROCK_MODEL_ID}, got ${JSON.stringify(raw)}`,
    );
  }
  return raw.trim();
}

function parseEmail(raw: unknown): string | undefined {
  if (isUnset(raw)) return undefined;
  if (typeof raw !== 'string' || !EMAIL.test(raw.trim())) {
    throw new ContextError(CONTEXT_KEYS.alarmEmail, `must be an email address, got ${JSON.stringify(raw)}`);
  }
  return raw.trim();
}

function parseReservedConcurrency(raw: unknown): number {
  if (isUnset(raw)) return DEFAULT_SETTINGS.executionReservedConcurrency;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
    throw new ContextError(CONTEXT_KEYS.executionReservedConcurrency, `must be an integer of at least 1, got ${JSON.stringify(raw)}`);
  }
  return Number(text);
}

function parseArchitecture(raw: unknown): FunctionArchitecture {
  if (isUnset(raw)) return DEFAULT_SETTINGS.functionArchitecture;
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  if (text !== 'arm64' && text !== 'x86_64') {
    throw new ContextError(CONTEXT_KEYS.functionArchitecture, `must be arm64 or x86_64, got ${JSON.stringify(raw)}`);
  }
  return text;
}

function parseLayerArn(raw: unknown): ParamsAndSecretsLayerArn | undefined {
  if (isUnset(raw)) return undefined;
  if (typeof raw !== 'string') {
    throw new ContextError(CONTEXT_KEYS.paramsAndSecretsLayerArn, `must be a layer version ARN, got ${JSON.stringify(raw)}`);
  }
  return parseParamsAndSecretsLayerArn(CONTEXT_KEYS.paramsAndSecretsLayerArn, raw.trim());
}
