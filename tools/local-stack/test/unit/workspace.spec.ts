import { SlackWorkspace } from '../../src/slack/workspace';

const TOKEN = 'xoxb-test';

function workspace() {
  let clock = Date.parse('2024-01-01T00:00:00Z');
  return new SlackWorkspace({ teamId: 'T1', botUserId: 'UBOT', botId: 'BBOT', appId: 'A1', botToken: TOKEN, channels: ['C1'], now: () => new Date(clock++) });
}

describe('SlackWorkspace', () => {
  it('checks the token from the Authorization header or the token argument', () => {
    const ws = workspace();
    expect(ws.call('auth.test', {}, undefined)).toEqual({ auth: 'not_authed', body: { ok: false, error: 'not_authed' } });
    expect(ws.call('auth.test', {}, 'xoxb-wrong')).toEqual({ auth: 'invalid_auth', body: { ok: false, error: 'invalid_auth' } });
    expect(ws.call('auth.test', { token: TOKEN }, undefined).auth).toBe('ok');
  });

  it('posts a threaded reply and returns it from conversations.replies with thread fields', () => {
    const ws = workspace();
    const root = ws.postUserMessage({ channel: 'C1', user: 'U1', text: '<@UBOT> hi' });
    const posted = ws.call('chat.postMessage', { channel: 'C1', text: 'hello', thread_ts: root.ts }, TOKEN).body;
    expect(posted).toMatchObject({ ok: true, channel: 'C1', message: { text: 'hello', user: 'UBOT', bot_id: 'BBOT', thread_ts: root.ts, parent_user_id: 'U1' } });
    const replies = ws.call('conversations.replies', { channel: 'C1', ts: root.ts }, TOKEN).body;
    expect(replies).toMatchObject({
      ok: true,
      has_more: false,
      response_metadata: { next_cursor: '' },
      messages: [
        { ts: root.ts, thread_ts: root.ts, reply_count: 1, reply_users_count: 1, latest_reply: (posted['message'] as { ts: string }).ts },
        { text: 'hello', thread_ts: root.ts },
      ],
    });
  });

  it('generates strictly increasing ts values', () => {
    const ws = new SlackWorkspace({ teamId: 'T1', botUserId: 'UBOT', botId: 'B', appId: 'A', botToken: TOKEN, channels: ['C1'], now: () => new Date(1_700_000_000_000) });
    const a = ws.postUserMessage({ channel: 'C1', user: 'U', text: 'a' }).ts;
    const b = ws.postUserMessage({ channel: 'C1', user: 'U', text: 'b' }).ts;
    expect([a, b]).toEqual(['1700000000.000000', '1700000000.000001']);
  });

  it.each([
    [{ text: 'x' }, 'channel_not_found'],
    [{ channel: 'C404', text: 'x' }, 'channel_not_found'],
    [{ channel: 'C1' }, 'no_text'],
    [{ channel: 'C1', text: 'x'.repeat(40_001) }, 'msg_too_long'],
  ])('refuses chat.postMessage %j with %s', (params, error) => {
    expect(workspace().call('chat.postMessage', params, TOKEN).body).toEqual({ ok: false, error });
  });

  it('adds and removes a reaction, with Slack errors for repeats', () => {
    const ws = workspace();
    const { ts } = ws.postUserMessage({ channel: 'C1', user: 'U1', text: 'hi' });
    const react = (method: string) => ws.call(method, { channel: 'C1', timestamp: ts, name: 'eyes' }, TOKEN).body;
    expect(react('reactions.add')).toEqual({ ok: true });
    expect(ws.thread('C1', ts)?.[0]?.reactions).toEqual([{ name: 'eyes', users: ['UBOT'], count: 1 }]);
    expect(react('reactions.add')).toEqual({ ok: false, error: 'already_reacted' });
    expect(react('reactions.remove')).toEqual({ ok: true });
    expect(ws.thread('C1', ts)?.[0]?.reactions).toBeUndefined();
    expect(react('reactions.remove')).toEqual({ ok: false, error: 'no_reaction' });
    expect(ws.call('reactions.add', { channel: 'C1', timestamp: '1.000001', name: 'eyes' }, TOKEN).body).toEqual({ ok: false, error: 'message_not_found' });
  });

  it('pages conversations.replies with a cursor', () => {
    const ws = workspace();
    const root = ws.postUserMessage({ channel: 'C1', user: 'U1', text: 'root' });
    for (const text of ['a', 'b', 'c']) ws.postUserMessage({ channel: 'C1', user: 'U1', text, threadTs: root.ts });
    const first = ws.call('conversations.replies', { channel: 'C1', ts: root.ts, limit: '2' }, TOKEN).body as { messages: Array<{ text: string }>; has_more: boolean; response_metadata: { next_cursor: string } };
    expect(first.messages.map((m) => m.text)).toEqual(['root', 'a']);
    expect(first.has_more).toBe(true);
    const second = ws.call('conversations.replies', { channel: 'C1', ts: root.ts, limit: '2', cursor: first.response_metadata.next_cursor }, TOKEN).body as { messages: Array<{ text: string }>; has_more: boolean };
    expect(second.messages.map((m) => m.text)).toEqual(['b', 'c']);
    expect(second.has_more).toBe(false);
    expect(ws.call('conversations.replies', { channel: 'C1', ts: '9.000000' }, TOKEN).body).toEqual({ ok: false, error: 'thread_not_found' });
  });

  it('records calls without the token, and lists the bot replies', () => {
    const ws = workspace();
    const body = ws.call('chat.postMessage', { channel: 'C1', text: 'hi', token: TOKEN }, undefined).body;
    const call = ws.record({ at: new Date(0), method: 'chat.postMessage', params: { channel: 'C1', text: 'hi', token: TOKEN }, auth: 'ok', status: 200, response: body });
    expect(call.params).toEqual({ channel: 'C1', text: 'hi' });
    expect(JSON.stringify(ws.calls())).not.toContain(TOKEN);
    expect(ws.botReplies()).toEqual([{ channel: 'C1', ts: (body['message'] as { ts: string }).ts, threadTs: undefined, text: 'hi' }]);
  });

  it('answers unknown_method for a method it does not emulate', () => {
    expect(workspace().call('users.info', {}, TOKEN).body).toEqual({ ok: false, error: 'unknown_method', req_method: 'users.info' });
  });

  describe('streaming methods (chat.startStream / appendStream / stopStream) and chat.update', () => {
    function streaming() {
      const ws = workspace();
      const root = ws.postUserMessage({ channel: 'C1', user: 'U1', text: '<@UBOT> hi' });
      const recipients = { recipient_team_id: 'T1', recipient_user_id: 'U1' };
      const call = (method: string, params: Record<string, unknown>) => {
        const body = ws.call(method, params, TOKEN).body;
        ws.record({ at: new Date('2024-01-01T00:00:05Z'), method, params, auth: 'ok', status: 200, response: body });
        return body;
      };
      return { ws, root, recipients, call };
    }

    it('grows one message: start, appends, stop; the reply is complete at the stop, and its growth can be replayed', () => {
      const { ws, root, recipients, call } = streaming();
      const completed: string[] = [];
      ws.onBotReply((reply) => completed.push(reply.text));
      const started = call('chat.startStream', { channel: 'C1', thread_ts: root.ts, markdown_text: 'Hello', ...recipients });
      expect(started).toEqual({ ok: true, channel: 'C1', ts: expect.any(String) });
      const ts = started['ts'] as string;
      expect(call('chat.appendStream', { channel: 'C1', ts, markdown_text: ', wor' })).toEqual({ ok: true, channel: 'C1', ts });
      expect(ws.botReplies({ threadTs: root.ts })).toEqual([{ channel: 'C1', ts, threadTs: root.ts, text: 'Hello, wor', stream: 'streaming' }]);
      expect(completed).toEqual([]);
      expect(call('chat.stopStream', { channel: 'C1', ts, markdown_text: 'ld.' })).toEqual({ ok: true, channel: 'C1', ts });
      expect(ws.botReplies({ threadTs: root.ts })).toEqual([{ channel: 'C1', ts, threadTs: root.ts, text: 'Hello, world.', stream: 'stopped' }]);
      expect(completed).toEqual(['Hello, world.']);
      expect(ws.textChanges('C1', ts).map((c) => [c.method, c.text])).toEqual([
        ['chat.startStream', 'Hello'],
        ['chat.appendStream', 'Hello, wor'],
        ['chat.stopStream', 'Hello, world.'],
      ]);
    });

    it.each([
      ['an unknown channel', { channel: 'C404', thread_ts: 'ROOT' }, 'channel_not_found'],
      ['no thread_ts', { channel: 'C1' }, 'invalid_thread_ts'],
      ['a thread_ts that is no message', { channel: 'C1', thread_ts: '1.000001' }, 'invalid_thread_ts'],
      ['a channel stream without recipients', { channel: 'C1', thread_ts: 'ROOT', markdown_text: 'x' }, 'invalid_arguments'],
      ['more than 12,000 characters', { channel: 'C1', thread_ts: 'ROOT', markdown_text: 'x'.repeat(12_001), recipient_team_id: 'T1', recipient_user_id: 'U1' }, 'msg_too_long'],
    ])('chat.startStream refuses %s', (_label, params: Record<string, unknown>, error) => {
      const { root, call } = streaming();
      const resolved = { ...params, ...(params['thread_ts'] === 'ROOT' ? { thread_ts: root.ts } : {}) };
      expect(call('chat.startStream', resolved)).toEqual({ ok: false, error });
    });

    it('refuses appends to a stopped or unknown message, an empty append, and chat.update while streaming', () => {
      const { root, recipients, call } = streaming();
      const ts = call('chat.startStream', { channel: 'C1', thread_ts: root.ts, markdown_text: 'a', ...recipients })['ts'] as string;
      expect(call('chat.appendStream', { channel: 'C1', ts })).toEqual({ ok: false, error: 'no_text' });
      expect(call('chat.update', { channel: 'C1', ts, text: 'whole' })).toEqual({ ok: false, error: 'streaming_state_conflict' });
      expect(call('chat.appendStream', { channel: 'C1', ts: '1.000009', markdown_text: 'b' })).toEqual({ ok: false, error: 'message_not_found' });
      expect(call('chat.stopStream', { channel: 'C1', ts })).toEqual({ ok: true, channel: 'C1', ts });
      expect(call('chat.appendStream', { channel: 'C1', ts, markdown_text: 'b' })).toEqual({ ok: false, error: 'message_not_in_streaming_state' });
      expect(call('chat.stopStream', { channel: 'C1', ts })).toEqual({ ok: false, error: 'message_not_in_streaming_state' });
      expect(call('chat.update', { channel: 'C1', ts: root.ts, text: 'not mine' })).toEqual({ ok: false, error: 'cant_update_message' });
      expect(call('chat.update', { channel: 'C1', ts, text: 'the whole answer' })).toEqual({ ok: true, channel: 'C1', ts, text: 'the whole answer' });
      expect(call('chat.update', { channel: 'C1', ts, text: '' })).toEqual({ ok: false, error: 'no_text' });
    });
  });
});
