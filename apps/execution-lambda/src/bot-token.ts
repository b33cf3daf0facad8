import type { GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { errorName } from '@slack-ai-app/errors';
import type { BotTokenSourceConfig } from './config';
import { BotTokenError } from './errors';

/** How long a token read from Secrets Manager is reused before it is read again (rotation). */
export const BOT_TOKEN_CACHE_TTL_MS = 15 * 60 * 1_000;

/** Reads one secret's string value. Production: Secrets Manager `GetSecretValue`, created on first use. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

/** Gives the bot token for a request, caching it per container. */
export interface BotTokenProvider {
  /**
   * The token to call Slack with: the configured one (Secrets Manager or `SLACK_BOT_TOKEN`) or, when none is
   * configured, the token a legacy payload carried.
   *
   * @throws {@link BotTokenError} (retryable) when no token can be had; its message never contains the token
   */
  getToken(payloadToken?: string): Promise<string>;
  /** Forget the cached token (after Slack said `invalid_auth` / `token_revoked`), so the next call reads it again. */
  invalidate(): void;
}

/** Options of {@link createBotTokenProvider}. */
export interface BotTokenProviderOptions {
  readonly readSecret?: SecretReader;
  readonly now?: () => number;
  readonly ttlMs?: number;
}

/**
 * Extract the bot token from a secret's value: either the token itself, or JSON with a `botToken`,
 * `SLACK_BOT_TOKEN` or `bot_token` key.
 *
 * @throws {@link BotTokenError} for an empty or malformed value; the message never quotes the value
 */
export function parseBotTokenSecret(secretString: string | undefined): string {
  const value = (secretString ?? '').trim();
  if (value === '') throw new BotTokenError('The bot token secret is empty');
  if (!value.startsWith('{')) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // JSON.parse's message quotes the input: do not chain it.
    throw new BotTokenError('The bot token secret is neither a token nor valid JSON');
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const record = parsed as Record<string, unknown>;
    for (const key of ['botToken', 'SLACK_BOT_TOKEN', 'bot_token']) {
      const candidate = record[key];
      if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
    }
  }
  throw new BotTokenError('The bot token secret JSON has no botToken or SLACK_BOT_TOKEN key');
}

/**
 * The production {@link SecretReader}: a Secrets Manager client created (and its SDK module loaded) on first use only,
 * so that a container configured with `SLACK_BOT_TOKEN` never pays for it.
 */
export function secretsManagerReader(region: string): SecretReader {
  let client: Promise<{ read: (id: string) => Promise<GetSecretValueCommandOutput> }> | undefined;
  return async (secretId) => {
    client ??= import('@aws-sdk/client-secrets-manager').then((sdk) => {
      const sm = new sdk.SecretsManagerClient({
        region,
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
      });
      return { read: (id: string) => sm.send(new sdk.GetSecretValueCommand({ SecretId: id })) };
    });
    const output = await (await client).read(secretId);
    return output.SecretString;
  };
}

/**
 * Create the per-container token provider.
 *
 * @param source - from the configuration
 * @param options - `readSecret` is required for a `secrets_manager` source
 */
export function createBotTokenProvider(
  source: BotTokenSourceConfig,
  options: BotTokenProviderOptions = {},
): BotTokenProvider {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? BOT_TOKEN_CACHE_TTL_MS;
  let cached: { token: Promise<string>; at: number } | undefined;

  const fromSecret = async (secretId: string): Promise<string> => {
    if (options.readSecret === undefined) throw new BotTokenError('No secret reader configured');
    let secret: string | undefined;
    try {
      secret = await options.readSecret(secretId);
    } catch (error) {
      throw new BotTokenError(`Could not read the bot token from Secrets Manager (${errorName(error)})`, {
        cause: error,
      });
    }
    return parseBotTokenSecret(secret);
  };

  return {
    async getToken(payloadToken) {
      switch (source.kind) {
        case 'env':
          return source.token;
        case 'secrets_manager': {
          if (cached === undefined || now() - cached.at >= ttlMs) {
            const entry = { token: fromSecret(source.secretId), at: now() };
            cached = entry;
            // A failed read is not cached: the next request tries again.
            entry.token.catch(() => {
              if (cached === entry) cached = undefined;
            });
          }
          return cached.token;
        }
        case 'none':
          if (payloadToken !== undefined && payloadToken !== '') return payloadToken;
          throw new BotTokenError('No bot token: set SLACK_BOT_TOKEN_ARN (or SLACK_BOT_TOKEN locally)');
      }
    },
    invalidate() {
      cached = undefined;
    },
  };
}
