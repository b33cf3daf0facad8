import type { AppLogger } from '@slack-ai-app/logging';
import { createBedrockClient } from './bedrock';
import { createBotTokenProvider, secretsManagerReader } from './bot-token';
import { parseConfig } from './config';
import {
  createIdempotencyDynamoDbClient,
  createIdempotencyGuard,
  createPersistenceStore,
} from './idempotency';
import type { ExecutionDeps } from './process-event';
import { createSlackClient, slackApi } from './slack';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Build the production dependencies from the environment: configuration (validated), the Bedrock and DynamoDB clients,
 * the idempotency guard, the bot-token provider (Secrets Manager loaded only when `SLACK_BOT_TOKEN_ARN` is set) and a
 * Slack client factory pointed at `SLACK_API_URL`. AWS endpoints are left to the SDK (`AWS_ENDPOINT_URL` locally).
 *
 * @throws `ConfigError` naming the first missing or invalid variable
 */
export function buildDependencies(env: Env, logger: AppLogger): ExecutionDeps {
  const config = parseConfig(env);
  const persistenceStore = createPersistenceStore(
    config.idempotencyTableName,
    createIdempotencyDynamoDbClient(config.region),
  );
  return {
    config,
    logger,
    guard: createIdempotencyGuard({ persistenceStore, expiresAfterSeconds: config.idempotencyTtlSeconds }),
    tokens: createBotTokenProvider(config.botToken, {
      ...(config.botToken.kind === 'secrets_manager' ? { readSecret: secretsManagerReader(config.region) } : {}),
    }),
    slack: (token, observer) => slackApi(createSlackClient(token, { apiUrl: config.slackApiUrl, observer })),
    bedrock: createBedrockClient(config),
  };
}
