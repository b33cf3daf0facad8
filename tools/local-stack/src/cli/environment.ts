import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { DEFAULT_PORTS, PORT_ENV } from '../constants';
import type { LocalStackOptions } from '../options';
import { VERIFICATION_ENV } from '@slack-ai-app/stack-contract';

/** Thrown for an environment variable the CLI cannot use; names the variable, never echoes a secret. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/** How much of the Lambdas' output `npm start` prints. */
export type Verbosity = 'quiet' | 'events' | 'all';

/** What the CLI reads from its environment. */
export interface CliSettings {
  readonly options: LocalStackOptions;
  readonly verbosity: Verbosity;
  /** The console's port (`LOCAL_STACK_CONSOLE_PORT`, default 3002). */
  readonly consolePort: number;
  /** Real services in use, for the banner. */
  readonly realSlack: boolean;
  readonly realBedrock: boolean;
}

/** Every variable the CLI reads (the README lists them). */
export const CLI_ENV = {
  ...PORT_ENV,
  percentage: VERIFICATION_ENV.apiGatewayPercentage,
  fallback: 'LOCAL_STACK_DIRECT_FALLBACK',
  modelLatency: 'LOCAL_STACK_MODEL_LATENCY_MS',
  modelTtft: 'LOCAL_STACK_MODEL_TTFT_MS',
  modelTokensPerSecond: 'LOCAL_STACK_MODEL_TOKENS_PER_SECOND',
  modelAnswerTokens: 'LOCAL_STACK_MODEL_ANSWER_TOKENS',
  verbosity: 'LOCAL_STACK_LOG',
  slackSigningSecret: 'LOCAL_STACK_SLACK_SIGNING_SECRET',
  slackBotToken: 'LOCAL_STACK_SLACK_BOT_TOKEN',
  slackApiUrl: 'LOCAL_STACK_SLACK_API_URL',
  bedrock: 'LOCAL_STACK_BEDROCK',
  bedrockRegion: 'LOCAL_STACK_BEDROCK_REGION',
  bedrockModelId: 'LOCAL_STACK_BEDROCK_MODEL_ID',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the CLI settings from the environment.
 *
 * - ports: `LOCAL_STACK_SLACK_PORT` (3000), `LOCAL_STACK_SLACK_API_PORT` (3001), `LOCAL_STACK_AWS_PORT` (4566),
 *   `LOCAL_STACK_CONSOLE_PORT` (3002);
 * - `USE_API_GATEWAY_PERCENTAGE` (100), `LOCAL_STACK_DIRECT_FALLBACK` (`true`), `LOCAL_STACK_MODEL_LATENCY_MS` (300),
 *   `LOCAL_STACK_LOG` (`events`);
 * - real Slack: `LOCAL_STACK_SLACK_SIGNING_SECRET` and `LOCAL_STACK_SLACK_BOT_TOKEN` (both, or neither), replies then
 *   go to `LOCAL_STACK_SLACK_API_URL` (default `https://slack.com/api/`);
 * - real Bedrock: `LOCAL_STACK_BEDROCK=aws`, with `LOCAL_STACK_BEDROCK_REGION` (us-east-1) and
 *   `LOCAL_STACK_BEDROCK_MODEL_ID`; credentials come from the usual AWS chain of this shell.
 *
 * @param env - usually `process.env`
 * @throws {@link EnvironmentError} naming the first bad variable
 */
export function settingsFromEnvironment(env: Env): CliSettings {
  const ports = {
    slack: port(env, PORT_ENV.slack, DEFAULT_PORTS.slack),
    slackApi: port(env, PORT_ENV.slackApi, DEFAULT_PORTS.slackApi),
    aws: port(env, PORT_ENV.aws, DEFAULT_PORTS.aws),
  };
  const consolePort = port(env, PORT_ENV.console, DEFAULT_PORTS.console);
  const percentage = integer(env, CLI_ENV.percentage, 100, 0, 100);
  const fallback = boolean(env, CLI_ENV.fallback, true);
  const modelLatencyMs = integer(env, CLI_ENV.modelLatency, 300, 0, 600_000);
  const ttftMs = integer(env, CLI_ENV.modelTtft, modelLatencyMs, 0, 600_000);
  const tokensPerSecond = integer(env, CLI_ENV.modelTokensPerSecond, 50, 0, 100_000);
  const answerTokens = value(env, CLI_ENV.modelAnswerTokens) === undefined ? undefined : integer(env, CLI_ENV.modelAnswerTokens, 0, 1, 100_000);
  const verbosity = choice(env, CLI_ENV.verbosity, ['quiet', 'events', 'all'] as const, 'events');

  const signingSecret = value(env, CLI_ENV.slackSigningSecret);
  const botToken = value(env, CLI_ENV.slackBotToken);
  if ((signingSecret === undefined) !== (botToken === undefined)) {
    throw new EnvironmentError(`set both ${CLI_ENV.slackSigningSecret} and ${CLI_ENV.slackBotToken} to use a real Slack workspace, or neither`);
  }
  const realSlack = signingSecret !== undefined && botToken !== undefined;
  if (realSlack && !botToken.startsWith('xoxb-')) throw new EnvironmentError(`${CLI_ENV.slackBotToken} must be a bot token (xoxb-…)`);

  const bedrock = choice(env, CLI_ENV.bedrock, ['local', 'aws'] as const, 'local');
  const realBedrock = bedrock === 'aws';
  const bedrockRegion = value(env, CLI_ENV.bedrockRegion) ?? 'us-east-1';
  const modelId = value(env, CLI_ENV.bedrockModelId);

  const options: LocalStackOptions = {
    ports,
    useApiGatewayPercentage: percentage,
    directInvokeFallback: fallback,
    modelLatencyMs,
    modelStream: { ttftMs, tokensPerSecond, ...(answerTokens !== undefined ? { answerTokens } : {}) },
    ...(realSlack ? { slack: { signingSecret, botToken, apiUrl: value(env, CLI_ENV.slackApiUrl) ?? 'https://slack.com/api/' } } : {}),
    ...(realBedrock
      ? {
          bedrockUpstream: { endpoint: `https://bedrock-runtime.${bedrockRegion}.amazonaws.com`, region: bedrockRegion, credentials: defaultProvider() },
        }
      : {}),
    ...(modelId !== undefined ? { functions: { execution: { environment: { BEDROCK_MODEL_ID: modelId } } } } : {}),
  };
  return { options, verbosity, consolePort, realSlack, realBedrock };
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new EnvironmentError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function port(env: Env, name: string, fallback: number): number {
  return integer(env, name, fallback, 0, 65_535);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = value(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new EnvironmentError(`${name} must be "true" or "false", got ${JSON.stringify(raw)}`);
}

function choice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new EnvironmentError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}
