import { botUserIdOf, classifyEvent, parseSlackBody, type SlackEventCallback } from '../src/slack-events';
import { loadFunctionUrlEvent, rawBodyOf, type FunctionUrlVariant } from './support/fixtures';

function callback(variant: FunctionUrlVariant): SlackEventCallback {
  const parsed = parseSlackBody(rawBodyOf(loadFunctionUrlEvent(variant)));
  if (!parsed.ok || parsed.delivery.kind !== 'event_callback') throw new Error(`${variant} is not an event_callback`);
  return parsed.delivery.envelope;
}

describe('parseSlackBody', () => {
  it('classifies url_verification, event_callback and other envelope types', () => {
    expect(parseSlackBody(rawBodyOf(loadFunctionUrlEvent('url-verification')))).toEqual({
      ok: true,
      delivery: { kind: 'url_verification', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' },
    });
    expect(callback('app-mention').event_id).toBe('Ev0APPMENT01');
    expect(parseSlackBody(Buffer.from('{"type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820}'))).toEqual({
      ok: true,
      delivery: { kind: 'other', type: 'app_rate_limited' },
    });
  });

  it.each([
    ['not json', 'request body is not valid JSON'],
    ['[1,2]', 'request body is not a JSON object'],
    ['{}', 'invalid Slack envelope: type: required'],
    ['{"type":"event_callback","team_id":"T1","event":{"type":"app_mention"}}', 'invalid Slack envelope: event_id: required'],
  ])('refuses %j, naming what is wrong', (body, error) => {
    expect(parseSlackBody(Buffer.from(body))).toEqual({ ok: false, error });
  });
});

describe('botUserIdOf', () => {
  it('prefers SLACK_BOT_USER_ID, else a bot authorization', () => {
    const envelope = callback('app-mention');
    expect(botUserIdOf(envelope, 'U0CONFIGURED')).toBe('U0CONFIGURED');
    expect(botUserIdOf(envelope, undefined)).toBe('U0BOT00001');
  });

  it('ignores a user-token authorization (is_bot false), which is a person, not the bot', () => {
    const envelope = { ...callback('app-mention'), authorizations: [{ user_id: 'U0HUMAN001', is_bot: false }] };
    expect(botUserIdOf(envelope, undefined)).toBeUndefined();
  });
});

describe('classifyEvent', () => {
  it('handles an app_mention with the fields to hand off', () => {
    expect(classifyEvent(callback('app-mention'), 'U0BOT00001')).toEqual({
      action: 'handle',
      event: {
        type: 'app_mention',
        eventId: 'Ev0APPMENT01',
        teamId: 'T0AAAAAAA1',
        userId: 'U0USER0001',
        channel: 'C0CHAN0001',
        text: '<@U0BOT00001> What is the capital of France?',
        ts: '1764357598.123459',
        threadTs: undefined,
      },
    });
  });

  it.each([
    ['bot-message', 'bot_message'],
    ['message-changed', 'message_changed'],
    ['message-deleted', 'message_deleted'],
  ] as const)('ignores %s', (variant, reason) => {
    expect(classifyEvent(callback(variant), 'U0BOT00001')).toEqual({ action: 'ignore', reason });
  });

  it('rejects a handled event without a user', () => {
    const envelope = callback('direct-message');
    const { user: _user, ...event } = envelope.event as { user?: string };
    expect(classifyEvent({ ...envelope, event: event as SlackEventCallback['event'] }, 'U0BOT00001')).toEqual({
      action: 'reject',
      error: 'invalid Slack envelope: event.user: required',
    });
  });

  it('keeps the subtype of an ignored other subtype, for the log', () => {
    const envelope = callback('direct-message');
    expect(classifyEvent({ ...envelope, event: { ...envelope.event, subtype: 'file_share' } as SlackEventCallback['event'] }, undefined)).toEqual({
      action: 'ignore',
      reason: 'other_subtype',
      subtype: 'file_share',
    });
  });
});
