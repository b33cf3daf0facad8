import { EXECUTION_API_PATH } from '@slack-ai-app/execution-api-contract';
import { ConfigError } from '@slack-ai-app/errors';
import { BEDROCK_PROCESSOR_ARN_ALIAS_ENV, EXECUTION_FUNCTION_ARN_ENV, executionFunctionArnFrom, VERIFICATION_ENV } from '@slack-ai-app/stack-contract/lambda';

/** Default `EXECUTION_API_TIMEOUT_MS`: leaves room for a fallback inside Slack's 3 s. */
export const DEFAULT_EXECUTION_API_TIMEOUT_MS = 2000;

/** Default port of the AWS Parameters and Secrets Lambda Extension. */
export const DEFAULT_EXTENSION_PORT = 2773;

/** Where the Slack signing secret comes from. The secret value itself is never part of the configuration object. */
export type SigningSecretSource =
  /** Secrets Manager, read through the Parameters and Secrets Lambda Extension on localhost. */
  | { readonly kind: 'secrets-manager'; readonly secretId: string; readonly extensionPort: number }
  /** The plain `SLACK_SIGNING_SECRET` environment variable (local use). */
  | { readonly kind: 'environment' };

/** The execution API's `POST /execute` URL, or why there is none. */
export type ExecutionApiTarget =
  | { readonly ok: true; readonly executeUrl: string }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' };

/** Optional allow-lists. `undefined` means "not restricted". */
export interface AllowListConfig {
  readonly teamIds: ReadonlySet<string> | undefined;
  readonly userIds: ReadonlySet<string> | undefined;
  readonly channelIds: ReadonlySet<string> | undefined;
}

/** How work is handed to the execution layer. */
export interface HandoffConfig {
  /** `USE_API_GATEWAY=true`: every event goes by API Gateway. */
  readonly useApiGateway: boolean;
  /** `USE_API_GATEWAY_PERCENTAGE`, 0 to 100, when set. Ignored when {@link useApiGateway} is true. */
  readonly apiGatewayPercentage: number | undefined;
  /** From `EXECUTION_API_URL` (the stage URL); a missing or invalid URL does not fail the configuration. */
  readonly executionApi: ExecutionApiTarget;
  /** `EXECUTION_API_TIMEOUT_MS`, default {@link DEFAULT_EXECUTION_API_TIMEOUT_MS}. */
  readonly executionApiTimeoutMs: number;
  /** `EXECUTION_FUNCTION_ARN` (or its alias `BEDROCK_PROCESSOR_ARN`): the execution Lambda for the direct path and the fallback. */
  readonly bedrockProcessorArn: string | undefined;
  /** `AWS_REGION` (or `AWS_DEFAULT_REGION`): the SigV4 signing region of the API path. */
  readonly region: string | undefined;
}

/** The whole, validated configuration of the verification Lambda, parsed once at cold start. */
export interface VerificationConfig {
  readonly signingSecret: SigningSecretSource;
  readonly allowList: AllowListConfig;
  readonly handoff: HandoffConfig;
  /** `SLACK_BOT_USER_ID`, optional: the bot's own user id, used besides the envelope's `authorizations`. */
  readonly botUserId: string | undefined;
}

/** The environment as `process.env` exposes it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses and checks the verification Lambda's environment.
 *
 * Empty or whitespace-only values count as unset. Every problem found is reported at once.
 *
 * @param env - the environment, usually `process.env`
 * @returns the typed configuration
 * @throws {@link ConfigError} naming every bad or missing variable (never a secret value)
 *
 * @example
 * const config = parseConfig({ SLACK_SIGNING_SECRET_ARN: 'slack/signing', BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:…' });
 */
export function parseConfig(env: Environment): VerificationConfig {
  const problems: ConfigError[] = [];
  const collect = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof ConfigError) {
        problems.push(error);
        return fallback;
      }
      throw error;
    }
  };

  const signingSecret = collect(() => parseSigningSecretSource(env), { kind: 'environment' } as SigningSecretSource);
  const useApiGateway = collect(() => parseBoolean(env, VERIFICATION_ENV.useApiGateway), false);
  const apiGatewayPercentage = collect(() => parsePercentage(env, VERIFICATION_ENV.apiGatewayPercentage), undefined);
  const executionApiTimeoutMs = collect(
    () => parseIntegerInRange(env, VERIFICATION_ENV.executionApiTimeoutMs, 1, 60_000) ?? DEFAULT_EXECUTION_API_TIMEOUT_MS,
    DEFAULT_EXECUTION_API_TIMEOUT_MS,
  );
  const executionApi = executeUrlFrom(value(env, VERIFICATION_ENV.executionApiUrl));
  const bedrockProcessorArn = executionFunctionArnFrom(env);
  const region = value(env, 'AWS_REGION') ?? value(env, 'AWS_DEFAULT_REGION');

  const apiForAll = useApiGateway || apiGatewayPercentage === 100;
  const apiForSome = useApiGateway || (apiGatewayPercentage ?? 0) > 0;
  // The direct path is needed by every event that does not go by API Gateway, including those whose API URL is unusable.
  const directNeeded = !(apiForAll && executionApi.ok);
  if (directNeeded && bedrockProcessorArn === undefined) {
    problems.push(
      new ConfigError(
        [EXECUTION_FUNCTION_ARN_ENV, BEDROCK_PROCESSOR_ARN_ALIAS_ENV],
        apiForSome
          ? 'is required unless every event goes by API Gateway (USE_API_GATEWAY=true or USE_API_GATEWAY_PERCENTAGE=100) with a valid EXECUTION_API_URL'
          : 'is required for the direct hand-off (API Gateway is not enabled)',
      ),
    );
  }
  if (apiForSome && executionApi.ok && region === undefined) {
    problems.push(new ConfigError('AWS_REGION', 'is required to sign requests to EXECUTION_API_URL'));
  }

  if (problems.length > 0) throw ConfigError.combine(problems);

  return {
    signingSecret,
    allowList: {
      teamIds: parseIdList(env, 'ALLOWED_TEAM_IDS'),
      userIds: parseIdList(env, 'ALLOWED_USER_IDS'),
      channelIds: parseIdList(env, 'ALLOWED_CHANNEL_IDS'),
    },
    handoff: {
      useApiGateway,
      apiGatewayPercentage,
      executionApi,
      executionApiTimeoutMs,
      bedrockProcessorArn,
      region,
    },
    botUserId: value(env, 'SLACK_BOT_USER_ID'),
  };
}

/**
 * Turns a stage URL into the `POST /execute` URL: `https://id.execute-api.r.amazonaws.com/prod/` and `…/prod` both give
 * `…/prod/execute`. Only `http:` and `https:` URLs without query or fragment are accepted.
 *
 * @param stageUrl - the value of `EXECUTION_API_URL`, or `undefined`
 * @returns the execute URL, or why there is none
 */
export function executeUrlFrom(stageUrl: string | undefined): ExecutionApiTarget {
  if (stageUrl === undefined) return { ok: false, reason: 'missing' };
  let url: URL;
  try {
    url = new URL(stageUrl);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.host === '') {
    return { ok: false, reason: 'invalid' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, executeUrl: `${url.origin}${path}/${EXECUTION_API_PATH}` };
}

function value(env: Environment, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parseSigningSecretSource(env: Environment): SigningSecretSource {
  const secretId = value(env, VERIFICATION_ENV.signingSecretArn);
  if (secretId !== undefined) {
    const extensionPort = parseIntegerInRange(env, 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', 1, 65_535) ?? DEFAULT_EXTENSION_PORT;
    return { kind: 'secrets-manager', secretId, extensionPort };
  }
  // Only presence is checked: the value is read by the secret provider and never copied into the configuration.
  if (value(env, 'SLACK_SIGNING_SECRET') !== undefined) return { kind: 'environment' };
  throw new ConfigError(
    [VERIFICATION_ENV.signingSecretArn, 'SLACK_SIGNING_SECRET'],
    'must be set (the Secrets Manager name or ARN of the Slack signing secret, or the secret itself for local use)',
  );
}

function parseBoolean(env: Environment, name: string): boolean {
  const raw = value(env, name);
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new ConfigError(name, `must be "true" or "false", got ${JSON.stringify(raw)}`);
}

function parsePercentage(env: Environment, name: string): number | undefined {
  return parseIntegerInRange(env, name, 0, 100);
}

function parseIntegerInRange(env: Environment, name: string, min: number, max: number): number | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function parseIdList(env: Environment, name: string): ReadonlySet<string> | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) throw new ConfigError(name, 'lists no id (leave it unset to allow everyone)');
  return new Set(ids);
}
