import type * as z from 'zod/mini';
import {
  MAX_TEXT_LENGTH,
  PayloadValidationError,
  parseExecutionRequest,
  parseHandoffPayload,
  type ExecutionRequest,
  type LegacyExecutionRequest,
} from '../src';
import { executionRequestSchema, legacyExecutionRequestSchema } from '../src/execution-request';

// Compile-time: the hand-written contract types are exactly what the schemas produce.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const currentTypeMatches: Equal<z.output<typeof executionRequestSchema>, ExecutionRequest> = true;
const legacyTypeMatches: Equal<z.output<typeof legacyExecutionRequestSchema>, LegacyExecutionRequest> = true;

const BOT_TOKEN = 'xoxb-1234567890-0987654321-SeCrEtSeCrEtSeCrEt';

function validRequest(): Record<string, unknown> {
  return {
    channel: 'C123ABC456',
    text: 'is it everything a river should be?',
    user_id: 'U061F7AUR',
    team_id: 'T123ABC456',
    event_id: 'Ev123ABC456',
    correlation_id: '6f1c2a9e-6b0e-4a8e-9d3c-1f2e3d4c5b6a',
  };
}

function expectFailure(result: ReturnType<typeof parseExecutionRequest>): PayloadValidationError {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  expect(result.error).toBeInstanceOf(PayloadValidationError);
  return result.error;
}

describe('parseExecutionRequest', () => {
  it('type-checks the contract interfaces against the schemas', () => {
    expect([currentTypeMatches, legacyTypeMatches]).toEqual([true, true]);
  });

  it('accepts a request with only the required fields', () => {
    expect(parseExecutionRequest(validRequest())).toEqual({ ok: true, value: validRequest() });
  });

  it('accepts every optional field, including a notice and the deprecated bot_token', () => {
    const input = {
      ...validRequest(),
      text: '',
      thread_ts: '1515449522.000016',
      message_ts: '1515449600.000200',
      response_url: 'https://hooks.slack.com/commands/T123ABC456/397700885554/96rGlfmibIGlgcZRskXaIFfN',
      notice: { kind: 'empty_text', text: 'Please write a question after mentioning me.' },
      bot_token: BOT_TOKEN,
    };
    expect(parseExecutionRequest(input)).toEqual({ ok: true, value: input });
  });

  it('drops unknown fields, at the top level and inside notice', () => {
    const input = {
      ...validRequest(),
      added_by_a_newer_verifier: { nested: true },
      notice: { kind: 'text_too_long', text: 'Too long.', severity: 'info' },
    };
    expect(parseExecutionRequest(input)).toEqual({
      ok: true,
      value: { ...validRequest(), notice: { kind: 'text_too_long', text: 'Too long.' } },
    });
  });

  it('names each bad field in the message, in schema order', () => {
    const { event_id: _omitted, ...rest } = validRequest();
    const error = expectFailure(parseExecutionRequest({ ...rest, channel: 42 }));
    expect(error.message).toBe(
      'invalid ExecutionRequest: channel: expected string, received number; event_id: required',
    );
    expect(error.issues).toEqual([
      { path: 'channel', message: 'expected string, received number' },
      { path: 'event_id', message: 'required' },
    ]);
    expect(error.name).toBe('PayloadValidationError');
    expect(error.subject).toBe('ExecutionRequest');
  });

  it('names nested fields with a dotted path', () => {
    const error = expectFailure(parseExecutionRequest({ ...validRequest(), notice: { kind: 'shouting', text: '' } }));
    expect(error.issues).toEqual([
      { path: 'notice.kind', message: 'must be one of "empty_text", "text_too_long"' },
      { path: 'notice.text', message: 'must not be empty' },
    ]);
  });

  it.each([
    ['null', null, 'expected object, received null'],
    ['an array', [validRequest()], 'expected object, received array'],
    ['a string', JSON.stringify(validRequest()), 'expected object, received string'],
    ['undefined', undefined, 'required'],
  ])('rejects %s as the payload itself', (_label, input, message) => {
    expect(expectFailure(parseExecutionRequest(input)).message).toBe(`invalid ExecutionRequest: ${message}`);
  });

  it(`accepts text of exactly ${MAX_TEXT_LENGTH} code points, even when astral characters double its UTF-16 length`, () => {
    const text = '😀'.repeat(MAX_TEXT_LENGTH);
    expect(text.length).toBe(2 * MAX_TEXT_LENGTH);
    expect(parseExecutionRequest({ ...validRequest(), text }).ok).toBe(true);
  });

  it(`rejects text of ${MAX_TEXT_LENGTH + 1} code points`, () => {
    const error = expectFailure(parseExecutionRequest({ ...validRequest(), text: `${'a'.repeat(MAX_TEXT_LENGTH)}😀` }));
    expect(error.message).toBe('invalid ExecutionRequest: text: must be at most 4000 characters');
  });

  it.each([
    ['channel', 'C123 456', 'must be a Slack id (letters, digits, "_" or "-")'],
    ['channel', '', 'must not be empty'],
    ['user_id', 'U'.repeat(65), 'must be at most 64 characters'],
    ['team_id', 'T12\n', 'must be a Slack id (letters, digits, "_" or "-")'],
    ['event_id', 'Év1', 'must be a Slack id (letters, digits, "_" or "-")'],
    ['correlation_id', 'has space', 'must be printable ASCII without spaces'],
    ['correlation_id', 'x'.repeat(129), 'must be at most 128 characters'],
    ['thread_ts', '1515449522', 'must be a Slack timestamp (digits "." digits)'],
    ['message_ts', '1515449522.00001a', 'must be a Slack timestamp (digits "." digits)'],
    ['response_url', 'http://hooks.slack.com/commands/1', 'must be an https URL'],
    ['response_url', 'https://hooks.slack.com/a b', 'must be an https URL'],
    ['response_url', 'https://', 'must be an https URL'],
  ])('rejects a bad %s (%j)', (field, value, message) => {
    const error = expectFailure(parseExecutionRequest({ ...validRequest(), [field]: value }));
    expect(error.issues).toEqual([{ path: field, message }]);
  });

  it('never echoes the bot_token or the message text in the error', () => {
    const secretText = 'confidential-question-about-payroll';
    const error = expectFailure(
      parseExecutionRequest({
        ...validRequest(),
        channel: undefined,
        text: `${secretText} ${'x'.repeat(MAX_TEXT_LENGTH)}`,
        bot_token: `${BOT_TOKEN} with a space`,
      }),
    );
    const everything = `${error.message} ${JSON.stringify(error.issues)} ${String(error.stack)}`;
    expect(everything).not.toContain('SeCrEt');
    expect(everything).not.toContain('xoxb-');
    expect(everything).not.toContain(secretText);
    expect(error.message).toBe(
      'invalid ExecutionRequest: channel: required; text: must be at most 4000 characters; ' +
        'bot_token: must be printable ASCII without spaces',
    );
  });

  it('lists at most ten issues in the message and counts the rest', () => {
    const error = expectFailure(
      parseExecutionRequest({
        channel: 1,
        text: 2,
        user_id: 3,
        team_id: 4,
        event_id: 5,
        correlation_id: 6,
        thread_ts: 7,
        message_ts: 8,
        response_url: 9,
        notice: { kind: 10, text: 11 },
        bot_token: 12,
      }),
    );
    expect(error.issues).toHaveLength(12);
    expect(error.message.endsWith('; notice.kind: must be one of "empty_text", "text_too_long"; and 2 more')).toBe(true);
  });
});

describe('parseHandoffPayload', () => {
  it('parses a current request as current', () => {
    expect(parseHandoffPayload(validRequest())).toEqual({
      ok: true,
      value: { kind: 'current', request: validRequest() },
    });
  });

  it('parses the legacy {channel, text, bot_token} as legacy', () => {
    const legacy = { channel: 'C123ABC456', text: 'hello', bot_token: BOT_TOKEN };
    expect(parseHandoffPayload(legacy)).toEqual({ ok: true, value: { kind: 'legacy', request: legacy } });
  });

  it('parses a legacy payload without bot_token, and drops unknown legacy fields', () => {
    expect(parseHandoffPayload({ channel: 'C123ABC456', text: 'hello', thread_ts: '1.2', attachments: [] })).toEqual({
      ok: true,
      value: { kind: 'legacy', request: { channel: 'C123ABC456', text: 'hello' } },
    });
  });

  it('treats a payload with any current-only field as current, so a half-built request fails loudly', () => {
    const result = parseHandoffPayload({ channel: 'C123ABC456', text: 'hello', event_id: 'Ev1' });
    if (result.ok) throw new Error('expected a failure');
    expect(result.error.message).toBe(
      'invalid ExecutionRequest: user_id: required; team_id: required; correlation_id: required',
    );
  });

  it('ignores current-only keys whose value is undefined when classifying', () => {
    const result = parseHandoffPayload({ channel: 'C1', text: 'hi', user_id: undefined });
    expect(result).toEqual({ ok: true, value: { kind: 'legacy', request: { channel: 'C1', text: 'hi' } } });
  });

  it('reports a bad legacy payload against the legacy contract', () => {
    const result = parseHandoffPayload({ channel: 'C1', bot_token: BOT_TOKEN });
    if (result.ok) throw new Error('expected a failure');
    expect(result.error.message).toBe('invalid LegacyExecutionRequest: text: required');
  });

  it.each([
    [null, 'null'],
    [[], 'array'],
    ['{"channel":"C1"}', 'string'],
    [7, 'number'],
  ])('rejects %j, which is not an object', (input, type) => {
    const result = parseHandoffPayload(input);
    if (result.ok) throw new Error('expected a failure');
    expect(result.error.message).toBe(`invalid hand-off payload: expected object, received ${type}`);
    expect(result.error.issues).toEqual([{ path: '', message: `expected object, received ${type}` }]);
  });
});
