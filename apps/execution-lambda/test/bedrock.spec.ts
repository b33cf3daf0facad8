import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  InternalServerException,
  ModelNotReadyException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { classifyBedrockError, createBedrockClient, invokeModel } from '../src/bedrock';
import { CONFIG_DEFAULTS, parseConfig } from '../src/config';
import { BEDROCK_ERROR_CATALOGUE, BedrockInvocationError } from '../src/errors';

const config = parseConfig({ AWS_REGION: 'us-east-1', IDEMPOTENCY_TABLE_NAME: 't', BEDROCK_SYSTEM_PROMPT: 'Be brief.' });
const meta = { $metadata: {}, message: 'details with arn:aws:bedrock:us-east-1:000000000000:foo' };

describe('classifyBedrockError', () => {
  it.each([
    [new ThrottlingException(meta), 'bedrock_throttled', false],
    [new AccessDeniedException(meta), 'bedrock_access_denied', false],
    [new ResourceNotFoundException(meta), 'bedrock_access_denied', false],
    [new ModelTimeoutException(meta), 'bedrock_timeout', false],
    [Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), 'bedrock_timeout', false],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'bedrock_timeout', false],
    [new ValidationException(meta), 'bedrock_validation_error', false],
    [new ServiceUnavailableException(meta), 'bedrock_error', true],
    [new InternalServerException(meta), 'bedrock_error', true],
    [new ModelNotReadyException(meta), 'bedrock_error', true],
    [new Error('ECONNRESET'), 'bedrock_error', true],
  ])('classifies %s', (error, kind, retryable) => {
    const classified = classifyBedrockError(error);
    expect(classified).toBeInstanceOf(BedrockInvocationError);
    expect(classified.kind).toBe(kind);
    expect(classified.retryable).toBe(retryable);
    expect(classified.cause).toBe(error);
    expect(classified.message).not.toContain('arn:');
  });

  it('gives every terminal kind a friendly message and none to the transient one', () => {
    for (const [kind, entry] of Object.entries(BEDROCK_ERROR_CATALOGUE)) {
      expect(entry.logEvent).toBe(kind);
      if (entry.retryable) expect(entry.userMessage).toBeUndefined();
      else expect(entry.userMessage).toMatch(/^:[a-z_]+: .{20,200}$/);
    }
  });
});

describe('createBedrockClient', () => {
  it('configures retries and timeouts', async () => {
    const client = createBedrockClient(config);
    expect(await client.config.maxAttempts()).toBe(CONFIG_DEFAULTS.bedrockMaxAttempts);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    expect(await client.config.region()).toBe('us-east-1');
    client.destroy();
  });

  it('takes its attempts from BEDROCK_MAX_ATTEMPTS', async () => {
    const client = createBedrockClient(parseConfig({ AWS_REGION: 'us-east-1', IDEMPOTENCY_TABLE_NAME: 't', BEDROCK_MAX_ATTEMPTS: '7' }));
    expect(await client.config.maxAttempts()).toBe(7);
    client.destroy();
  });
});

describe('invokeModel', () => {
  const bedrock = mockClient(BedrockRuntimeClient);
  const client = new BedrockRuntimeClient({ region: 'us-east-1' });
  afterEach(() => bedrock.reset());

  it('sends the conversation, system prompt and inference settings, and returns text and token counts', async () => {
    bedrock.on(ConverseCommand).resolves({
      output: { message: { role: 'assistant', content: [{ text: 'Paris' }, { text: ' is the capital.' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 12, outputTokens: 7, totalTokens: 19 },
      metrics: { latencyMs: 321 },
    });
    const answer = await invokeModel({
      client,
      bedrock: config.bedrock,
      conversation: [{ role: 'user', text: 'Capital of France?' }],
      budgetMs: 30_000,
    });
    expect(answer).toEqual({ text: 'Paris is the capital.', stopReason: 'end_turn', inputTokens: 12, outputTokens: 7, latencyMs: 321 });
    expect(bedrock.commandCalls(ConverseCommand)[0].args[0].input).toEqual({
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Capital of France?' }] }],
      inferenceConfig: { maxTokens: 2048, temperature: 0.3 },
    });
  });

  it('reports an exhausted time budget as a timeout without calling the model', async () => {
    await expect(
      invokeModel({ client, bedrock: config.bedrock, conversation: [{ role: 'user', text: 'q' }], budgetMs: 500 }),
    ).rejects.toMatchObject({ kind: 'bedrock_timeout', retryable: false });
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
  });

  it('classifies a failed call', async () => {
    bedrock.on(ConverseCommand).rejects(new ThrottlingException({ $metadata: { attempts: 3 }, message: 'Too many requests' }));
    await expect(
      invokeModel({ client, bedrock: config.bedrock, conversation: [{ role: 'user', text: 'q' }], budgetMs: 30_000 }),
    ).rejects.toMatchObject({ name: 'BedrockInvocationError', kind: 'bedrock_throttled', awsErrorName: 'ThrottlingException' });
  });
});
