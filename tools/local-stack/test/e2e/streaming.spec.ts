import { BedrockRuntimeClient, ConverseStreamCommand, ModelStreamErrorException } from '@aws-sdk/client-bedrock-runtime';
import type { LocalStack } from '../../src';
import { credentialsOf, startTestStack } from '../support/stack';

/**
 * Streamed answers through the whole stack: the real SDK's ConverseStreamCommand against the local event stream, and
 * the execution function streaming into the Slack stand-in with chat.startStream / appendStream / stopStream.
 */

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
let stack: LocalStack;
let bedrock: BedrockRuntimeClient;

beforeAll(async () => {
  stack = await startTestStack();
  bedrock = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: stack.urls.aws, maxAttempts: 1, credentials: credentialsOf('execution') });
});
afterAll(async () => {
  bedrock.destroy();
  await stack.stop();
});
afterEach(() => {
  stack.faults.clear();
  stack.modelStream = {};
});

async function streamTexts(): Promise<{ texts: string[]; stopReason?: string; outputTokens?: number }> {
  const output = await bedrock.send(
    new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'What is SigV4?' }] }] }),
  );
  const texts: string[] = [];
  let stopReason: string | undefined;
  let outputTokens: number | undefined;
  for await (const event of output.stream ?? []) {
    if (event.contentBlockDelta?.delta?.text !== undefined) texts.push(event.contentBlockDelta.delta.text);
    if (event.messageStop !== undefined) stopReason = event.messageStop.stopReason;
    if (event.metadata !== undefined) outputTokens = event.metadata.usage?.outputTokens;
  }
  return { texts, ...(stopReason !== undefined ? { stopReason } : {}), ...(outputTokens !== undefined ? { outputTokens } : {}) };
}

describe('ConverseStream (AWS event stream, parsed by the real SDK)', () => {
  it('streams the local answer in 4-character tokens, then messageStop and metadata', async () => {
    const { texts, stopReason, outputTokens } = await streamTexts();
    expect(texts.join('')).toBe('(local model) You asked: "What is SigV4?"\nThis is the start of the conversation.');
    expect(texts.slice(0, 3)).toEqual(['(loc', 'al m', 'odel']);
    expect(stopReason).toBe('end_turn');
    expect(outputTokens).toBe(texts.length);
  });

  it('gives the answer the configured length in tokens', async () => {
    stack.modelStream = { answerTokens: 40, tokensPerSecond: 0 };
    const { texts } = await streamTexts();
    expect(texts).toHaveLength(40);
    expect(texts.join('').length).toBe(160);
  });

  it('breaks the stream after N tokens with a modelStreamErrorException the SDK throws', async () => {
    stack.faults.set('bedrock', { mode: 'break', afterTokens: 3, times: 1 });
    const output = await bedrock.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    const texts: string[] = [];
    const consume = async () => {
      for await (const event of output.stream ?? []) if (event.contentBlockDelta?.delta?.text !== undefined) texts.push(event.contentBlockDelta.delta.text);
    };
    await expect(consume()).rejects.toBeInstanceOf(ModelStreamErrorException);
    expect(texts).toEqual(['(loc', 'al m', 'odel']);
    expect(stack.faults.injected('bedrock')).toBe(1);
  });

  it('answers throttling before the stream as ThrottlingException', async () => {
    stack.faults.set('bedrock', { mode: 'status', status: 429, times: 1 });
    await expect(streamTexts()).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('a mention answered by streaming into the Slack stand-in', () => {
  it('starts, appends and stops one message in the thread; /_local/replies shows the final text', async () => {
    stack.modelStream = { ttftMs: 50, tokensPerSecond: 200, answerTokens: 120 };
    const sent = await stack.slack.postUserMessage({ text: 'stream this please' });
    await stack.waitForIdle();

    const replies = stack.slack.botReplies({ threadTs: sent.threadTs });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ stream: 'stopped', threadTs: sent.threadTs });
    expect(replies[0]?.text).toHaveLength(480);
    expect(replies[0]?.text.startsWith('(local model) You asked: "stream this please"')).toBe(true);

    const methods = stack.slack.calls().filter((c) => c.method.startsWith('chat.')).map((c) => c.method);
    expect(methods[0]).toBe('chat.startStream');
    expect(methods[methods.length - 1]).toBe('chat.stopStream');
    expect(methods.filter((m) => m === 'chat.postMessage')).toHaveLength(0);
    // 120 tokens at 200 tokens/s is 0.6 s of text: a handful of batched appends, never one per token.
    expect(methods.filter((m) => m === 'chat.appendStream').length).toBeLessThan(10);

    const growth = stack.slack.workspace.textChanges(replies[0]?.channel ?? '', replies[0]?.ts ?? '');
    expect(growth[0]?.method).toBe('chat.startStream');
    expect(growth[growth.length - 1]).toMatchObject({ method: 'chat.stopStream', text: replies[0]?.text });
    for (let i = 1; i < growth.length; i += 1) expect(growth[i]?.text.startsWith(growth[i - 1]?.text ?? '')).toBe(true);
  });
});
