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
});
