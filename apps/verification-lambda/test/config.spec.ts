import { parseConfig, executeUrlFrom } from '../src/config';
import { ConfigError } from '@slack-ai-app/errors';

const BASE = { SLACK_SIGNING_SECRET_ARN: 'slack/signing-secret', BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:exec' };

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('parseConfig did not throw');
}

describe('parseConfig', () => {
  it('parses a minimal direct-path configuration with defaults', () => {
    const config = parseConfig(BASE);
    expect(config).toEqual({
      signingSecret: { kind: 'secrets-manager', secretId: 'slack/signing-secret', extensionPort: 2773 },
      allowList: { teamIds: undefined, userIds: undefined, channelIds: undefined },
      handoff: {
        useApiGateway: false,
        apiGatewayPercentage: undefined,
        executionApi: { ok: false, reason: 'missing' },
        executionApiTimeoutMs: 2000,
        bedrockProcessorArn: BASE.BEDROCK_PROCESSOR_ARN,
        region: undefined,
      },
      botUserId: undefined,
    });
  });

  it('names both secret variables when neither is set', () => {
    const error = configError({ BEDROCK_PROCESSOR_ARN: 'fn' });
    expect(error.variables).toEqual(['SLACK_SIGNING_SECRET_ARN', 'SLACK_SIGNING_SECRET']);
    expect(error.message).toBe(
      'SLACK_SIGNING_SECRET_ARN or SLACK_SIGNING_SECRET must be set (the Secrets Manager name or ARN of the Slack signing secret, or the secret itself for local use)',
    );
    expect(error.name).toBe('ConfigError');
  });

  it('accepts the plain SLACK_SIGNING_SECRET without copying its value', () => {
    const config = parseConfig({ SLACK_SIGNING_SECRET: 'plain-local-secret', BEDROCK_PROCESSOR_ARN: 'fn' });
    expect(config.signingSecret).toEqual({ kind: 'environment' });
    expect(JSON.stringify(config)).not.toContain('plain-local-secret');
  });

  it('prefers SLACK_SIGNING_SECRET_ARN when both are set, and reads the extension port', () => {
    const config = parseConfig({ ...BASE, SLACK_SIGNING_SECRET: 'x', PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2999' });
    expect(config.signingSecret).toEqual({ kind: 'secrets-manager', secretId: BASE.SLACK_SIGNING_SECRET_ARN, extensionPort: 2999 });
  });

  it.each([
    ['USE_API_GATEWAY', 'yes', 'USE_API_GATEWAY must be "true" or "false", got "yes"'],
    ['USE_API_GATEWAY_PERCENTAGE', '101', 'USE_API_GATEWAY_PERCENTAGE must be an integer from 0 to 100, got "101"'],
    ['USE_API_GATEWAY_PERCENTAGE', '12.5', 'USE_API_GATEWAY_PERCENTAGE must be an integer from 0 to 100, got "12.5"'],
    ['EXECUTION_API_TIMEOUT_MS', '0', 'EXECUTION_API_TIMEOUT_MS must be an integer from 1 to 60000, got "0"'],
    ['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', 'http', 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be an integer from 1 to 65535, got "http"'],
    ['ALLOWED_USER_IDS', ' , ,', 'ALLOWED_USER_IDS lists no id (leave it unset to allow everyone)'],
  ])('names %s when it is %j', (name, value, message) => {
    const error = configError({ ...BASE, [name]: value });
    expect(error.variables).toEqual([name]);
    expect(error.message).toBe(message);
  });

  it('reports every bad variable at once', () => {
    const error = configError({ USE_API_GATEWAY: 'maybe', EXECUTION_API_TIMEOUT_MS: '-1' });
    expect(error.variables).toEqual(['SLACK_SIGNING_SECRET_ARN', 'SLACK_SIGNING_SECRET', 'USE_API_GATEWAY', 'EXECUTION_API_TIMEOUT_MS', 'EXECUTION_FUNCTION_ARN', 'BEDROCK_PROCESSOR_ARN']);
  });

  it('requires BEDROCK_PROCESSOR_ARN unless every event goes by a usable API', () => {
    expect(configError({ SLACK_SIGNING_SECRET: 's' }).variables).toEqual(['EXECUTION_FUNCTION_ARN', 'BEDROCK_PROCESSOR_ARN']);
    expect(configError({ SLACK_SIGNING_SECRET: 's', USE_API_GATEWAY_PERCENTAGE: '50', EXECUTION_API_URL: 'https://a.example/prod', AWS_REGION: 'us-east-1' }).variables).toEqual(['EXECUTION_FUNCTION_ARN', 'BEDROCK_PROCESSOR_ARN']);
    expect(configError({ SLACK_SIGNING_SECRET: 's', USE_API_GATEWAY: 'true', EXECUTION_API_URL: 'not a url', AWS_REGION: 'us-east-1' }).variables).toEqual(['EXECUTION_FUNCTION_ARN', 'BEDROCK_PROCESSOR_ARN']);
    const apiOnly = parseConfig({ SLACK_SIGNING_SECRET: 's', USE_API_GATEWAY: 'TRUE', EXECUTION_API_URL: 'https://a.example/prod/', AWS_REGION: 'eu-west-1' });
    expect(apiOnly.handoff).toMatchObject({ useApiGateway: true, bedrockProcessorArn: undefined, region: 'eu-west-1' });
  });

  it('requires AWS_REGION when API traffic is configured', () => {
    expect(configError({ ...BASE, USE_API_GATEWAY: 'true', EXECUTION_API_URL: 'https://a.example/prod' }).variables).toEqual(['AWS_REGION']);
    expect(parseConfig({ ...BASE, USE_API_GATEWAY: 'true', EXECUTION_API_URL: 'https://a.example/prod', AWS_DEFAULT_REGION: 'us-west-2' }).handoff.region).toBe('us-west-2');
  });

  it('does not fail on a missing or invalid EXECUTION_API_URL (the direct path takes over)', () => {
    expect(parseConfig({ ...BASE, USE_API_GATEWAY: 'true' }).handoff.executionApi).toEqual({ ok: false, reason: 'missing' });
    expect(parseConfig({ ...BASE, USE_API_GATEWAY: 'true', EXECUTION_API_URL: 'ftp://x/prod' }).handoff.executionApi).toEqual({ ok: false, reason: 'invalid' });
  });

  it('parses allow-lists, trimming and dropping empty entries; empty values do not restrict', () => {
    const config = parseConfig({ ...BASE, ALLOWED_TEAM_IDS: ' T1, T2 ,,', ALLOWED_USER_IDS: '', ALLOWED_CHANNEL_IDS: 'C1' });
    expect(config.allowList.teamIds).toEqual(new Set(['T1', 'T2']));
    expect(config.allowList.userIds).toBeUndefined();
    expect(config.allowList.channelIds).toEqual(new Set(['C1']));
  });

  it('reads SLACK_BOT_USER_ID', () => {
    expect(parseConfig({ ...BASE, SLACK_BOT_USER_ID: 'U0BOT' }).botUserId).toBe('U0BOT');
  });
});

describe('executeUrlFrom', () => {
  it.each([
    ['https://abc.execute-api.us-east-1.amazonaws.com/prod', 'https://abc.execute-api.us-east-1.amazonaws.com/prod/execute'],
    ['https://abc.execute-api.us-east-1.amazonaws.com/prod/', 'https://abc.execute-api.us-east-1.amazonaws.com/prod/execute'],
    ['https://abc.execute-api.us-east-1.amazonaws.com/prod//', 'https://abc.execute-api.us-east-1.amazonaws.com/prod/execute'],
    ['http://127.0.0.1:4566/restapis/localapi/prod/_user_request_', 'http://127.0.0.1:4566/restapis/localapi/prod/_user_request_/execute'],
    ['https://api.example.com', 'https://api.example.com/execute'],
  ])('turns %s into %s', (stage, execute) => {
    expect(executeUrlFrom(stage)).toEqual({ ok: true, executeUrl: execute });
  });

  it.each(['not a url', 'ftp://host/prod', 'https://host/prod?x=1', 'https://host/prod#frag'])('refuses %j', (url) => {
    expect(executeUrlFrom(url)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('reports a missing URL', () => {
    expect(executeUrlFrom(undefined)).toEqual({ ok: false, reason: 'missing' });
  });
});
