import { CONVERSE_VALIDATION_MESSAGES, localAnswer, runLocalModel } from '../../src/aws/local-model';

const user = (text: string) => ({ role: 'user', content: [{ text }] });
const assistant = (text: string) => ({ role: 'assistant', content: [{ text }] });

describe('runLocalModel', () => {
  it('answers with the question echoed and the Converse response shape', () => {
    const result = runLocalModel({ messages: [user('What is 2+2?')], system: [{ text: 'Be brief.' }] }, 25);
    expect(result).toEqual({
      ok: true,
      body: {
        output: { message: { role: 'assistant', content: [{ text: '(local model) You asked: "What is 2+2?"\nThis is the start of the conversation.' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 6, outputTokens: 20, totalTokens: 26 },
        metrics: { latencyMs: 25 },
      },
    });
  });

  it('summarises the earlier turns of a thread', () => {
    const result = runLocalModel({ messages: [user('first'), assistant('reply'), user('second')] }, 0);
    expect(result.ok && result.body.output.message.content[0]?.text).toBe(
      '(local model) You asked: "second"\nEarlier in this thread: 2 messages (1 user message, 1 assistant message).',
    );
  });

  it('is deterministic', () => {
    const body = { messages: [user('same question')] };
    expect(runLocalModel(body, 0)).toEqual(runLocalModel(body, 0));
  });

  it('stops at maxTokens with stopReason max_tokens', () => {
    const result = runLocalModel({ messages: [user('x'.repeat(100))], inferenceConfig: { maxTokens: 3 } }, 0);
    expect(result.ok && result.body.stopReason).toBe('max_tokens');
    expect(result.ok && result.body.output.message.content[0]?.text).toHaveLength(12);
  });

  it.each([
    ['no messages', {}, CONVERSE_VALIDATION_MESSAGES.messagesNull],
    ['an empty conversation', { messages: [] }, CONVERSE_VALIDATION_MESSAGES.mustStartWithUser],
    ['an assistant first', { messages: [assistant('hi'), user('x')] }, CONVERSE_VALIDATION_MESSAGES.mustStartWithUser],
    ['two user turns in a row', { messages: [user('a'), user('b')] }, CONVERSE_VALIDATION_MESSAGES.mustAlternate],
    ['empty content', { messages: [{ role: 'user', content: [] }] }, CONVERSE_VALIDATION_MESSAGES.emptyContent(0)],
    ['blank text', { messages: [user('a'), assistant(' ')] }, CONVERSE_VALIDATION_MESSAGES.blankText(1, 0)],
    ['an unknown role', { messages: [{ role: 'system', content: [{ text: 'x' }] }] }, CONVERSE_VALIDATION_MESSAGES.badRole('system', 0)],
    ['maxTokens 0', { messages: [user('a')], inferenceConfig: { maxTokens: 0 } }, CONVERSE_VALIDATION_MESSAGES.maxTokens(0)],
    ['temperature 2', { messages: [user('a')], inferenceConfig: { temperature: 2 } }, CONVERSE_VALIDATION_MESSAGES.temperature(2)],
  ])('refuses %s with the ValidationException message', (_name, body, message) => {
    expect(runLocalModel(body, 0)).toEqual({ ok: false, message });
  });

  it('uses the real service wording for the alternation rule', () => {
    expect(CONVERSE_VALIDATION_MESSAGES.mustAlternate).toBe(
      'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
    );
  });
});

describe('localAnswer', () => {
  it('truncates a very long question', () => {
    expect(localAnswer([{ role: 'user', text: 'a'.repeat(600) }])).toContain(`"${'a'.repeat(500)}…"`);
  });
});
