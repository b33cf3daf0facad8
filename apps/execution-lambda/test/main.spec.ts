import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { ExecutionHandler } from '../src/handler';
import { fakeContext } from './support/context';
import { LocalDynamo, TEST_CREDENTIALS } from './support/dynalite';
import { loadEvent } from './support/fixtures';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { checkpointKey } from '../src/stream-checkpoint';
import { converseAnswer, converseStream } from './support/harness';
import { SlackStandIn } from './support/slack-stand-in';

const SECRET_TOKEN = 'xoxb-123456789012-123456789012-FromSecretsManager';
const ENV_KEYS = [
  'AWS_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'IDEMPOTENCY_TABLE_NAME',
  'SLACK_BOT_TOKEN',
  'SLACK_BOT_TOKEN_ARN',
  'SLACK_API_URL',
  'LOG_LEVEL',
  'BEDROCK_MODEL_ID',
  'BEDROCK_SYSTEM_PROMPT',
  'BEDROCK_MAX_TOKENS',
  'BEDROCK_TEMPERATURE',
  'BEDROCK_TIMEOUT_MS',
  'BEDROCK_MAX_ATTEMPTS',
  'THREAD_HISTORY_LIMIT',
  'IDEMPOTENCY_TTL_SECONDS',
  'SLACK_STREAMING',
];

interface ColdStart {
  handler?: ExecutionHandler;
  error?: unknown;
  stdout: string[];
  /** Bedrock mocked on the fresh module registry's client class (the one main.ts uses). */
  bedrock?: AwsClientStub<BedrockRuntimeClient>;
}

const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

/** Put the environment back as it was before the test (the SDK reads it lazily, so it stays set during the test). */
function restoreEnv(): void {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** Load `src/main.ts` afresh (cold start) under `env`, capturing what it writes to stdout. */
function coldStart(env: Record<string, string>): ColdStart {
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, env);
  const stdout: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  const result: ColdStart = { stdout };
  try {
    jest.isolateModules(() => {
      const sdk = require('@aws-sdk/client-bedrock-runtime') as { BedrockRuntimeClient: typeof BedrockRuntimeClient };
      result.bedrock = mockClient(sdk.BedrockRuntimeClient);
      result.handler = (require('../src/main') as { handler: ExecutionHandler }).handler;
    });
  } catch (error) {
    result.error = error;
  }
  return result;
}

describe('main (the built handler’s wiring)', () => {
  const dynamo = new LocalDynamo();
  const slack = new SlackStandIn();
  const secrets = mockClient(SecretsManagerClient);
  let tables = 0;

  beforeAll(async () => {
    await Promise.all([dynamo.start(), slack.start()]);
  });
  afterAll(async () => {
    secrets.restore();
    await Promise.all([dynamo.stop(), slack.stop()]);
  });
  beforeEach(() => {
    slack.reset();
    secrets.reset();
  });
  afterEach(restoreEnv);

  async function baseEnv(): Promise<Record<string, string>> {
    tables += 1;
    const table = `main-${tables}`;
    await dynamo.createIdempotencyTable(table);
    return {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      IDEMPOTENCY_TABLE_NAME: table,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'info',
      // The non-streamed post; the streamed wiring has its own test below.
      SLACK_STREAMING: 'false',
    };
  }

  it('fails the cold start on a bad variable, logging config_invalid with its name only', () => {
    const { error, stdout } = coldStart({ AWS_REGION: 'us-east-1', BEDROCK_TEMPERATURE: '7' });
    expect(error).toMatchObject({ name: 'ConfigError', variables: ['IDEMPOTENCY_TABLE_NAME'] });
    const line = JSON.parse(stdout.join('').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({
      event: 'config_invalid',
      level: 'error',
      service: 'execution',
      variables: ['IDEMPOTENCY_TABLE_NAME'],
      message: 'IDEMPOTENCY_TABLE_NAME is required but not set',
    });
  });

  it('answers once when the same event arrives via API Gateway and via direct invoke', async () => {
    const { handler, error, stdout, bedrock } = coldStart({ ...(await baseEnv()), SLACK_BOT_TOKEN: 'xoxb-local-token' });
    expect(error).toBeUndefined();
    bedrock?.onAnyCommand().resolves(converseAnswer('Paris.'));
    await expect(handler?.(loadEvent('api-gateway/execution-request.json'), fakeContext())).resolves.toEqual({
      outcome: 'replied',
      parts: 1,
    });
    await expect(handler?.(loadEvent('direct/execution-request.json'), fakeContext())).resolves.toEqual({ outcome: 'duplicate' });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.calls[0].authorization).toBe('Bearer xoxb-local-token');
    expect(stdout.join('')).not.toContain('xoxb-local-token');
  });

  it('streams by default: ConverseStream into chat.startStream/stopStream, the stream checkpoint in the same table', async () => {
    const { SLACK_STREAMING: _posted, ...env } = await baseEnv();
    const { handler, error, bedrock } = coldStart({ ...env, SLACK_BOT_TOKEN: 'xoxb-local-token' });
    expect(error).toBeUndefined();
    bedrock?.onAnyCommand().callsFake(() => converseStream(['Paris', ' is the capital.']));
    await expect(handler?.(loadEvent('api-gateway/execution-request.json'), fakeContext())).resolves.toEqual({
      outcome: 'replied',
      parts: 1,
      delivery: 'stream',
    });
    expect(slack.calls.map((c) => [c.method, c.params['markdown_text']])).toEqual([
      ['reactions.add', undefined],
      ['chat.startStream', 'Paris'],
      ['chat.stopStream', ' is the capital.'],
      ['reactions.remove', undefined],
    ]);
    const item = await dynamo.client.send(
      new GetItemCommand({ TableName: env['IDEMPOTENCY_TABLE_NAME'], Key: { id: { S: checkpointKey('Ev0123DIRECT') } }, ConsistentRead: true }),
    );
    // The stand-in's first chat.startStream answers ts 1700000200.000001.
    expect(item.Item?.['stream_ts']).toEqual({ S: '1700000200.000001' });
  });

  it('reads the bot token from Secrets Manager when SLACK_BOT_TOKEN_ARN is set, once per container', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:slack-bot-token-AbCdEf';
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: JSON.stringify({ botToken: SECRET_TOKEN }) });
    const { handler, stdout, bedrock, error } = coldStart({ ...(await baseEnv()), SLACK_BOT_TOKEN_ARN: arn });
    expect(error).toBeUndefined();
    bedrock?.onAnyCommand().resolves(converseAnswer('Paris.'));
    await expect(handler?.(loadEvent('direct/execution-request.json'), fakeContext())).resolves.toMatchObject({ outcome: 'replied' });
    await expect(handler?.(loadEvent('direct/in-thread.json'), fakeContext())).resolves.toMatchObject({ outcome: 'replied' });
    expect(slack.callsTo('chat.postMessage').map((c) => c.authorization)).toEqual([`Bearer ${SECRET_TOKEN}`, `Bearer ${SECRET_TOKEN}`]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(stdout.join('')).not.toContain(SECRET_TOKEN);
  });
});
