import { ConfigError } from '@slack-ai-app/errors';
import { DEFAULT_BEDROCK_MODEL_ID, EXECUTION_ENV } from '@slack-ai-app/stack-contract/lambda';

/**
 * The default model (defined once in `@slack-ai-app/stack-contract`, which the CDK app also configures): Claude Sonnet
 * 4.5 through the US cross-Region inference profile. Claude 4.x models on Bedrock are invoked through an inference
 * profile (`us.`, `eu.`, `jp.`, `global.` prefixes); the bare foundation-model id
 * (`anthropic.claude-sonnet-4-5-20250929-v1:0`) is refused for on-demand throughput.
 */
export { DEFAULT_BEDROCK_MODEL_ID };

/** The default system prompt: short answers in Slack's own markup, no angle-bracket links. */
export const DEFAULT_SYSTEM_PROMPT = [
  'You are a helpful assistant answering questions in a Slack workspace.',
  'Answer clearly and concisely.',
  'Format with Slack mrkdwn: *bold*, _italic_, `code`, ``` for code blocks, and "-" for lists.',
  'Write links as plain URLs, never in angle brackets, and never mention @channel, @here or @everyone.',
].join(' ');

/** Default values of every optional variable, as documented in the README. */
export const CONFIG_DEFAULTS = {
  bedrockMaxTokens: 2048,
  bedrockTemperature: 0.3,
  bedrockTimeoutMs: 60_000,
  bedrockMaxAttempts: 5,
  threadHistoryLimit: 20,
  slackApiUrl: 'https://slack.com/api/',
  idempotencyTtlSeconds: 86_400,
  slackStreaming: true,
} as const;

/** Where the bot token comes from. */
export type BotTokenSourceConfig =
  | { readonly kind: 'secrets_manager'; readonly secretId: string }
  | { readonly kind: 'env'; readonly token: string }
  | { readonly kind: 'none' };

/** Everything the execution Lambda reads from its environment, parsed once at cold start. */
export interface ExecutionConfig {
  /** `AWS_REGION`. */
  readonly region: string;
  /** `SLACK_BOT_TOKEN_ARN` (preferred) or `SLACK_BOT_TOKEN`. The token value never appears in logs. */
  readonly botToken: BotTokenSourceConfig;
  /** `IDEMPOTENCY_TABLE_NAME`. */
  readonly idempotencyTableName: string;
  /** `IDEMPOTENCY_TTL_SECONDS`: how long a completed event id blocks redelivery. */
  readonly idempotencyTtlSeconds: number;
  readonly bedrock: {
    /** `BEDROCK_MODEL_ID` */
    readonly modelId: string;
    /** `BEDROCK_SYSTEM_PROMPT` */
    readonly systemPrompt: string;
    /** `BEDROCK_MAX_TOKENS` */
    readonly maxTokens: number;
    /** `BEDROCK_TEMPERATURE` */
    readonly temperature: number;
    /** `BEDROCK_TIMEOUT_MS`: budget for one Converse call, SDK retries included. */
    readonly timeoutMs: number;
    /** `BEDROCK_MAX_ATTEMPTS`: SDK attempts per Converse call, the first included (standard retry mode). */
    readonly maxAttempts: number;
  };
  /** `THREAD_HISTORY_LIMIT`: earlier thread messages sent to the model (0 disables history). */
  readonly threadHistoryLimit: number;
  /** `SLACK_API_URL`, always ending in `/`. */
  readonly slackApiUrl: string;
  /**
   * `SLACK_STREAMING`: `true` (default) streams each answer (ConverseStream, `chat.startStream`/`appendStream`/
   * `stopStream`); `false` asks Converse and posts the whole answer with `chat.postMessage`.
   */
  readonly slackStreaming: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(name, 'is required but not set');
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number between ${min} and ${max}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be a whole number between ${min} and ${max}`);
  return value;
}

function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be a number between ${min} and ${max}`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(name, 'must be true or false');
}

function httpUrl(env: Env, name: string, fallback: string): string {
  const raw = optional(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new ConfigError(name, 'must be an absolute http(s) URL', { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, 'must be an absolute http(s) URL');
  }
  return raw.endsWith('/') ? raw : `${raw}/`;
}

function botTokenSource(env: Env): BotTokenSourceConfig {
  const secretId = optional(env, EXECUTION_ENV.botTokenArn);
  if (secretId !== undefined) return { kind: 'secrets_manager', secretId };
  const token = optional(env, 'SLACK_BOT_TOKEN');
  if (token !== undefined) {
    if (!token.startsWith('xox')) throw new ConfigError('SLACK_BOT_TOKEN', 'must be a Slack token (xox…)');
    return { kind: 'env', token };
  }
  return { kind: 'none' };
}

/**
 * Parse and validate the execution Lambda's environment.
 *
 * @param env - usually `process.env`
 * @returns the typed configuration
 * @throws {@link ConfigError} naming the first missing or invalid variable (never echoing its value)
 * @example
 * const config = parseConfig(process.env); // once, at module scope
 */
export function parseConfig(env: Env): ExecutionConfig {
  return {
    region: required(env, 'AWS_REGION'),
    botToken: botTokenSource(env),
    idempotencyTableName: required(env, EXECUTION_ENV.idempotencyTableName),
    idempotencyTtlSeconds: integer(env, 'IDEMPOTENCY_TTL_SECONDS', CONFIG_DEFAULTS.idempotencyTtlSeconds, 60, 2_592_000),
    bedrock: {
      modelId: optional(env, EXECUTION_ENV.bedrockModelId) ?? DEFAULT_BEDROCK_MODEL_ID,
      systemPrompt: optional(env, EXECUTION_ENV.bedrockSystemPrompt) ?? DEFAULT_SYSTEM_PROMPT,
      maxTokens: integer(env, EXECUTION_ENV.bedrockMaxTokens, CONFIG_DEFAULTS.bedrockMaxTokens, 1, 65_536),
      temperature: decimal(env, EXECUTION_ENV.bedrockTemperature, CONFIG_DEFAULTS.bedrockTemperature, 0, 1),
      timeoutMs: integer(env, 'BEDROCK_TIMEOUT_MS', CONFIG_DEFAULTS.bedrockTimeoutMs, 1_000, 900_000),
      maxAttempts: integer(env, 'BEDROCK_MAX_ATTEMPTS', CONFIG_DEFAULTS.bedrockMaxAttempts, 1, 10),
    },
    threadHistoryLimit: integer(env, EXECUTION_ENV.threadHistoryLimit, CONFIG_DEFAULTS.threadHistoryLimit, 0, 200),
    slackApiUrl: httpUrl(env, 'SLACK_API_URL', CONFIG_DEFAULTS.slackApiUrl),
    slackStreaming: boolean(env, EXECUTION_ENV.slackStreaming, CONFIG_DEFAULTS.slackStreaming),
  };
}
