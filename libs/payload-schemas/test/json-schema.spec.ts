import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import * as fc from 'fast-check';
import { MAX_TEXT_LENGTH, executionRequestJsonSchema, parseExecutionRequest } from '../src';
import { DRAFT_04_URI, generateExecutionRequestJsonSchema } from '../src/json-schema';

const ajv = new Ajv({ strict: true, allErrors: true });
const ajvValidate = ajv.compile(executionRequestJsonSchema);

/** Both validators' verdicts on one input. */
function verdicts(input: unknown): { ajv: boolean; zod: boolean } {
  return { ajv: ajvValidate(input), zod: parseExecutionRequest(input).ok };
}

function agree(input: unknown): boolean {
  const { ajv: a, zod: z } = verdicts(input);
  return a === z;
}

function codePoints(text: string): number {
  return Array.from(text).length;
}

function validRequest(): Record<string, unknown> {
  return {
    channel: 'C123ABC456',
    text: 'hello',
    user_id: 'U061F7AUR',
    team_id: 'T123ABC456',
    event_id: 'Ev123ABC456',
    correlation_id: 'corr-1',
  };
}

// ---- arbitraries ---------------------------------------------------------------------------------------------

const ID_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'];
const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));

/** One "character" of any kind: ASCII specials, any code point (astral included), or a lone surrogate half. */
const anyChar = fc.oneof(
  fc.constantFrom('a', 'Z', '0', '_', '-', '.', ':', '/', ' ', '\n', '\t', '"', '\\', '\u0000', '\u2028', 'é', '😀'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
);
const anyString = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: anyChar, maxLength });

/** Strings built mostly from `chars`, sometimes from anything, with lengths around the limits that matter. */
const nearly = (chars: string[], minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.oneof({ arbitrary: fc.constantFrom(...chars), weight: 9 }, { arbitrary: anyChar, weight: 1 }), minLength, maxLength });

const validId = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 64 });
const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 12 });
const validTs = fc.tuple(digits, digits).map(([a, b]) => `${a}.${b}`);
const validCorrelationId = fc.string({ unit: fc.constantFrom(...PRINTABLE_ASCII), minLength: 1, maxLength: 128 });
const validHost = fc.string({ unit: fc.constantFrom(...'abcxyz019.-'), minLength: 1, maxLength: 30 });
const validUrl = fc
  .tuple(validHost, fc.option(fc.integer({ min: 0, max: 99999 })), fc.option(fc.string({ unit: fc.constantFrom(...PRINTABLE_ASCII), maxLength: 60 })))
  .map(([host, port, path]) => `https://${host}${port === null ? '' : `:${port}`}${path === null ? '' : `/${path}`}`);
const validText = anyString(200).filter((text) => codePoints(text) <= MAX_TEXT_LENGTH);
const validNotice = fc.record({
  kind: fc.constantFrom('empty_text', 'text_too_long'),
  text: anyString(100).filter((text) => text.length > 0),
});

const validRequestArb = fc.record(
  {
    channel: validId,
    text: validText,
    user_id: validId,
    team_id: validId,
    event_id: validId,
    correlation_id: validCorrelationId,
    thread_ts: validTs,
    message_ts: validTs,
    response_url: validUrl,
    notice: validNotice,
    bot_token: fc.string({ unit: fc.constantFrom(...PRINTABLE_ASCII), minLength: 1, maxLength: 80 }),
  },
  { requiredKeys: ['channel', 'text', 'user_id', 'team_id', 'event_id', 'correlation_id'] },
);

/** Values that may or may not fit a given field: valid ones, near misses, wrong types, and nothing at all. */
const fieldValue = fc.oneof(
  validId,
  validTs,
  validUrl,
  validCorrelationId,
  validNotice,
  nearly(ID_CHARS, 0, 70),
  nearly([...'0123456789.'], 0, 34),
  nearly(PRINTABLE_ASCII, 0, 140),
  fc.constantFrom('https://', 'http://hooks.slack.com/x', 'https://h:123456', 'https://h/a b', ''),
  anyString(40),
  fc.record({ kind: fc.oneof(fc.constantFrom('empty_text', 'text_too_long', 'other'), fc.integer()), text: fc.oneof(anyString(10), fc.constant(null)) }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
);

const FIELDS = [
  'channel',
  'text',
  'user_id',
  'team_id',
  'event_id',
  'correlation_id',
  'thread_ts',
  'message_ts',
  'response_url',
  'notice',
  'bot_token',
  'some_future_field',
] as const;

/** A valid request with some fields replaced by arbitrary values (or removed). */
const mutatedRequest = fc
  .tuple(validRequestArb, fc.array(fc.tuple(fc.constantFrom(...FIELDS), fieldValue), { minLength: 1, maxLength: 4 }))
  .map(([base, changes]) => {
    const out: Record<string, unknown> = { ...base };
    for (const [field, value] of changes) {
      if (value === undefined) delete out[field];
      else out[field] = value;
    }
    return out;
  });

/** Text whose length in code points straddles MAX_TEXT_LENGTH while its UTF-16 length may be up to twice that. */
const boundaryText = fc.string({
  unit: fc.oneof(fc.constant('a'), fc.constant('😀'), fc.constant('\uD83D'), fc.constant('\uDE00'), fc.constant('é')),
  minLength: MAX_TEXT_LENGTH - 3,
  maxLength: MAX_TEXT_LENGTH + 3,
});

// ---- tests ---------------------------------------------------------------------------------------------------

describe('executionRequestJsonSchema', () => {
  it('is exactly what the generator produces from the zod schema (regenerate with scripts/generate-json-schema.ts)', () => {
    const committed = readFileSync(join(__dirname, '..', 'src', 'execution-request.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(generateExecutionRequestJsonSchema(), null, 2)}\n`);
    expect(executionRequestJsonSchema).toEqual(generateExecutionRequestJsonSchema());
  });

  it('is a valid draft-04 schema with no keyword API Gateway models lack', () => {
    expect(executionRequestJsonSchema.$schema).toBe(DRAFT_04_URI);
    expect(ajv.validateSchema(executionRequestJsonSchema)).toBe(true);
    const keywords = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        keywords.add(key);
        walk(value);
      }
    };
    walk(executionRequestJsonSchema);
    for (const forbidden of ['$ref', 'definitions', '$defs', 'const', 'exclusiveMinimum', 'additionalProperties', 'format']) {
      expect(keywords.has(forbidden)).toBe(false);
    }
  });

  it('requires the six fields of the contract and describes every property', () => {
    expect(executionRequestJsonSchema.required).toEqual([
      'channel',
      'text',
      'user_id',
      'team_id',
      'event_id',
      'correlation_id',
    ]);
    for (const property of Object.values(executionRequestJsonSchema.properties ?? {})) {
      expect(typeof property.description).toBe('string');
    }
  });
});

describe('JSON Schema (ajv, draft-04) and parseExecutionRequest agree', () => {
  const base = validRequest();
  const corpus: Array<[string, unknown, boolean]> = [
    ['the minimal request', base, true],
    ['a request with every optional field', { ...base, thread_ts: '1.2', message_ts: '1515449600.000200', response_url: 'https://hooks.slack.com/commands/T1/2/abc?x=1', notice: { kind: 'empty_text', text: 'Say something.' }, bot_token: 'xoxb-1-2-abc' }, true],
    ['unknown top-level fields', { ...base, added_later: [1, 2, 3] }, true],
    ['unknown fields inside notice', { ...base, notice: { kind: 'text_too_long', text: 'Too long', extra: true } }, true],
    ['empty text', { ...base, text: '' }, true],
    ['text of 4000 astral code points (8000 UTF-16 units)', { ...base, text: '😀'.repeat(MAX_TEXT_LENGTH) }, true],
    ['text of 4001 code points', { ...base, text: 'a'.repeat(MAX_TEXT_LENGTH + 1) }, false],
    ['text of 3999 code points plus a lone surrogate', { ...base, text: `${'a'.repeat(MAX_TEXT_LENGTH - 1)}\uD83D` }, true],
    ['text of 4000 code points plus a lone surrogate', { ...base, text: `${'a'.repeat(MAX_TEXT_LENGTH)}\uDE00` }, false],
    ['a 64-character id', { ...base, channel: 'C'.repeat(64) }, true],
    ['a 65-character id', { ...base, channel: 'C'.repeat(65) }, false],
    ['an id with a space', { ...base, user_id: 'U 1' }, false],
    ['an id with a trailing newline', { ...base, team_id: 'T1\n' }, false],
    ['an id with a non-ASCII letter', { ...base, event_id: 'Evé' }, false],
    ['an empty id', { ...base, channel: '' }, false],
    ['a numeric id', { ...base, channel: 123 }, false],
    ['a correlation id of 128 characters', { ...base, correlation_id: 'x'.repeat(128) }, true],
    ['a correlation id of 129 characters', { ...base, correlation_id: 'x'.repeat(129) }, false],
    ['a correlation id with a tab', { ...base, correlation_id: 'a\tb' }, false],
    ['a ts without a dot', { ...base, thread_ts: '1515449522' }, false],
    ['a ts of 33 characters', { ...base, message_ts: `${'1'.repeat(16)}.${'1'.repeat(16)}` }, false],
    ['an http response_url', { ...base, response_url: 'http://hooks.slack.com/x' }, false],
    ['a response_url with a space', { ...base, response_url: 'https://hooks.slack.com/a b' }, false],
    ['a response_url with a non-ASCII host', { ...base, response_url: 'https://hôte.example/x' }, false],
    ['a response_url with port 65535', { ...base, response_url: 'https://localhost:65535/x' }, true],
    ['a response_url of 2049 characters', { ...base, response_url: `https://h/${'a'.repeat(2039)}` }, false],
    ['a notice with an unknown kind', { ...base, notice: { kind: 'other', text: 'x' } }, false],
    ['a notice with empty text', { ...base, notice: { kind: 'empty_text', text: '' } }, false],
    ['a notice without text', { ...base, notice: { kind: 'empty_text' } }, false],
    ['a notice that is a string', { ...base, notice: 'empty_text' }, false],
    ['a null optional field', { ...base, thread_ts: null }, false],
    ['an empty bot_token', { ...base, bot_token: '' }, false],
    ['the legacy payload', { channel: 'C1', text: 'hi', bot_token: 'xoxb-1' }, false],
    ['an empty object', {}, false],
    ['an array', [base], false],
    ['null', null, false],
    ['a string', 'hello', false],
  ];

  it.each(corpus)('on %s', (_label, input, valid) => {
    expect(verdicts(input)).toEqual({ ajv: valid, zod: valid });
  });

  it('on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (input) => agree(input)), { seed: 20240501, numRuns: 500 });
  });

  it('on valid-by-construction requests: both accept, and zod returns the same fields', () => {
    fc.assert(
      fc.property(validRequestArb, (input) => {
        const parsed = parseExecutionRequest(input);
        return ajvValidate(input) && parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(input);
      }),
      { seed: 20240502, numRuns: 300 },
    );
  });

  it('on requests with random fields replaced by full-Unicode strings, wrong types or nothing', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(mutatedRequest, (input) => {
        const { ajv: a, zod: z } = verdicts(input);
        if (z) accepted++;
        else rejected++;
        return a === z;
      }),
      { seed: 20240503, numRuns: 1500 },
    );
    // The generator must exercise both outcomes, or the agreement above proves little.
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });

  it('on text around 4000 code points built from astral characters and lone surrogates', () => {
    fc.assert(
      fc.property(boundaryText, (text) => {
        const input = { ...validRequest(), text };
        const expected = codePoints(text) <= MAX_TEXT_LENGTH;
        const { ajv: a, zod: z } = verdicts(input);
        return a === expected && z === expected;
      }),
      { seed: 20240504, numRuns: 200 },
    );
  });
});
