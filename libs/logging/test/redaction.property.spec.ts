import fc from 'fast-check';
import { type AppLogger, LogEvent } from '../src';
import { capture, parseLine } from './support/capture';

/**
 * Pinned so every run checks the same cases; set FC_SEED to explore others (a failure prints its seed and path).
 */
const RUN = { seed: Number(process.env['FC_SEED'] ?? 20250601), numRuns: 300 };

/** The secret keys named in docs/contracts.md and the issue, in their usual spellings. */
const SECRET_KEYS = [
  'bot_token',
  'token',
  'authorization',
  'Authorization',
  'x-amz-security-token',
  'X-Amz-Security-Token',
  'x-slack-signature',
  'signing_secret',
  'signingSecret',
  'SLACK_SIGNING_SECRET',
  'secretAccessKey',
  'SecretAccessKey',
  'aws_secret_access_key',
  'sessionToken',
  'SessionToken',
];

/** A secret key in random casing. */
const secretKey = fc.mixedCase(fc.constantFrom(...SECRET_KEYS));

/** A distinctive secret value that cannot appear in the output by chance. */
const secretValue = fc.stringMatching(/^[A-Za-z0-9+/=]{20,40}$/).map((body) => `PLANTED${body}`);

/** A Slack token of one of the three kinds the issue names. */
const slackToken = fc
  .tuple(fc.constantFrom('xoxb-', 'xoxp-', 'xoxa-'), fc.stringMatching(/^[0-9]{4,12}-[A-Za-z0-9-]{8,40}$/))
  .map(([prefix, body]) => prefix + body);

/** Random JSON-ish noise around the planted value. */
const noise = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean()), {
  maxKeys: 3,
});

type Step =
  | { kind: 'object'; key: string; siblings: Record<string, unknown> }
  | { kind: 'array'; index: number }
  | { kind: 'map'; key: string }
  | { kind: 'set' }
  | { kind: 'errorField'; key: string }
  | { kind: 'cause' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('object' as const), key: fc.string({ maxLength: 8 }), siblings: noise }) },
  fc.record({ kind: fc.constant('array' as const), index: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('map' as const), key: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('set' as const) }),
  fc.record({ kind: fc.constant('errorField' as const), key: fc.string({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('cause' as const) }),
);

/** A path from the top of the data down to the planted value: random depth, random containers. */
const path = fc.array(step, { maxLength: 12 });

/** Wraps `inner` in the containers of `steps`, innermost last. */
function plant(steps: readonly Step[], inner: unknown): unknown {
  let value = inner;
  for (let i = steps.length - 1; i >= 0; i--) {
    const current = steps[i];
    switch (current.kind) {
      case 'object':
        value = { ...current.siblings, [current.key]: value };
        break;
      case 'array':
        value = [...Array.from({ length: current.index }, (_, n) => n), value];
        break;
      case 'map':
        value = new Map([[current.key, value]]);
        break;
      case 'set':
        value = new Set(['other', value]);
        break;
      case 'errorField':
        value = Object.assign(new Error('failed'), { [current.key]: value });
        break;
      case 'cause':
        value = new Error('wrapped', { cause: value });
        break;
    }
  }
  return value;
}

/** How the planted data reaches the logger. */
type Route = 'event' | 'child' | 'base' | 'metric';
const route = fc.constantFrom<Route>('event', 'child', 'base', 'metric');
const level = fc.constantFrom('debug' as const, 'info' as const, 'warn' as const, 'error' as const);

/** Logs `data` through `via` with a fresh in-memory logger and returns every write. */
function logThrough(via: Route, data: Record<string, unknown>, at: 'debug' | 'info' | 'warn' | 'error'): string[] {
  const out = capture({ level: 'debug', ...(via === 'base' ? { base: data } : {}) });
  const logger: AppLogger = via === 'child' ? out.logger.child(data) : out.logger;
  if (via === 'metric') {
    logger.metric(LogEvent.HandoffCompleted, [{ name: 'handoff_ms', value: 5, unit: 'Milliseconds' }], { path: 'api_gateway' }, data);
  } else {
    logger.event(LogEvent.ProcessingStarted, via === 'event' ? data : {}, at);
  }
  return out.writes;
}

/** Every write is one valid JSON object line with unique keys and the required fields. */
function expectWellFormed(writes: readonly string[]): void {
  expect(writes).toHaveLength(1);
  for (const written of writes) {
    const line = parseLine(written);
    expect(['debug', 'info', 'warn', 'error']).toContain(line['level']);
    expect(typeof line['time']).toBe('string');
    expect(new Date(String(line['time'])).toISOString()).toBe(line['time']);
    expect(typeof line['event']).toBe('string');
  }
}

/** The property: a secret planted under a secret key, anywhere, never reaches the output. */
function plantedSecretNeverLeaks(write: (via: Route, data: Record<string, unknown>, at: 'debug' | 'info' | 'warn' | 'error') => string[]) {
  return fc.property(path, secretKey, secretValue, route, level, (steps, key, secret, via, at) => {
    const data = { planted: plant(steps, { [key]: secret }) };
    const output = write(via, data, at).join('');
    return !output.includes(secret);
  });
}

describe('redaction properties', () => {
  it('never writes a secret planted under a secret key at any depth, in any casing', () => {
    fc.assert(plantedSecretNeverLeaks(logThrough), RUN);
  });

  it('would catch a logger that does not redact', () => {
    const naive = (_via: Route, data: Record<string, unknown>): string[] => [`${JSON.stringify(data)}\n`];
    const result = fc.check(plantedSecretNeverLeaks(naive), RUN);

    expect(result.failed).toBe(true);
  });

  it('never writes a Slack token embedded anywhere in a string, key or error message', () => {
    const carrier = fc.constantFrom('value' as const, 'key' as const, 'errorMessage' as const, 'debugText' as const);
    fc.assert(
      fc.property(path, fc.string({ maxLength: 20 }), slackToken, fc.string({ maxLength: 20 }), carrier, route, (steps, before, token, after, where, via) => {
        const text = before + token + after;
        const inner =
          where === 'value'
            ? { note: text }
            : where === 'key'
              ? { [text]: 1 }
              : where === 'errorMessage'
                ? new Error(text)
                : { text };
        const writes = logThrough(via, { planted: plant(steps, inner) }, where === 'debugText' ? 'debug' : 'info');
        expect(writes.join('')).not.toContain(token);
      }),
      RUN,
    );
  });

  it('never writes message text at info, at any depth', () => {
    const words = fc.stringMatching(/^[A-Za-z ]{12,40}$/).map((body) => `MSG${body}`);
    fc.assert(
      fc.property(path, words, fc.constantFrom('event' as const, 'metric' as const, 'child' as const), (steps, text, via) => {
        const writes = logThrough(via, { planted: plant(steps, { text }) }, 'info');
        expect(writes.join('')).not.toContain(text);
      }),
      RUN,
    );
  });

  it('writes one valid JSON object with unique keys per line, whatever the data', () => {
    const anything = fc.anything({
      maxDepth: 4,
      maxKeys: 5,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withTypedArray: true,
      withSparseArray: true,
      stringUnit: 'binary',
    });
    const dataKey = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('level', 'time', 'event', '_aws', 'msg', '__proto__', 'text', 'handoff_ms', 'path'));
    fc.assert(
      fc.property(fc.dictionary(dataKey, anything, { maxKeys: 6 }), anything, route, level, (data, loose, via, at) => {
        expectWellFormed(logThrough(via, data, at));
        expectWellFormed(logThrough(via, loose as Record<string, unknown>, at));
      }),
      RUN,
    );
  });
});
