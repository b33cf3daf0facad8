import { EventStreamCodec } from '@smithy/eventstream-codec';
import { converseEventStream, sizedAnswer, tokenize, wholeAnswer } from '../../src/aws/converse-stream';
import type { ConverseResponseBody } from '../../src/aws/local-model';

const ANSWER: ConverseResponseBody = {
  output: { message: { role: 'assistant', content: [{ text: 'Hello there' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 },
  metrics: { latencyMs: 0 },
};

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

async function decoded(stream: AsyncIterable<Buffer>): Promise<Array<{ headers: Record<string, unknown>; body: unknown }>> {
  const out = [];
  for await (const chunk of stream) {
    const message = codec.decode(new Uint8Array(chunk));
    const headers = Object.fromEntries(Object.entries(message.headers).map(([name, header]) => [name, header.value]));
    out.push({ headers, body: JSON.parse(Buffer.from(message.body).toString('utf8')) as unknown });
  }
  return out;
}

describe('the local ConverseStream', () => {
  it('sizes the answer: kept, padded with filler, or cut', () => {
    expect(sizedAnswer('Hello there', undefined)).toBe('Hello there');
    expect(sizedAnswer('Hello there', 2)).toBe('Hello th');
    expect(sizedAnswer('Hello there', 10)).toBe('Hello there\n\nThe local model keeps writi');
    expect(sizedAnswer('ab cd', 1)).toBe('ab c');
    expect(sizedAnswer('abc def', 1)).toBe('abc.');
    expect(tokenize('Hello there')).toEqual(['Hell', 'o th', 'ere']);
  });

  it('frames each event as the SDK expects: headers, JSON payload, in order', async () => {
    const events = await decoded(converseEventStream(ANSWER, { ttftMs: 0, tokensPerSecond: 0 }, new AbortController().signal));
    expect(events.map((e) => e.headers[':event-type'])).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(events.every((e) => e.headers[':message-type'] === 'event' && e.headers[':content-type'] === 'application/json')).toBe(true);
    expect(events[1]?.body).toEqual({ contentBlockIndex: 0, delta: { text: 'Hell' } });
    expect(events[5]?.body).toEqual({ stopReason: 'end_turn' });
    expect(events[6]?.body).toMatchObject({ usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 } });
  });

  it('ends a broken stream with a modelStreamErrorException message after N tokens', async () => {
    const events = await decoded(converseEventStream(ANSWER, { ttftMs: 0, tokensPerSecond: 0 }, new AbortController().signal, { afterTokens: 1 }));
    expect(events.map((e) => e.headers[':event-type'] ?? e.headers[':exception-type'])).toEqual(['messageStart', 'contentBlockDelta', 'modelStreamErrorException']);
    expect(events[2]?.headers[':message-type']).toBe('exception');
    expect(events[2]?.body).toEqual({ message: 'The model stream was interrupted (injected by the local stack).' });
  });

  it('gives Converse the same answer, due when its last token would have been streamed', () => {
    const whole = wholeAnswer(ANSWER, { ttftMs: 800, tokensPerSecond: 50, answerTokens: 400 });
    expect(whole.latencyMs).toBe(800 + (399 * 1000) / 50);
    expect(whole.body.output.message.content[0]?.text).toHaveLength(1600);
    expect(whole.body.usage).toEqual({ inputTokens: 5, outputTokens: 400, totalTokens: 405 });
  });
});
