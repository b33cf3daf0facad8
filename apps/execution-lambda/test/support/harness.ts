import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { createBotTokenProvider } from '../../src/bot-token';
import { parseConfig } from '../../src/config';
import { createIdempotencyGuard, createPersistenceStore } from '../../src/idempotency';
import type { ExecutionDeps } from '../../src/process-event';
import { createSlackClient, slackApi } from '../../src/slack';
import { LocalDynamo } from './dynalite';
import { captureLogs, type CapturedLogs } from './logs';
import { SlackStandIn } from './slack-stand-in';

/** The bot token the tests configure. It must never appear in logs. */
export const BOT_TOKEN = 'xoxb-123456789012-123456789012-HarnessBotTokenValue';

/** A Converse answer as Bedrock returns it. */
export function converseAnswer(text: string, overrides: Partial<ConverseCommandOutput> = {}): ConverseCommandOutput {
  return {
    $metadata: {},
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 42, outputTokens: 17, totalTokens: 59 },
    metrics: { latencyMs: 850 },
    ...overrides,
  };
}

/**
 * Real interfaces around the core: dynalite for the idempotency table, a local Slack stand-in reached through the real
 * `@slack/web-api` client, and aws-sdk-client-mock for Bedrock Converse.
 */
export class Harness {
  readonly dynamo = new LocalDynamo();
  readonly slack = new SlackStandIn();
  bedrock!: AwsClientStub<BedrockRuntimeClient>;
  logs!: CapturedLogs;
  deps!: ExecutionDeps;
  table = '';
  private tables = 0;

  async start(): Promise<void> {
    await Promise.all([this.dynamo.start(), this.slack.start()]);
    this.bedrock = mockClient(BedrockRuntimeClient);
  }

  async stop(): Promise<void> {
    this.bedrock.restore();
    await Promise.all([this.dynamo.stop(), this.slack.stop()]);
  }

  /** Fresh table, Slack script, Bedrock mock and logs; `env` overrides the configuration. */
  async reset(env: Record<string, string> = {}): Promise<void> {
    this.tables += 1;
    this.table = `idempotency-${this.tables}`;
    await this.dynamo.createIdempotencyTable(this.table);
    this.slack.reset();
    this.bedrock.reset();
    this.logs = captureLogs();
    const config = parseConfig({
      AWS_REGION: 'us-east-1',
      IDEMPOTENCY_TABLE_NAME: this.table,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: this.slack.apiUrl,
      ...env,
    });
    this.deps = {
      config,
      logger: this.logs.logger,
      guard: createIdempotencyGuard({
        persistenceStore: createPersistenceStore(this.table, this.dynamo.client),
        expiresAfterSeconds: config.idempotencyTtlSeconds,
      }),
      tokens: createBotTokenProvider(config.botToken),
      slack: (token, observer) =>
        slackApi(createSlackClient(token, { apiUrl: config.slackApiUrl, observer, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 1 } })),
      bedrock: new BedrockRuntimeClient({ region: 'us-east-1' }),
    };
  }

  /** Make Converse answer `text` (or the given output). */
  answer(text: string, overrides: Partial<ConverseCommandOutput> = {}): void {
    this.bedrock.on(ConverseCommand).resolves(converseAnswer(text, overrides));
  }

  /** The inputs Converse received. */
  converseInputs(): ConverseCommandInput[] {
    return this.bedrock.commandCalls(ConverseCommand).map((c) => c.args[0].input);
  }

  /** `[method, params]` of every Slack call, in order. */
  slackCalls(): Array<[string, Record<string, string>]> {
    return this.slack.calls.map((c) => [c.method, c.params]);
  }
}
