import { AccessDeniedException, ConverseCommand, ConverseStreamCommand, ModelStreamErrorException } from '@aws-sdk/client-bedrock-runtime';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BEDROCK_ACCESS_HINTS, BEDROCK_ERROR_CATALOGUE } from '../src/errors';
import { processExecutionEvent } from '../src/process-event';
import { checkpointKey, createStreamCheckpointStore } from '../src/stream-checkpoint';
import { STREAM_INTERRUPTED_NOTICE } from '../src/stream-reply';
import { fakeContext } from './support/context';
import { loadEvent } from './support/fixtures';
import { Harness } from './support/harness';

const CHANNEL = 'C0123ABCDEF';
const MESSAGE_TS = '1700000000.000100';
const EVENT_ID = 'Ev0123DIRECT';
const DELTAS = ['Paris ', 'is ', 'the ', 'capital ', 'of ', '**France** <!channel>', '.'];

describe('streamed answers (SLACK_STREAMING=true)', () => {
  const h = new Harness();
  let clock = 0;
  const run = (event: unknown = loadEvent('api-gateway/execution-request.json')) =>
    processExecutionEvent(event, fakeContext(60_000), h.deps);
  /** Checkpoint writes go to a table that does not exist (DynamoDB answers ResourceNotFoundException); reads still work. */
  const failCheckpointWrites = (): void => {
    const stored = h.deps.checkpoints;
    if (stored === undefined) throw new Error('the harness builds checkpoints when SLACK_STREAMING=true');
    const missing = createStreamCheckpointStore({ client: h.dynamo.client, tableName: 'no-such-table', ttlSeconds: 60 });
    h.deps = { ...h.deps, checkpoints: { get: (id) => stored.get(id), put: (id, checkpoint) => missing.put(id, checkpoint) } };
  };
  /** Each text piece arrives 400 ms after the previous one on the test clock. */
  const tick = () => {
    clock += 400;
  };

  beforeAll(() => h.start());
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.reset({ SLACK_STREAMING: 'true' });
    clock = 1_000_000;
    h.deps = { ...h.deps, now: () => clock };
  });

  it('streams the answer: start with the first text, batched appends, stop with the rest; one message', async () => {
    h.streamAnswer(DELTAS, { beforeDelta: tick });
    await expect(run()).resolves.toEqual({ outcome: 'replied', parts: 1, delivery: 'stream' });

    expect(h.slackCalls()).toEqual([
      ['reactions.add', { channel: CHANNEL, timestamp: MESSAGE_TS, name: 'eyes' }],
      [
        'chat.startStream',
        { channel: CHANNEL, thread_ts: MESSAGE_TS, markdown_text: 'Paris ', recipient_team_id: 'T0123TEAM01', recipient_user_id: 'U0123USER01' },
      ],
      // 1.2 s after the start (three pieces), the text gathered so far; the next append waits for this one.
      ['chat.appendStream', { channel: CHANNEL, ts: '1700000200.000001', markdown_text: 'is the capital ' }],
      ['chat.stopStream', { channel: CHANNEL, ts: '1700000200.000001', markdown_text: 'of **France** &lt;!channel&gt;.' }],
      ['reactions.remove', { channel: CHANNEL, timestamp: MESSAGE_TS, name: 'eyes' }],
    ]);
    expect(h.bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
    expect(h.bedrock.commandCalls(ConverseStreamCommand)[0].args[0].input).toMatchObject({
      messages: [{ role: 'user', content: [{ text: 'What is the capital of France?' }] }],
      inferenceConfig: { maxTokens: 2048, temperature: 0.3 },
    });

    const stored = await h.dynamo.client.send(
      new GetItemCommand({ TableName: h.table, Key: { id: { S: checkpointKey(EVENT_ID) } }, ConsistentRead: true }),
    );
    expect(stored.Item).toMatchObject({ channel: { S: CHANNEL }, stream_ts: { S: '1700000200.000001' } });

    expect(h.logs.events('slack_stream_started')).toHaveLength(1);
    expect(h.logs.events('slack_stream_first_text')[0]).toMatchObject({ since_start_ms: 400, stream_ms: 400 });
    const stopped = h.logs.events('slack_stream_stopped')[0];
    expect(stopped).toMatchObject({ TimeToFirstText: 400, TimeToLastText: 2_800, StreamSlackCalls: 3, slack_calls: 3, stop_reason: 'end_turn' });
    expect(stopped['_aws']).toMatchObject({
      CloudWatchMetrics: [{ Namespace: 'SlackAiApp', Dimensions: [['Service']], Metrics: [{ Name: 'TimeToFirstText', Unit: 'Milliseconds' }, { Name: 'TimeToLastText', Unit: 'Milliseconds' }, { Name: 'StreamSlackCalls', Unit: 'Count' }] }],
    });
    expect(h.logs.events('bedrock_invocation_success')[0]).toMatchObject({ streamed: true, output_tokens: 7, stop_reason: 'end_turn' });
  });

  it('appends the truncation note when the model hit its token limit', async () => {
    h.streamAnswer(['Half an answer'], { stopReason: 'max_tokens' });
    await run();
    expect(h.slack.callsTo('chat.stopStream')[0].params['markdown_text']).toBe(
      '\n\n_(My answer was cut short because it reached the length limit.)_',
    );
  });

  it('falls back to posting the whole answer when Slack refuses streaming, and says why once per container', async () => {
    h.slack.script('chat.startStream', { body: { ok: false, error: 'channel_type_not_supported' } }, { body: { ok: false, error: 'channel_type_not_supported' } });
    h.streamAnswer(DELTAS);
    await expect(run()).resolves.toEqual({ outcome: 'replied', parts: 1, delivery: 'post_fallback' });
    await expect(run(loadEvent('direct/in-thread.json'))).resolves.toEqual({ outcome: 'replied', parts: 1, delivery: 'post_fallback' });

    expect(h.slack.callsTo('chat.postMessage').map((c) => c.params['text'])).toEqual([
      'Paris is the capital of *France* &lt;!channel&gt;.',
      'Paris is the capital of *France* &lt;!channel&gt;.',
    ]);
    expect(h.slack.callsTo('chat.appendStream')).toHaveLength(0);
    expect(h.logs.events('slack_stream_unavailable')).toEqual([
      expect.objectContaining({ slack_error: 'channel_type_not_supported', fallback: 'chat.postMessage', level: 'warn' }),
    ]);
  });

  it('ends the stream with a notice where the answer stopped when the model stream breaks, and swaps 👀 for ⚠️', async () => {
    h.streamAnswer(DELTAS, {
      beforeDelta: tick,
      breakAfter: { deltas: 4, error: new ModelStreamErrorException({ message: 'The model stream failed.', $metadata: {} }) },
    });
    await expect(run()).resolves.toEqual({ outcome: 'stream_interrupted', cause: 'bedrock_error' });

    expect(h.slackCalls().map(([method, params]) => [method, params['markdown_text'] ?? params['name']])).toEqual([
      ['reactions.add', 'eyes'],
      ['chat.startStream', 'Paris '],
      ['chat.appendStream', 'is the capital '],
      ['chat.stopStream', STREAM_INTERRUPTED_NOTICE],
      ['reactions.remove', 'eyes'],
      ['reactions.add', 'warning'],
    ]);
    expect(h.logs.events('slack_stream_interrupted')[0]).toMatchObject({ cause: 'bedrock_error', ended: true, level: 'warn' });
    expect(h.logs.events('bedrock_error')[0]).toMatchObject({ error: 'ModelStreamErrorException', stream_broken: true, text_so_far: 21 });
  });

  it('answers the usual way when the model fails before any text: nothing is streamed', async () => {
    h.bedrock.on(ConverseStreamCommand).rejects(new ModelStreamErrorException({ message: 'boom', $metadata: {} }));
    await expect(run()).rejects.toMatchObject({ name: 'BedrockInvocationError', kind: 'bedrock_error' });
    expect(h.slack.callsTo('chat.startStream')).toHaveLength(0);
  });

  it('names the access cause for the admin when the streamed call is denied, as the posted path does', async () => {
    h.bedrock.on(ConverseStreamCommand).rejects(
      new AccessDeniedException({ message: "You don't have access to the model with the specified model ID.", $metadata: {} }),
    );
    await expect(run()).resolves.toEqual({ outcome: 'error_notified', kind: 'bedrock_access_denied' });
    expect(h.slack.callsTo('chat.postMessage').map((c) => c.params['text'])).toEqual([
      `${BEDROCK_ERROR_CATALOGUE.bedrock_access_denied.userMessage}\n_For the admin: ${BEDROCK_ACCESS_HINTS.model_access}_`,
    ]);
    expect(h.slack.callsTo('chat.startStream')).toHaveLength(0);
  });

  it('a retry that finds the checkpoint names the access cause too when the model is denied', async () => {
    await h.deps.checkpoints?.put(EVENT_ID, { channel: CHANNEL, ts: '1700000150.000001' });
    h.bedrock.on(ConverseStreamCommand).rejects(
      new AccessDeniedException({ message: "You don't have access to the model with the specified model ID.", $metadata: {} }),
    );
    await expect(run()).resolves.toEqual({ outcome: 'error_notified', kind: 'bedrock_access_denied' });
    expect(h.slack.callsTo('chat.update').map((c) => c.params['text'])).toEqual([
      `${BEDROCK_ERROR_CATALOGUE.bedrock_access_denied.userMessage}\n_For the admin: ${BEDROCK_ACCESS_HINTS.model_access}_`,
    ]);
  });

  it('ends the stream at once with the notice when the checkpoint cannot be written: a retry could not find it', async () => {
    failCheckpointWrites();
    h.streamAnswer(DELTAS, { beforeDelta: tick });
    await expect(run()).resolves.toEqual({ outcome: 'stream_interrupted', cause: 'IdempotencyStoreError' });

    expect(h.slackCalls().map(([method, params]) => [method, params['markdown_text'] ?? params['name']])).toEqual([
      ['reactions.add', 'eyes'],
      ['chat.startStream', 'Paris '],
      ['chat.stopStream', STREAM_INTERRUPTED_NOTICE],
      ['reactions.remove', 'eyes'],
      ['reactions.add', 'warning'],
    ]);
    expect(h.logs.events('stream_checkpoint_failed')).toEqual([
      expect.objectContaining({ stage: 'write', error: 'ResourceNotFoundException', level: 'error' }),
    ]);
    expect(h.logs.events('slack_stream_interrupted')[0]).toMatchObject({ cause: 'IdempotencyStoreError', ended: true });
  });

  it('does not ask for a retry when neither the checkpoint nor the stop went through: a retry would post a second message', async () => {
    failCheckpointWrites();
    h.slack.script('chat.stopStream', { body: { ok: false, error: 'channel_not_found' } });
    h.streamAnswer(DELTAS, { beforeDelta: tick });
    await expect(run()).resolves.toEqual({ outcome: 'stream_interrupted', cause: 'IdempotencyStoreError' });
    expect(h.slack.callsTo('chat.startStream')).toHaveLength(1);
    expect(h.slack.callsTo('chat.stopStream')).toHaveLength(1);
    expect(h.logs.events('slack_stream_interrupted')[0]).toMatchObject({ cause: 'IdempotencyStoreError', ended: false });
  });

  it('a retry after a crash mid-stream replaces the partial message with the whole answer: never a second message', async () => {
    // The first attempt started a stream, then its container died: the checkpoint is all that is left of it.
    await h.deps.checkpoints?.put(EVENT_ID, { channel: CHANNEL, ts: '1700000150.000001' });
    h.streamAnswer(DELTAS);
    await expect(run()).resolves.toEqual({ outcome: 'replied', parts: 1, delivery: 'stream_replaced' });

    expect(h.slackCalls()).toEqual([
      ['reactions.add', { channel: CHANNEL, timestamp: MESSAGE_TS, name: 'eyes' }],
      ['chat.stopStream', { channel: CHANNEL, ts: '1700000150.000001' }],
      ['chat.update', { channel: CHANNEL, ts: '1700000150.000001', text: 'Paris is the capital of *France* &lt;!channel&gt;.' }],
      ['reactions.remove', { channel: CHANNEL, timestamp: MESSAGE_TS, name: 'eyes' }],
    ]);
    expect(h.logs.events('slack_stream_resumed')[0]).toMatchObject({ stream_ts: '1700000150.000001' });
  });

  it('a retry still replaces the message when Slack already ended the stream (message_not_in_streaming_state)', async () => {
    await h.deps.checkpoints?.put(EVENT_ID, { channel: CHANNEL, ts: '1700000150.000001' });
    h.slack.script('chat.stopStream', { body: { ok: false, error: 'message_not_in_streaming_state' } });
    h.streamAnswer(DELTAS);
    await expect(run()).resolves.toEqual({ outcome: 'replied', parts: 1, delivery: 'stream_replaced' });
    expect(h.slack.callsTo('chat.update')).toHaveLength(1);
    expect(h.slack.callsTo('chat.startStream')).toHaveLength(0);
  });

  it('waits out a rate-limited appendStream (429, Retry-After) and still ends with one whole message', async () => {
    h.slack.script('chat.appendStream', { status: 429, headers: { 'retry-after': '0' }, body: { ok: false, error: 'ratelimited' } });
    h.streamAnswer(DELTAS, { beforeDelta: tick });
    await expect(run()).resolves.toEqual({ outcome: 'replied', parts: 1, delivery: 'stream' });
    expect(h.slack.callsTo('chat.startStream')).toHaveLength(1);
    const appended = h.slack.callsTo('chat.appendStream').map((c) => c.params['markdown_text']);
    expect(appended).toEqual(['is the capital ', 'is the capital ']);
    expect(h.slack.callsTo('chat.stopStream')[0].params['markdown_text']).toBe('of **France** &lt;!channel&gt;.');
    expect(h.logs.events('slack_rate_limited')[0]).toMatchObject({ method: 'chat.appendStream', retry_after_seconds: 0 });
  });

  it('keeps a checkpoint for the idempotency TTL, then ignores it', async () => {
    let now = Date.parse('2026-12-06T00:00:00Z');
    const store = createStreamCheckpointStore({ client: h.dynamo.client, tableName: h.table, ttlSeconds: 60, now: () => now });
    await store.put('EvTTL', { channel: CHANNEL, ts: '1700000300.000001' });
    const stored = await h.dynamo.client.send(new GetItemCommand({ TableName: h.table, Key: { id: { S: 'slack-ai-app.execution.stream#EvTTL' } } }));
    expect(stored.Item).toEqual({
      id: { S: 'slack-ai-app.execution.stream#EvTTL' },
      channel: { S: CHANNEL },
      stream_ts: { S: '1700000300.000001' },
      expiration: { N: String(now / 1000 + 60) },
    });
    now += 59_000;
    await expect(store.get('EvTTL')).resolves.toEqual({ channel: CHANNEL, ts: '1700000300.000001' });
    now += 1_000;
    await expect(store.get('EvTTL')).resolves.toBeUndefined();
    await expect(store.get('EvNone')).resolves.toBeUndefined();
  });
});
