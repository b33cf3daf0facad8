import { CONFIG_DEFAULTS, DEFAULT_BEDROCK_MODEL_ID, DEFAULT_SYSTEM_PROMPT, parseConfig } from '../src/config';
import { ConfigError } from '@slack-ai-app/errors';

const base = { AWS_REGION: 'us-east-1', IDEMPOTENCY_TABLE_NAME: 'idempotency' };

function failure(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('parseConfig accepted the environment');
}

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseConfig(base)).toEqual({
      region: 'us-east-1',
      botToken: { kind: 'none' },
      idempotencyTableName: 'idempotency',
      idempotencyTtlSeconds: 86_400,
      bedrock: {
        modelId: DEFAULT_BEDROCK_MODEL_ID,
        systemPrompt: DEFAULT_SYSTEM_PROMPT,
        maxTokens: CONFIG_DEFAULTS.bedrockMaxTokens,
        temperature: CONFIG_DEFAULTS.bedrockTemperature,
        timeoutMs: 60_000,
        maxAttempts: 5,
      },
      threadHistoryLimit: 20,
      slackApiUrl: 'https://slack.com/api/',
      slackStreaming: true,
    });
    expect(DEFAULT_BEDROCK_MODEL_ID).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('reads every variable', () => {
    const config = parseConfig({
      ...base,
      SLACK_BOT_TOKEN_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bot-token',
      SLACK_BOT_TOKEN: 'xoxb-ignored-when-arn-set',
      IDEMPOTENCY_TTL_SECONDS: '3600',
      BEDROCK_MODEL_ID: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      BEDROCK_SYSTEM_PROMPT: 'Be brief.',
      BEDROCK_MAX_TOKENS: '512',
      BEDROCK_TEMPERATURE: '0.7',
      BEDROCK_TIMEOUT_MS: '30000',
      BEDROCK_MAX_ATTEMPTS: '6',
      THREAD_HISTORY_LIMIT: '0',
      SLACK_API_URL: 'http://127.0.0.1:4567/api',
      SLACK_STREAMING: 'false',
    });
    expect(config.slackStreaming).toBe(false);
    expect(config.botToken).toEqual({
      kind: 'secrets_manager',
      secretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bot-token',
    });
    expect(config.idempotencyTtlSeconds).toBe(3600);
    expect(config.bedrock).toEqual({
      modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      systemPrompt: 'Be brief.',
      maxTokens: 512,
      temperature: 0.7,
      timeoutMs: 30_000,
      maxAttempts: 6,
    });
    expect(config.threadHistoryLimit).toBe(0);
    expect(config.slackApiUrl).toBe('http://127.0.0.1:4567/api/');
  });

  it('uses SLACK_BOT_TOKEN when no ARN is set', () => {
    expect(parseConfig({ ...base, SLACK_BOT_TOKEN: 'xoxb-local-token' }).botToken).toEqual({
      kind: 'env',
      token: 'xoxb-local-token',
    });
  });

  it.each([
    ['AWS_REGION', { IDEMPOTENCY_TABLE_NAME: 'idempotency' }, 'AWS_REGION is required but not set'],
    ['IDEMPOTENCY_TABLE_NAME', { AWS_REGION: 'us-east-1', IDEMPOTENCY_TABLE_NAME: '  ' }, 'IDEMPOTENCY_TABLE_NAME is required but not set'],
    ['BEDROCK_MAX_TOKENS', { ...base, BEDROCK_MAX_TOKENS: '12.5' }, 'BEDROCK_MAX_TOKENS must be a whole number between 1 and 65536'],
    ['BEDROCK_MAX_TOKENS', { ...base, BEDROCK_MAX_TOKENS: '0' }, 'BEDROCK_MAX_TOKENS must be a whole number between 1 and 65536'],
    ['BEDROCK_TEMPERATURE', { ...base, BEDROCK_TEMPERATURE: '1.5' }, 'BEDROCK_TEMPERATURE must be a number between 0 and 1'],
    ['BEDROCK_TEMPERATURE', { ...base, BEDROCK_TEMPERATURE: 'warm' }, 'BEDROCK_TEMPERATURE must be a number between 0 and 1'],
    ['BEDROCK_TIMEOUT_MS', { ...base, BEDROCK_TIMEOUT_MS: '10' }, 'BEDROCK_TIMEOUT_MS must be a whole number between 1000 and 900000'],
    ['BEDROCK_MAX_ATTEMPTS', { ...base, BEDROCK_MAX_ATTEMPTS: '0' }, 'BEDROCK_MAX_ATTEMPTS must be a whole number between 1 and 10'],
    ['THREAD_HISTORY_LIMIT', { ...base, THREAD_HISTORY_LIMIT: '-1' }, 'THREAD_HISTORY_LIMIT must be a whole number between 0 and 200'],
    ['IDEMPOTENCY_TTL_SECONDS', { ...base, IDEMPOTENCY_TTL_SECONDS: '5' }, 'IDEMPOTENCY_TTL_SECONDS must be a whole number between 60 and 2592000'],
    ['SLACK_API_URL', { ...base, SLACK_API_URL: 'not a url' }, 'SLACK_API_URL must be an absolute http(s) URL'],
    ['SLACK_API_URL', { ...base, SLACK_API_URL: 'ftp://example.com/api/' }, 'SLACK_API_URL must be an absolute http(s) URL'],
    ['SLACK_STREAMING', { ...base, SLACK_STREAMING: 'yes' }, 'SLACK_STREAMING must be true or false'],
  ])('names %s when it is invalid', (variable, env, message) => {
    const error = failure(env);
    expect(error.variables).toEqual([variable]);
    expect(error.message).toBe(message);
    expect(error.name).toBe('ConfigError');
  });

  it('never echoes a bad SLACK_BOT_TOKEN value', () => {
    const error = failure({ ...base, SLACK_BOT_TOKEN: 'secret-value-not-a-token' });
    expect(error.message).toBe('SLACK_BOT_TOKEN must be a Slack token (xox…)');
    expect(JSON.stringify(error)).not.toContain('secret-value-not-a-token');
  });
});
