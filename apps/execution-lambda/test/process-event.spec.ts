import {
  AccessDeniedException,
  ConverseCommand,
  InternalServerException,
  ModelTimeoutException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { BEDROCK_ERROR_CATALOGUE, bedrockUserMessage, EventInProgressError, MODEL_DECLINED_MESSAGE, TRUNCATED_SUFFIX } from '../src/errors';
import { classifyBedrockError } from '../src/bedrock';
import { processExecutionEvent } from '../src/process-event';
import { fakeContext } from './support/context';
import { loadEvent } from './support/fixtures';
import { BOT_TOKEN, converseAnswer, Harness } from './support/harness';

const QUESTION = 'What is the capital of France?';

describe('processExecutionEvent', () => {
  const h = new Harness();
  const run = (event: unknown, remainingMs = 60_000) => processExecutionEvent(event, fakeContext(remainingMs), h.deps);

  beforeAll(() => h.start());
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  describe('delivery paths', () => {
    it('answers an API Gateway event in the thread of the user’s message, with 👀 while working', async () => {
      h.answer('Paris is the capital of **France**.');
      await expect(run(loadEvent('api-gateway/execution-request.json'))).resolves.toEqual({ outcome: 'replied', parts: 1 });
      expect(h.slackCalls()).toEqual([
        ['reactions.add', { channel: 'C0123ABCDEF', timestamp: '1700000000.000100', name: 'eyes' }],
        [
          'chat.postMessage',
          expect.objectContaining({
            channel: 'C0123ABCDEF',
            thread_ts: '1700000000.000100',
            text: 'Paris is the capital of *France*.',
          }),
        ],
        ['reactions.remove', { channel: 'C0123ABCDEF', timestamp: '1700000000.000100', name: 'eyes' }],
      ]);
      expect(h.slack.calls.every((c) => c.authorization === `Bearer ${BOT_TOKEN}`)).toBe(true);
      expect(h.converseInputs()).toEqual([
        expect.objectContaining({ messages: [{ role: 'user', content: [{ text: QUESTION }] }] }),
      ]);
      const started = h.logs.events('processing_started')[0];
      expect(started).toMatchObject({
        source: 'api_gateway',
        caller_arn: 'arn:aws:sts::000000000000:assumed-role/slack-ai-app-verification/slack-ai-app-verification',
        correlation_id: 'corr-direct-0001',
        event_id: 'Ev0123DIRECT',
        aws_request_id: 'req-0001',
        text_length: QUESTION.length,
      });
    });

    it('answers a direct-invoke ExecutionRequest the same way', async () => {
      h.answer('Paris.');
      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({ outcome: 'replied', parts: 1 });
      expect(h.slack.callsTo('chat.postMessage')[0].params).toMatchObject({ thread_ts: '1700000000.000100', text: 'Paris.' });
      expect(h.logs.events('processing_started')[0]).toMatchObject({ source: 'direct', idempotency: 'event_id' });
    });

    it('reads the thread, maps it to alternating turns and replies in the thread', async () => {
      h.slack.threadMessages = [
        { type: 'message', ts: '1700000000.000100', user: 'U0123USER01', text: QUESTION },
        { type: 'message', ts: '1700000000.000200', bot_id: 'B01', user: 'U0BOT', text: 'Paris.' },
        { type: 'message', ts: '1700000000.000300', user: 'U0123USER01', text: 'Thanks!' },
        { type: 'message', ts: '1700000000.000400', user: 'U0123USER02', text: 'Me too.' },
        { type: 'message', ts: '1700000000.000500', user: 'U0123USER01', text: 'And what about Germany?' },
      ];
      h.answer('Berlin.');
      await run(loadEvent('api-gateway/in-thread.json'));
      expect(h.converseInputs()[0].messages).toEqual([
        { role: 'user', content: [{ text: QUESTION }] },
        { role: 'assistant', content: [{ text: 'Paris.' }] },
        { role: 'user', content: [{ text: 'Thanks!\n\nMe too.\n\nAnd what about Germany?' }] },
      ]);
      expect(h.slack.callsTo('conversations.replies')[0].params).toMatchObject({ channel: 'C0123ABCDEF', ts: '1700000000.000100' });
      expect(h.slack.callsTo('chat.postMessage')[0].params.thread_ts).toBe('1700000000.000100');
      expect(h.slack.callsTo('reactions.add')[0].params.timestamp).toBe('1700000000.000500');
      expect(h.logs.events('thread_history_fetched')[0]).toMatchObject({ messages: 5, turns: 4 });
    });

    it('answers without history when the thread cannot be read for a terminal reason', async () => {
      h.slack.script('conversations.replies', { body: { ok: false, error: 'missing_scope' } });
      h.answer('Berlin.');
      await expect(run(loadEvent('direct/in-thread.json'))).resolves.toEqual({ outcome: 'replied', parts: 1 });
      expect(h.converseInputs()[0].messages).toEqual([{ role: 'user', content: [{ text: 'And what about Germany?' }] }]);
      expect(h.logs.events('thread_history_fetched')[0]).toMatchObject({ ok: false, slack_error: 'missing_scope', level: 'warn' });
    });

    it('answers a legacy payload in the channel with its own token, without reactions or idempotency', async () => {
      await h.reset({ SLACK_BOT_TOKEN: '' });
      h.answer('Paris.');
      const legacy = loadEvent<{ bot_token: string }>('direct/legacy.json');
      await expect(run(legacy)).resolves.toEqual({ outcome: 'replied', parts: 1 });
      expect(h.slackCalls()).toEqual([['chat.postMessage', expect.not.objectContaining({ thread_ts: expect.anything() })]]);
      expect(h.slack.calls[0].authorization).toBe(`Bearer ${legacy.bot_token}`);
      expect(h.logs.events('processing_started')[0]).toMatchObject({ legacy: true, idempotency: 'none' });
      expect(await h.dynamo.items(h.table)).toEqual([]);
      expect(h.logs.raw()).not.toContain(legacy.bot_token);
    });

    it('posts a notice as is, without the model or reactions', async () => {
      const notice = loadEvent<{ notice: { text: string } }>('direct/notice.json');
      await expect(run(notice)).resolves.toEqual({ outcome: 'notice_posted' });
      expect(h.slackCalls()).toEqual([
        ['chat.postMessage', expect.objectContaining({ thread_ts: '1700000000.000100', text: notice.notice.text })],
      ]);
      expect(h.converseInputs()).toEqual([]);
      expect(h.logs.events('notice_posted')[0]).toMatchObject({ kind: 'text_too_long' });
    });
  });

  describe('validation', () => {
    it.each([
      ['direct/invalid.json', 'direct', ['channel', 'event_id']],
      ['api-gateway/invalid-body.json', 'api_gateway', ['user_id', 'team_id']],
    ])('logs invalid_payload naming the fields of %s and drops it', async (fixture, source, fields) => {
      await expect(run(loadEvent(fixture))).resolves.toEqual({ outcome: 'invalid_payload' });
      const [line] = h.logs.events('invalid_payload');
      expect(line).toMatchObject({ source, level: 'warn' });
      expect(line.fields).toEqual(expect.arrayContaining(fields));
      expect(h.slack.calls).toEqual([]);
      expect(h.converseInputs()).toEqual([]);
      expect(JSON.stringify(line)).not.toContain(QUESTION);
    });

    it('drops a payload that is not an object', async () => {
      await expect(run('hello')).resolves.toEqual({ outcome: 'invalid_payload' });
      expect(h.logs.events('invalid_payload')).toHaveLength(1);
    });
  });

  describe('error catalogue', () => {
    it.each([
      ['bedrock_throttled', new ThrottlingException({ $metadata: { attempts: 3 }, message: 'Too many requests' })],
      ['bedrock_access_denied', new AccessDeniedException({ $metadata: {}, message: 'User arn:aws:iam::000000000000:role/x is not authorized' })],
      ['bedrock_timeout', new ModelTimeoutException({ $metadata: {}, message: 'Model timed out' })],
      ['bedrock_validation_error', new ValidationException({ $metadata: {}, message: 'Input is too long for requested model.' })],
    ] as const)('%s posts its friendly message, swaps 👀 for ⚠️ and ends the request', async (kind, error) => {
      h.bedrock.on(ConverseCommand).rejects(error);
      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({ outcome: 'error_notified', kind });
      expect(h.slackCalls()).toEqual([
        ['reactions.add', expect.objectContaining({ name: 'eyes' })],
        ['chat.postMessage', expect.objectContaining({ text: bedrockUserMessage(classifyBedrockError(error)), thread_ts: '1700000000.000100' })],
        ['reactions.remove', expect.objectContaining({ name: 'eyes' })],
        ['reactions.add', expect.objectContaining({ name: 'warning' })],
      ]);
      const posted = h.slack.callsTo('chat.postMessage')[0].params.text;
      expect(posted).not.toMatch(/arn:|Exception|at .*\(/);
      expect(h.logs.events(kind)).toEqual([expect.objectContaining({ error: error.name, retryable: false })]);
      expect(h.logs.events('processing_completed')[0]).toMatchObject({ outcome: 'error_notified', kind });
      if (kind === 'bedrock_access_denied') {
        expect(posted).toBe(`${BEDROCK_ERROR_CATALOGUE[kind].userMessage}\n_For the admin: check the execution Lambda’s bedrock_access_denied log events._`);
        expect(h.logs.events(kind)[0]).toMatchObject({ hint: 'unknown', check: 'check the execution Lambda’s bedrock_access_denied log events.' });
      } else {
        expect(posted).toBe(BEDROCK_ERROR_CATALOGUE[kind].userMessage);
        expect(h.logs.events(kind)[0]).not.toHaveProperty('hint');
      }
    });

    it('a model timeout of our own budget is reported as bedrock_timeout', async () => {
      await expect(run(loadEvent('direct/execution-request.json'), 10_500)).resolves.toEqual({
        outcome: 'error_notified',
        kind: 'bedrock_timeout',
      });
      expect(h.converseInputs()).toEqual([]);
    });

    it('bedrock_error (a transient 5xx) is thrown for Lambda to retry, and a retry then answers once', async () => {
      h.bedrock.on(ConverseCommand).rejectsOnce(new InternalServerException({ $metadata: {}, message: 'oops' })).resolves(converseAnswer('Paris.'));
      const event = loadEvent('direct/execution-request.json');
      await expect(run(event)).rejects.toMatchObject({ name: 'BedrockInvocationError', kind: 'bedrock_error', retryable: true });
      expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
      expect(h.logs.events('bedrock_error')[0]).toMatchObject({ level: 'error', retryable: true });
      expect(h.logs.events('processing_failed')[0]).toMatchObject({ kind: 'bedrock_error', retryable: true });

      await expect(run(event)).resolves.toEqual({ outcome: 'replied', parts: 1 });
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    });

    it('a model that declines gets a polite refusal', async () => {
      h.answer('', { stopReason: 'guardrail_intervened' });
      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({ outcome: 'error_notified', kind: 'model_declined' });
      expect(h.slack.callsTo('chat.postMessage')[0].params.text).toBe(MODEL_DECLINED_MESSAGE);
    });

    it('a Slack 5xx that outlasts the retries is thrown, and nothing is lost: the retry posts once', async () => {
      h.answer('Paris.');
      const down = { status: 503, body: { ok: false } };
      h.slack.script('chat.postMessage', down, down, down);
      const event = loadEvent('direct/execution-request.json');
      await expect(run(event)).rejects.toMatchObject({ name: 'SlackApiError', slackError: 'http_503', retryable: true });
      expect(h.logs.events('slack_post_failed')[0]).toMatchObject({ slack_error: 'http_503', retryable: true, parts_posted: 0 });
      expect(await h.dynamo.items(h.table)).toEqual([]);

      await expect(run(event)).resolves.toEqual({ outcome: 'replied', parts: 1 });
      expect(h.slack.callsTo('chat.postMessage').filter((c) => c.params.text === 'Paris.')).toHaveLength(4);
      expect(h.logs.events('slack_post_success')).toHaveLength(1);
    });

    it('a terminal Slack error (channel_not_found) is logged and not retried', async () => {
      h.answer('Paris.');
      h.slack.script('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({
        outcome: 'slack_rejected',
        slack_error: 'channel_not_found',
      });
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
      expect(h.logs.events('slack_post_failed')[0]).toMatchObject({ slack_error: 'channel_not_found', retryable: false });
    });

    it('reaction failures are logged and never fail the request', async () => {
      h.answer('Paris.');
      h.slack.script('reactions.add', { body: { ok: false, error: 'missing_scope' } });
      h.slack.script('reactions.remove', { body: { ok: false, error: 'no_reaction' } });
      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({ outcome: 'replied', parts: 1 });
      expect(h.logs.events('reaction_failed')).toEqual([
        expect.objectContaining({ op: 'add', slack_error: 'missing_scope', level: 'warn' }),
        expect.objectContaining({ op: 'remove', slack_error: 'no_reaction', level: 'info' }),
      ]);
    });
  });

  describe('long replies', () => {
    it('splits a long answer into ordered parts in the same thread', async () => {
      const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum '.repeat(150).trim()}`);
      h.answer(paragraphs.join('\n\n'));
      const outcome = await run(loadEvent('direct/execution-request.json'));
      const posts = h.slack.callsTo('chat.postMessage');
      expect(outcome).toEqual({ outcome: 'replied', parts: posts.length });
      expect(posts.length).toBeGreaterThan(1);
      for (const post of posts) {
        expect(post.params.thread_ts).toBe('1700000000.000100');
        expect(post.params.text.length).toBeLessThanOrEqual(3_900);
      }
      expect(posts.map((p) => p.params.text).join('\n\n')).toBe(paragraphs.join('\n\n'));
    });

    it('marks an answer cut at the token limit', async () => {
      h.answer('Partial answer', { stopReason: 'max_tokens' });
      await run(loadEvent('direct/execution-request.json'));
      expect(h.slack.callsTo('chat.postMessage')[0].params.text).toBe(`Partial answer${TRUNCATED_SUFFIX}`);
    });

    it('never throws once a part is out (a retry would post it twice)', async () => {
      h.answer(`${'a '.repeat(1_900)}\n\n${'b '.repeat(1_900)}`);
      h.slack.script('chat.postMessage', { body: { ok: true, ts: '1.1' } }, { status: 500, body: {} }, { status: 500, body: {} }, { status: 500, body: {} });
      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({
        outcome: 'reply_incomplete',
        parts_posted: 1,
        parts_total: 2,
      });
      expect((await h.dynamo.items(h.table))[0]).toMatchObject({ status: 'COMPLETED' });
    });
  });

  describe('exactly once', () => {
    it('the same event via API Gateway then direct invoke gives one reply', async () => {
      h.answer('Paris.');
      await expect(run(loadEvent('api-gateway/execution-request.json'))).resolves.toEqual({ outcome: 'replied', parts: 1 });
      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({ outcome: 'duplicate' });
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
      expect(h.slack.callsTo('reactions.add')).toHaveLength(1);
      expect(h.logs.events('duplicate_event_skipped')[0]).toMatchObject({ source: 'direct', previous_outcome: 'replied' });
    });

    it('the same event down both paths concurrently gives one reply; the loser retries later and finds it done', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let modelCalls = 0;
      h.bedrock.on(ConverseCommand).callsFake(async () => {
        modelCalls += 1;
        await gate;
        return converseAnswer('Paris.');
      });

      const viaApi = run(loadEvent('api-gateway/execution-request.json'));
      const viaDirect = run(loadEvent('direct/execution-request.json'));
      const loser = await Promise.race([viaApi, viaDirect].map((p) => p.then(() => 'resolved', (e: unknown) => e)));
      release();
      const settled = await Promise.allSettled([viaApi, viaDirect]);

      expect(loser).toBeInstanceOf(EventInProgressError);
      expect(settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<unknown>).value)).toEqual([
        { outcome: 'replied', parts: 1 },
      ]);
      expect(h.logs.events('event_in_progress')).toHaveLength(1);

      // Lambda's async retry of the loser, after the winner completed.
      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({ outcome: 'duplicate' });
      await expect(run(loadEvent('api-gateway/execution-request.json'))).resolves.toEqual({ outcome: 'duplicate' });
      expect(modelCalls).toBe(1);
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    });

    it('when the winner later fails, the loser’s retry does the work: one reply, nothing lost', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      h.bedrock
        .on(ConverseCommand)
        .callsFakeOnce(async () => {
          await gate;
          throw new InternalServerException({ $metadata: {}, message: 'oops' });
        })
        .resolves(converseAnswer('Paris.'));

      const winner = run(loadEvent('api-gateway/execution-request.json'));
      while ((await h.dynamo.items(h.table)).length === 0) await new Promise((r) => setImmediate(r));
      await expect(run(loadEvent('direct/execution-request.json'))).rejects.toBeInstanceOf(EventInProgressError);
      release();
      await expect(winner).rejects.toMatchObject({ kind: 'bedrock_error' });

      await expect(run(loadEvent('direct/execution-request.json'))).resolves.toEqual({ outcome: 'replied', parts: 1 });
      await expect(run(loadEvent('api-gateway/execution-request.json'))).resolves.toEqual({ outcome: 'duplicate' });
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    });

    it('never processes without the guard: an unreachable store is thrown before anything is posted', async () => {
      await h.dynamo.client.send(new DeleteTableCommand({ TableName: h.table }));
      h.answer('Paris.');
      await expect(run(loadEvent('direct/execution-request.json'))).rejects.toMatchObject({ name: 'IdempotencyStoreError' });
      expect(h.slack.calls).toEqual([]);
      expect(h.logs.events('idempotency_store_unavailable')[0]).toMatchObject({ level: 'error' });
    });
  });

  describe('redaction', () => {
    it('never logs the bot token, an AWS secret or message content at info level', async () => {
      h.answer('The secret answer is 42.');
      await run(loadEvent('api-gateway/execution-request.json'));
      const raw = h.logs.raw();
      expect(raw).not.toContain(BOT_TOKEN);
      expect(raw).not.toContain(QUESTION);
      expect(raw).not.toContain('The secret answer is 42.');
      expect(h.logs.lines.every((l) => l.level !== 'debug')).toBe(true);
      expect(h.logs.events('bedrock_invocation_success')[0]).toMatchObject({ input_tokens: 42, output_tokens: 17, InputTokens: 42 });
    });

    it('keeps tokens out of logs even when an error carries one', async () => {
      await h.reset({ SLACK_BOT_TOKEN: '' });
      h.bedrock.on(ConverseCommand).rejects(new Error(`upstream echoed ${BOT_TOKEN}`));
      const legacy = { ...loadEvent('direct/legacy.json'), bot_token: BOT_TOKEN };
      await expect(run(legacy)).rejects.toMatchObject({ kind: 'bedrock_error' });
      expect(h.logs.raw()).not.toContain(BOT_TOKEN);
    });
  });
});
