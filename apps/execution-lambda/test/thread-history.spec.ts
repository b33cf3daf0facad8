import fc from 'fast-check';
import {
  buildConversation,
  compareSlackTs,
  mapThreadHistory,
  mergeConsecutiveTurns,
  type ConversationTurn,
  type SlackThreadMessage,
} from '../src/thread-history';

const thread: SlackThreadMessage[] = [
  { ts: '1700000000.000100', user: 'U1', text: 'What is the capital of France?' },
  { ts: '1700000000.000200', bot_id: 'B1', text: 'Paris.' },
  { ts: '1700000000.000250', user: 'U2', subtype: 'channel_join', text: '<@U2> has joined the channel' },
  { ts: '1700000000.000300', user: 'U1', text: 'Thanks!' },
  { ts: '1700000000.000400', user: 'U1', text: '   ' },
  { ts: '1700000000.000450', user: 'U1', text: 'One more thing.' },
  { ts: '1700000000.000500', user: 'U1', text: 'And what about Germany?' },
  { ts: '1700000000.000600', bot_id: 'B1', text: 'Posted after the question' },
];

describe('compareSlackTs', () => {
  it('orders timestamps exactly, beyond double precision', () => {
    expect(compareSlackTs('1700000000.000100', '1700000000.000101')).toBeLessThan(0);
    expect(compareSlackTs('1700000001.000000', '1700000000.999999')).toBeGreaterThan(0);
    expect(compareSlackTs('99.5', '100.1')).toBeLessThan(0);
    expect(compareSlackTs('1700000000.000100', '1700000000.0001')).toBe(0);
  });
});

describe('mapThreadHistory', () => {
  it('maps bot messages to assistant turns and people to user turns, before the current message only', () => {
    expect(mapThreadHistory(thread, { currentTs: '1700000000.000500', limit: 20 })).toEqual([
      { role: 'user', text: 'What is the capital of France?' },
      { role: 'assistant', text: 'Paris.' },
      { role: 'user', text: 'Thanks!' },
      { role: 'user', text: 'One more thing.' },
    ]);
  });

  it('keeps only the most recent `limit` messages', () => {
    expect(mapThreadHistory(thread, { currentTs: '1700000000.000500', limit: 2 })).toEqual([
      { role: 'user', text: 'Thanks!' },
      { role: 'user', text: 'One more thing.' },
    ]);
  });

  it('returns nothing when the limit is 0', () => {
    expect(mapThreadHistory(thread, { currentTs: '1700000000.000500', limit: 0 })).toEqual([]);
  });

  it('sorts out-of-order input and treats subtype bot_message as the assistant', () => {
    const turns = mapThreadHistory(
      [
        { ts: '1700000000.000300', subtype: 'bot_message', text: 'second' },
        { ts: '1700000000.000100', user: 'U1', text: 'first' },
      ],
      { currentTs: undefined, limit: 5 },
    );
    expect(turns).toEqual([
      { role: 'user', text: 'first' },
      { role: 'assistant', text: 'second' },
    ]);
  });

  it('drops the oldest messages beyond the character budget', () => {
    const turns = mapThreadHistory(
      [
        { ts: '1.1', user: 'U1', text: 'a'.repeat(60) },
        { ts: '1.2', bot_id: 'B1', text: 'b'.repeat(30) },
        { ts: '1.3', user: 'U1', text: 'c'.repeat(30) },
      ],
      { currentTs: '2.0', limit: 10, maxChars: 70 },
    );
    expect(turns.map((t) => t.text[0])).toEqual(['b', 'c']);
  });
});

describe('mergeConsecutiveTurns', () => {
  it('joins consecutive same-role turns with a blank line', () => {
    expect(
      mergeConsecutiveTurns([
        { role: 'user', text: 'a' },
        { role: 'user', text: 'b' },
        { role: 'assistant', text: 'c' },
        { role: 'assistant', text: 'd' },
        { role: 'user', text: 'e' },
      ]),
    ).toEqual([
      { role: 'user', text: 'a\n\nb' },
      { role: 'assistant', text: 'c\n\nd' },
      { role: 'user', text: 'e' },
    ]);
  });
});

describe('buildConversation', () => {
  it('ends with the question, merged into a trailing user turn', () => {
    const history = mapThreadHistory(thread, { currentTs: '1700000000.000500', limit: 20 });
    expect(buildConversation(history, 'And what about Germany?')).toEqual([
      { role: 'user', text: 'What is the capital of France?' },
      { role: 'assistant', text: 'Paris.' },
      { role: 'user', text: 'Thanks!\n\nOne more thing.\n\nAnd what about Germany?' },
    ]);
  });

  it('drops leading assistant turns (Converse must start with the user)', () => {
    expect(buildConversation([{ role: 'assistant', text: 'Hello, I am a bot.' }], 'hi')).toEqual([
      { role: 'user', text: 'hi' },
    ]);
  });

  it('always alternates roles, starting and ending with the user', () => {
    const turn = fc.record({ role: fc.constantFrom<'user' | 'assistant'>('user', 'assistant'), text: fc.string({ minLength: 1 }) });
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 30 }), fc.string({ minLength: 1 }), (history: ConversationTurn[], q) => {
        const conversation = buildConversation(history, q);
        expect(conversation[0].role).toBe('user');
        expect(conversation[conversation.length - 1].role).toBe('user');
        expect(conversation[conversation.length - 1].text.endsWith(q)).toBe(true);
        for (let i = 1; i < conversation.length; i += 1) {
          expect(conversation[i].role).not.toBe(conversation[i - 1].role);
        }
      }),
    );
  });
});
