import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createBotTokenProvider, parseBotTokenSecret, secretsManagerReader } from '../src/bot-token';
import { BotTokenError } from '../src/errors';

const TOKEN = 'xoxb-123456789012-123456789012-SecretBotTokenValue';
const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:slack-bot-token';

describe('parseBotTokenSecret', () => {
  it.each([
    ['a plain token', TOKEN],
    ['JSON with botToken', JSON.stringify({ botToken: TOKEN })],
    ['JSON with SLACK_BOT_TOKEN', JSON.stringify({ SLACK_BOT_TOKEN: TOKEN, other: 'x' })],
  ])('reads %s', (_label, secret) => {
    expect(parseBotTokenSecret(`${secret}\n`)).toBe(TOKEN);
  });

  it.each([
    ['an empty secret', '', 'The bot token secret is empty'],
    ['broken JSON', `{"botToken": "${TOKEN}"`, 'The bot token secret is neither a token nor valid JSON'],
    ['JSON without a known key', JSON.stringify({ token: TOKEN }), 'The bot token secret JSON has no botToken or SLACK_BOT_TOKEN key'],
  ])('refuses %s without quoting it', (_label, secret, message) => {
    let caught: unknown;
    try {
      parseBotTokenSecret(secret);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BotTokenError);
    expect((caught as BotTokenError).message).toBe(message);
    expect((caught as BotTokenError).cause).toBeUndefined();
    expect(String((caught as Error).stack)).not.toContain('SecretBotTokenValue');
  });
});

describe('createBotTokenProvider', () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());

  it('reads Secrets Manager once and caches the token', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: JSON.stringify({ botToken: TOKEN }) });
    const provider = createBotTokenProvider({ kind: 'secrets_manager', secretId: ARN }, { readSecret: secretsManagerReader('us-east-1') });
    await expect(provider.getToken()).resolves.toBe(TOKEN);
    await expect(Promise.all([provider.getToken(), provider.getToken()])).resolves.toEqual([TOKEN, TOKEN]);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads again after the cache expires or is invalidated', async () => {
    let now = 0;
    const reads: string[] = [];
    const provider = createBotTokenProvider(
      { kind: 'secrets_manager', secretId: ARN },
      { readSecret: async (id) => (reads.push(id), TOKEN), now: () => now, ttlMs: 1_000 },
    );
    await provider.getToken();
    now = 999;
    await provider.getToken();
    expect(reads).toHaveLength(1);
    now = 1_000;
    await provider.getToken();
    expect(reads).toHaveLength(2);
    provider.invalidate();
    await provider.getToken();
    expect(reads).toHaveLength(3);
  });

  it('does not cache a failed read, and names only the AWS error', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error(`User: arn:aws:sts::000000000000:assumed-role/x is not authorized on ${ARN}`), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: TOKEN });
    const provider = createBotTokenProvider({ kind: 'secrets_manager', secretId: ARN }, { readSecret: secretsManagerReader('us-east-1') });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotTokenError);
    expect((error as BotTokenError).message).toBe('Could not read the bot token from Secrets Manager (AccessDeniedException)');
    expect((error as BotTokenError).retryable).toBe(true);
    await expect(provider.getToken()).resolves.toBe(TOKEN);
  });

  it('prefers the configured token over a payload token', async () => {
    const provider = createBotTokenProvider({ kind: 'env', token: 'xoxb-configured' });
    await expect(provider.getToken('xoxb-from-payload')).resolves.toBe('xoxb-configured');
  });

  it('accepts a legacy payload token when none is configured, and fails clearly without one', async () => {
    const provider = createBotTokenProvider({ kind: 'none' });
    await expect(provider.getToken('xoxb-from-payload')).resolves.toBe('xoxb-from-payload');
    await expect(provider.getToken()).rejects.toThrow('No bot token: set SLACK_BOT_TOKEN_ARN (or SLACK_BOT_TOKEN locally)');
  });
});
