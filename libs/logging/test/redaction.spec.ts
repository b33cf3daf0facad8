import { LogEvent, REDACTED } from '../src';
import { capture } from './support/capture';

const SECRET = 'Sup3rS3cretValue-0123456789';

/** Logs `data` once at info and returns the parsed line and the raw output. */
function logOnce(data: Record<string, unknown>): { line: Record<string, unknown>; text: string } {
  const out = capture();
  out.logger.event(LogEvent.ProcessingFailed, data, 'error');
  return { line: out.only(), text: out.text() };
}

describe('redaction of secret keys', () => {
  it.each([
    'bot_token',
    'BOT_TOKEN',
    'botToken',
    'token',
    'Token',
    'authorization',
    'Authorization',
    'AUTHORIZATION',
    'x-amz-security-token',
    'X-Amz-Security-Token',
    'x-slack-signature',
    'X-Slack-Signature',
    'signing_secret',
    'signingSecret',
    'SLACK_SIGNING_SECRET',
    'secretAccessKey',
    'SecretAccessKey',
    'aws_secret_access_key',
    'AWS_SECRET_ACCESS_KEY',
    'sessionToken',
    'SessionToken',
    'AWS_SESSION_TOKEN',
    'SLACK_BOT_TOKEN',
    'x-aws-parameters-secrets-token',
    'SecretString',
    'password',
    'cookie',
    'set-cookie',
    'cookies',
    'x-api-key',
  ])('masks %s at the top level and deep down', (key) => {
    const { line, text } = logOnce({ [key]: SECRET, a: { b: [{ c: { [key]: SECRET } }] } });

    expect(text).not.toContain(SECRET);
    expect(line[key]).toBe(REDACTED);
    expect(line['a']).toEqual({ b: [{ c: { [key]: REDACTED } }] });
  });

  it('masks the headers of a request', () => {
    const { line, text } = logOnce({
      headers: {
        Authorization: `AWS4-HMAC-SHA256 Credential=AKID/x, Signature=${'f'.repeat(64)}`,
        'X-Amz-Security-Token': SECRET,
        'x-slack-signature': `v0=${'a'.repeat(64)}`,
        'x-slack-request-timestamp': '1700000000',
        'content-type': 'application/json',
      },
    });

    expect(line['headers']).toEqual({
      Authorization: REDACTED,
      'X-Amz-Security-Token': REDACTED,
      'x-slack-signature': REDACTED,
      'x-slack-request-timestamp': '1700000000',
      'content-type': 'application/json',
    });
    expect(text).not.toContain(SECRET);
  });

  it('masks AWS credentials but keeps the access key id', () => {
    const { line } = logOnce({
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: SECRET },
    });

    expect(line['credentials']).toEqual({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: REDACTED, sessionToken: REDACTED });
  });

  it('masks a whole object under a secret key', () => {
    const { line, text } = logOnce({ authorization: { scheme: 'Bearer', value: SECRET } });

    expect(line['authorization']).toBe(REDACTED);
    expect(text).not.toContain(SECRET);
  });

  it('masks numbers under a secret key', () => {
    expect(logOnce({ password: 123456 }).line['password']).toBe(REDACTED);
  });

  it('shows whether a secret is present without showing it', () => {
    const { line } = logOnce({ bot_token: null, has_token: true, token: false, signing_secret: undefined });

    expect(line).toMatchObject({ bot_token: null, has_token: true, token: false });
    expect(line).not.toHaveProperty('signing_secret');
  });

  it('keeps fields that only look like secrets', () => {
    const data = {
      inputTokens: 12,
      outputTokens: 34,
      max_tokens: 512,
      SLACK_SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:signing',
      secretId: 'slack/signing',
      accessKeyId: 'AKIDEXAMPLE',
      signature_valid: false,
    };
    expect(logOnce(data).line).toMatchObject(data);
  });

  it('masks secrets in bindings and base fields', () => {
    const out = capture({ base: { service: 'x', signingSecret: SECRET } });
    out.logger.child({ bot_token: SECRET, note: `uses xoxb-1-${SECRET}` }).event(LogEvent.ProcessingStarted);

    expect(out.only()).toMatchObject({ signingSecret: REDACTED, bot_token: REDACTED, note: 'uses [REDACTED]' });
    expect(out.text()).not.toContain(SECRET);
  });
});

describe('redaction of tokens in strings', () => {
  it('masks Slack tokens in values, array items, keys and Map entries', () => {
    const token = `xoxb-123-456-${SECRET}`;
    const { line, text } = logOnce({
      note: `posting with ${token} now`,
      list: ['a', `xoxp-9-${SECRET}`, 'b'],
      [`key-${token}`]: 1,
      map: new Map<unknown, unknown>([
        ['k', `xoxa-2-${SECRET}`],
        ['token', SECRET],
      ]),
      set: new Set([`xoxb-${SECRET}`]),
      url: new URL(`https://slack.com/api/chat.postMessage?token=${token}`),
      boxed: Object(`xoxb-${SECRET}`) as object,
    });

    expect(text).not.toContain(SECRET);
    expect(line).toMatchObject({
      note: 'posting with [REDACTED] now',
      list: ['a', REDACTED, 'b'],
      'key-[REDACTED]': 1,
      map: { k: REDACTED, token: REDACTED },
      set: [REDACTED],
      url: 'https://slack.com/api/chat.postMessage?token=[REDACTED]',
      boxed: REDACTED,
    });
  });

  it('masks a token in a long string before cutting it', () => {
    const long = `${'x'.repeat(8190)} xoxb-1-${SECRET}`;
    const { line, text } = logOnce({ long });
    const logged = String(line['long']);

    expect(text).not.toContain(SECRET);
    expect(logged.startsWith('x'.repeat(8190))).toBe(true);
    expect(logged.slice(8190)).toBe(' […[truncated 9 chars]');
  });
});

describe('redaction of errors', () => {
  it('logs type, message and stack with tokens masked', () => {
    const error = new TypeError(`call failed with xoxb-1-${SECRET}`);
    const { line, text } = logOnce({ err: error });

    expect(text).not.toContain(SECRET);
    expect(line['err']).toEqual({
      type: 'TypeError',
      message: 'call failed with [REDACTED]',
      stack: expect.stringMatching(/^TypeError: call failed with \[REDACTED\]\n {4}at /),
    });
  });

  it('follows the cause chain', () => {
    const root = new Error(`root token=${SECRET}`);
    const middle = new Error('middle', { cause: root });
    const top = new Error('top', { cause: middle });
    const { line, text } = logOnce({ err: top });

    expect(text).not.toContain(SECRET);
    expect(line['err']).toMatchObject({
      message: 'top',
      cause: { message: 'middle', cause: { message: 'root token=[REDACTED]' } },
    });
  });

  it('logs a cause that is not an error', () => {
    const { line } = logOnce({ err: new Error('wrapped', { cause: { status: 500, bot_token: SECRET } }) });

    expect(line['err']).toMatchObject({ cause: { status: 500, bot_token: REDACTED } });
  });

  it('logs the errors of an AggregateError', () => {
    const error = new AggregateError([new Error(`a xoxb-${SECRET}`), new RangeError('b')], 'both failed');
    const { line, text } = logOnce({ err: error });

    expect(text).not.toContain(SECRET);
    expect(line['err']).toMatchObject({
      type: 'AggregateError',
      message: 'both failed',
      errors: [
        { type: 'Error', message: 'a [REDACTED]' },
        { type: 'RangeError', message: 'b' },
      ],
    });
  });

  it('logs own fields of an error with secrets masked', () => {
    const error = Object.assign(new Error('request failed'), {
      code: 'ECONNRESET',
      $metadata: { httpStatusCode: 403, requestId: 'r-1' },
      config: { headers: { Authorization: `Bearer ${SECRET}` } },
    });
    const { line, text } = logOnce({ error });

    expect(text).not.toContain(SECRET);
    expect(line['error']).toMatchObject({
      type: 'Error',
      code: 'ECONNRESET',
      $metadata: { httpStatusCode: 403, requestId: 'r-1' },
      config: { headers: { Authorization: REDACTED } },
    });
  });

  it('survives an error whose cause refers back to it', () => {
    const error = new Error('loop');
    (error as Error & { cause: unknown }).cause = error;

    expect(logOnce({ err: error }).line['err']).toMatchObject({ message: 'loop', cause: '[Circular]' });
  });
});

describe('bounds and special values', () => {
  it('marks cycles and keeps shared references', () => {
    const shared = { id: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic['self'] = cyclic;
    const { line } = logOnce({ cyclic });

    expect(line['cyclic']).toEqual({ shared: { id: 1 }, again: { id: 1 }, self: '[Circular]' });
  });

  it('cuts objects nested more than 10 levels deep, counting the data record', () => {
    let deep: Record<string, unknown> = { bottom: SECRET };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const { line, text } = logOnce({ deep });

    let node = line as Record<string, unknown>;
    let depth = 0;
    while (typeof node === 'object') {
      node = (node['deep'] ?? node['d']) as Record<string, unknown>;
      depth++;
    }
    expect(node).toBe('[MaxDepth]');
    expect(depth).toBe(10);
    expect(text).not.toContain(SECRET);
  });

  it('keeps the first 100 items of a long array', () => {
    const { line } = logOnce({ items: Array.from({ length: 250 }, (_, i) => i) });
    const items = line['items'] as unknown[];

    expect(items).toHaveLength(101);
    expect(items.slice(0, 3)).toEqual([0, 1, 2]);
    expect(items[100]).toBe('[Truncated] 150 more items');
  });

  it('stops after 2000 values and says how many keys were left out', () => {
    const wide = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i]));
    const { line } = logOnce({ wide });
    const logged = line['wide'] as Record<string, unknown>;

    expect(Object.keys(logged)).toHaveLength(2000);
    expect(logged['[truncated]']).toBe('1001 more keys');
  });

  it('writes special values as JSON can carry them', () => {
    const { line } = logOnce({
      big: 12345678901234567890n,
      date: new Date(0),
      invalidDate: new Date(Number.NaN),
      buffer: Buffer.from('private bytes'),
      bytes: new Uint8Array(4),
      arrayBuffer: new ArrayBuffer(3),
      symbol: Symbol('s'),
      fn: () => 1,
      missing: undefined,
      nan: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      // eslint-disable-next-line no-sparse-arrays -- a hole is the case under test
      sparse: [1, , 3],
      boxedNumber: Object(5) as object,
      set: new Set([1, 2]),
      headers: new Headers({ authorization: 'Bearer x', accept: 'application/json' }),
      nullProto: Object.assign(Object.create(null) as object, { a: 1 }),
    });

    expect(line).toEqual({
      level: 'error',
      time: expect.any(String),
      big: '12345678901234567890',
      date: '1970-01-01T00:00:00.000Z',
      invalidDate: null,
      buffer: '[Binary 13 bytes]',
      bytes: '[Binary 4 bytes]',
      arrayBuffer: '[Binary 3 bytes]',
      symbol: 'Symbol(s)',
      nan: null,
      infinite: null,
      sparse: [1, null, 3],
      boxedNumber: 5,
      set: [1, 2],
      headers: { accept: 'application/json', authorization: REDACTED },
      nullProto: { a: 1 },
      event: 'processing_failed',
    });
  });

  it('honours toJSON and survives one that throws', () => {
    const { line } = logOnce({
      custom: { toJSON: () => ({ shown: true, token: SECRET }) },
      broken: {
        toJSON: () => {
          throw new Error('no');
        },
      },
    });

    expect(line).toMatchObject({ custom: { shown: true, token: REDACTED }, broken: '[Unreadable]' });
  });

  it('survives getters and proxies that throw', () => {
    const getter = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get: () => {
        throw new Error('nope');
      },
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('nope');
        },
      },
    );
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('nope');
        },
      },
    );
    const { line } = logOnce({ getter, proxy, hostile });

    expect(line).toMatchObject({ getter: { ok: 1, bad: '[Unreadable]' }, proxy: '[Unreadable]', hostile: '[Unreadable]' });
  });
});
