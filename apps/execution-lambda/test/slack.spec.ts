import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackApiError } from '../src/errors';
import { classifySlackError, createSlackClient, SLACK_RETRY_CONFIG, slackApi, type SlackApi } from '../src/slack';
import { slackClientCache } from '../src/dependencies';
import { SlackStandIn } from './support/slack-stand-in';

const TOKEN = 'xoxb-123456789012-123456789012-StandInTokenValue';
const FAST_RETRIES = { retries: 2, minTimeout: 0, maxTimeout: 1 };

describe('Slack client against a local stand-in', () => {
  const slack = new SlackStandIn();
  const rateLimits: Array<[number, string]> = [];
  let api: SlackApi;

  beforeAll(() => slack.start());
  afterAll(() => slack.stop());
  beforeEach(() => {
    slack.reset();
    rateLimits.length = 0;
    api = slackApi(
      createSlackClient(TOKEN, {
        apiUrl: slack.apiUrl,
        retryConfig: FAST_RETRIES,
        observer: { onRateLimited: (seconds, method) => rateLimits.push([seconds, method]) },
      }),
    );
  });

  it('keeps its own retries small', () => {
    expect(SLACK_RETRY_CONFIG.retries).toBe(2);
  });

  it('posts through the configured base URL with the bearer token', async () => {
    await expect(api.postMessage({ channel: 'C1', text: 'hello', threadTs: '1700000000.000100' })).resolves.toBe(
      '1700000100.000001',
    );
    expect(slack.calls).toEqual([
      {
        method: 'chat.postMessage',
        authorization: `Bearer ${TOKEN}`,
        params: expect.objectContaining({ channel: 'C1', text: 'hello', thread_ts: '1700000000.000100', unfurl_links: 'false' }),
      },
    ]);
  });

  it('waits for Retry-After on 429 and then posts once', async () => {
    slack.script('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } });
    await expect(api.postMessage({ channel: 'C1', text: 'hello' })).resolves.toBe('1700000100.000001');
    expect(rateLimits).toEqual([[1, 'chat.postMessage']]);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[0].params).toEqual(posts[1].params);
  });

  it('throws a retryable error when 5xx outlasts the retries', async () => {
    const unavailable = { status: 503, body: { ok: false } };
    slack.script('chat.postMessage', unavailable, unavailable, unavailable);
    const error = await api.postMessage({ channel: 'C1', text: 'hello' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ method: 'chat.postMessage', slackError: 'http_503', retryable: true });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('recovers when a 5xx is followed by success', async () => {
    slack.script('chat.postMessage', { status: 502, body: {} });
    await expect(api.postMessage({ channel: 'C1', text: 'hello' })).resolves.toBe('1700000100.000001');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it.each([
    ['channel_not_found', false],
    ['not_in_channel', false],
    ['invalid_auth', false],
    ['msg_too_long', false],
    ['internal_error', true],
    ['fatal_error', true],
  ])('classifies the platform error %s (retryable: %s) without retrying it', async (code, retryable) => {
    slack.script('chat.postMessage', { body: { ok: false, error: code } });
    await expect(api.postMessage({ channel: 'C1', text: 'hello' })).rejects.toMatchObject({ slackError: code, retryable });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('adds and removes reactions on the message', async () => {
    await api.addReaction({ channel: 'C1', timestamp: '1700000000.000100', name: 'eyes' });
    await api.removeReaction({ channel: 'C1', timestamp: '1700000000.000100', name: 'eyes' });
    expect(slack.calls.map((c) => [c.method, c.params])).toEqual([
      ['reactions.add', { channel: 'C1', timestamp: '1700000000.000100', name: 'eyes' }],
      ['reactions.remove', { channel: 'C1', timestamp: '1700000000.000100', name: 'eyes' }],
    ]);
  });

  it('follows conversations.replies cursors', async () => {
    slack.script(
      'conversations.replies',
      { body: { ok: true, messages: [{ ts: '1.1', user: 'U1', text: 'a' }], has_more: true, response_metadata: { next_cursor: 'page2' } } },
      { body: { ok: true, messages: [{ ts: '1.2', bot_id: 'B1', subtype: 'bot_message', text: 'b' }], has_more: false } },
    );
    await expect(api.threadReplies({ channel: 'C1', threadTs: '1.1' })).resolves.toEqual([
      { ts: '1.1', user: 'U1', text: 'a', bot_id: undefined, subtype: undefined },
      { ts: '1.2', user: undefined, text: 'b', bot_id: 'B1', subtype: 'bot_message' },
    ]);
    const calls = slack.callsTo('conversations.replies');
    expect(calls.map((c) => c.params.cursor)).toEqual([undefined, 'page2']);
    expect(calls[0].params).toMatchObject({ channel: 'C1', ts: '1.1', limit: '200' });
  });
});

describe('classifySlackError', () => {
  it('treats an unreachable Slack as retryable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const api = slackApi(
      createSlackClient(TOKEN, {
        apiUrl: `http://127.0.0.1:${port}/api/`,
        retryConfig: { retries: 0 },
        observer: { onRateLimited: () => undefined },
      }),
    );
    await expect(api.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({ slackError: 'request_failed', retryable: true });
  });

  it('treats an exhausted rate limit as retryable and an unknown throwable as retryable', () => {
    expect(classifySlackError('chat.postMessage', new Error('A rate limit was exceeded (url: x, retry-after: 1)'))).toMatchObject({
      slackError: 'rate_limited',
      retryable: true,
    });
    expect(classifySlackError('chat.postMessage', 'boom')).toMatchObject({ slackError: 'unknown', retryable: true });
  });

  it('never puts the token in the error', async () => {
    const error = classifySlackError('chat.postMessage', new Error(`failed with ${TOKEN}`));
    expect(error.message).toBe('Slack chat.postMessage failed: unknown');
  });
});

describe('slackClientCache', () => {
  const slack = new SlackStandIn();
  beforeAll(() => slack.start());
  afterAll(() => slack.stop());
  beforeEach(() => slack.reset());

  it('reuses one client per token across invocations and builds a new one when the token changes', async () => {
    const clients = slackClientCache(slack.apiUrl);
    const quiet = { onRateLimited: () => undefined };
    const first = clients(TOKEN, quiet);
    expect(clients(TOKEN, quiet)).toBe(first);
    const rotated = clients('xoxb-rotated-0000-token', quiet);
    expect(rotated).not.toBe(first);
    await rotated.postMessage({ channel: 'C1', text: 'after rotation', threadTs: '1700000000.000100' });
    expect(slack.calls.map((c) => c.authorization)).toEqual(['Bearer xoxb-rotated-0000-token']);
  });

  it('reports a rate limit to the observer of the invocation that asked last', async () => {
    const clients = slackClientCache(slack.apiUrl);
    const earlier: string[] = [];
    const latest: string[] = [];
    clients(TOKEN, { onRateLimited: (_s, method) => earlier.push(method) });
    const api = clients(TOKEN, { onRateLimited: (_s, method) => latest.push(method) });
    slack.script('chat.postMessage', { status: 429, headers: { 'retry-after': '0' }, body: { ok: false, error: 'ratelimited' } });
    await api.postMessage({ channel: 'C1', text: 'hello', threadTs: '1700000000.000100' });
    expect({ earlier, latest }).toEqual({ earlier: [], latest: ['chat.postMessage'] });
  });
});
