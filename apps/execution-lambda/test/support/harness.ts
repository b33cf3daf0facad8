import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  type ConverseCommandInput,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { createBotTokenProvider } from '../../src/bot-token';
import { parseConfig } from '../../src/config';
import { createIdempotencyGuard, createPersistenceStore } from '../../src/idempotency';
import type { ExecutionDeps } from '../../src/run';
import { createSlackClient, slackApi } from '../../src/slack';
import { createStreamCheckpointStore } from '../../src/stream-checkpoint';
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

/** Options of {@link converseStream}. */
export interface StreamScript {
  readonly stopReason?: string;
  /** Throw this error after that many text events (the stream breaks). */
  readonly breakAfter?: { readonly deltas: number; readonly error: Error };
  /** Called before each text event is given out (e.g. to move a test clock). */
  readonly beforeDelta?: (index: number) => void;
}

/**
 * A ConverseStream answer as the SDK hands it over: `messageStart`, one `contentBlockDelta` per text piece,
 * `contentBlockStop`, `messageStop`, `metadata`.
 */
export function converseStream(deltas: readonly string[], script: StreamScript = {}): { stream: AsyncIterable<ConverseStreamOutput>; $metadata: object } {
  async function* events(): AsyncGenerator<ConverseStreamOutput> {
    yield { messageStart: { role: 'assistant' } };
    for (const [index, text] of deltas.entries()) {
      if (script.breakAfter !== undefined && index === script.breakAfter.deltas) throw script.breakAfter.error;
      script.beforeDelta?.(index);
      yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text } } };
      await Promise.resolve();
    }
    yield { contentBlockStop: { contentBlockIndex: 0 } };
    yield { messageStop: { stopReason: (script.stopReason ?? 'end_turn') as 'end_turn' } };
    yield { metadata: { usage: { inputTokens: 42, outputTokens: deltas.length, totalTokens: 42 + deltas.length }, metrics: { latencyMs: 850 } } };
  }
  return { stream: events(), $metadata: {} };
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

  /**
   * Fresh table, Slack script, Bedrock mock and logs; `env` overrides the configuration. Answers are posted whole
   * (`SLACK_STREAMING=false`) unless `env` turns streaming on (`stream.spec.ts`).
   */
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
      SLACK_STREAMING: 'false',
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
      ...(config.slackStreaming
        ? {
            checkpoints: createStreamCheckpointStore({
              client: this.dynamo.client,
              tableName: this.table,
              ttlSeconds: config.idempotencyTtlSeconds,
            }),
          }
        : {}),
    };
  }

  /** Make Converse answer `text` (or the given output). */
  answer(text: string, overrides: Partial<ConverseCommandOutput> = {}): void {
    this.bedrock.on(ConverseCommand).resolves(converseAnswer(text, overrides));
  }

  /** Make ConverseStream answer with these text pieces (a fresh stream per call). */
  streamAnswer(deltas: readonly string[], script: StreamScript = {}): void {
    this.bedrock.on(ConverseStreamCommand).callsFake(() => converseStream(deltas, script));
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
