import type { AppLogger } from '@slack-ai-app/logging';
import { createBedrockClient } from './bedrock';
import { createBotTokenProvider, secretsManagerReader } from './bot-token';
import { parseConfig } from './config';
import {
  createIdempotencyDynamoDbClient,
  createIdempotencyGuard,
  createPersistenceStore,
} from './idempotency';
import type { ExecutionDeps } from './run';
import { createStreamCheckpointStore } from './stream-checkpoint';
import { createSlackClient, slackApi, type SlackApi, type SlackClientObserver } from './slack';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Build the production dependencies from the environment: configuration (validated), the Bedrock and DynamoDB clients,
 * the idempotency guard and (when `SLACK_STREAMING`) the stream checkpoints on the same table, the bot-token provider (Secrets Manager loaded only when `SLACK_BOT_TOKEN_ARN` is set) and a
 * Slack client factory pointed at `SLACK_API_URL`. AWS endpoints are left to the SDK (`AWS_ENDPOINT_URL` locally).
 *
 * @throws `ConfigError` naming the first missing or invalid variable
 */
export function buildDependencies(env: Env, logger: AppLogger): ExecutionDeps {
  const config = parseConfig(env);
  const dynamoDb = createIdempotencyDynamoDbClient(config.region);
  const persistenceStore = createPersistenceStore(config.idempotencyTableName, dynamoDb);
  return {
    config,
    logger,
    guard: createIdempotencyGuard({ persistenceStore, expiresAfterSeconds: config.idempotencyTtlSeconds }),
    tokens: createBotTokenProvider(config.botToken, {
      ...(config.botToken.kind === 'secrets_manager' ? { readSecret: secretsManagerReader(config.region) } : {}),
    }),
    slack: slackClientCache(config.slackApiUrl),
    bedrock: createBedrockClient(config),
    ...(config.slackStreaming
      ? {
          checkpoints: createStreamCheckpointStore({
            client: dynamoDb,
            tableName: config.idempotencyTableName,
            ttlSeconds: config.idempotencyTtlSeconds,
          }),
        }
      : {}),
  };
}

/**
 * One Web API client per container, rebuilt only when the bot token changes (rotation, or a legacy payload's own
 * token): the client keeps its connection pool and its rate-limit state (`Retry-After`) across warm invocations.
 * Rate-limit events go to the observer of the invocation that asked last; Lambda runs one invocation per container
 * at a time.
 *
 * @param apiUrl - the Slack Web API base URL
 * @returns the `slack` dependency of the core
 */
export function slackClientCache(apiUrl: string): (token: string, observer: SlackClientObserver) => SlackApi {
  let cached: { token: string; api: SlackApi; observer: SlackClientObserver } | undefined;
  return (token, observer) => {
    if (cached?.token !== token) {
      const entry: { token: string; api?: SlackApi; observer: SlackClientObserver } = { token, observer };
      const forward: SlackClientObserver = { onRateLimited: (seconds, method) => entry.observer.onRateLimited(seconds, method) };
      entry.api = slackApi(createSlackClient(token, { apiUrl, observer: forward }));
      cached = entry as { token: string; api: SlackApi; observer: SlackClientObserver };
    }
    cached.observer = observer;
    return cached.api;
  };
}
