import {
  isAppMentionEvent,
  isMessageEvent,
  parseSlackEnvelope,
  type SlackEnvelope,
  type SlackEventCallback,
} from '../src';
import { loadEvent } from './load-fixture';

function parsedCallback(input: unknown): SlackEventCallback {
  const result = parseSlackEnvelope(input);
  if (!result.ok) throw new Error(result.error.message);
  if (result.value.type !== 'event_callback') throw new Error(`expected event_callback, got ${result.value.type}`);
  return result.value;
}

function errorMessage(input: unknown): string {
  const result = parseSlackEnvelope(input);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error.message;
}

describe('parseSlackEnvelope', () => {
  it('parses url_verification, keeping the challenge and the token', () => {
    expect(parseSlackEnvelope(loadEvent('slack', 'url-verification'))).toEqual({
      ok: true,
      value: {
        type: 'url_verification',
        token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
        challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      },
    } satisfies { ok: true; value: SlackEnvelope });
  });

  it('rejects url_verification without a challenge', () => {
    expect(errorMessage({ type: 'url_verification', token: 'x' })).toBe('invalid Slack envelope: challenge: required');
  });

  it('parses an app_mention into the fields the handler needs, dropping the rest (token included)', () => {
    expect(parsedCallback(loadEvent('slack', 'app-mention'))).toEqual({
      type: 'event_callback',
      team_id: 'T123ABC456',
      api_app_id: 'A123ABC456',
      event_id: 'Ev123ABC456',
      event_time: 123456789,
      authorizations: [{ user_id: 'U123ABC456', is_bot: false }],
      event: {
        type: 'app_mention',
        user: 'U061F7AUR',
        text: '<@U0LAN0Z89> is it everything a river should be?',
        ts: '1515449522.000016',
        channel: 'C123ABC456',
      },
    });
  });

  it('keeps thread_ts for an app_mention inside a thread', () => {
    const envelope = parsedCallback(loadEvent('slack', 'app-mention-in-thread'));
    expect(envelope.event).toEqual({
      type: 'app_mention',
      user: 'U061F7AUR',
      text: '<@U0LAN0Z89> and what about the sea?',
      ts: '1515449600.000200',
      thread_ts: '1515449522.000016',
      channel: 'C123ABC456',
    });
    expect(envelope.authorizations).toEqual([{ user_id: 'U0LAN0Z89', is_bot: true }]);
  });

  it('parses a direct message with channel_type im', () => {
    const { event } = parsedCallback(loadEvent('slack', 'message-im'));
    expect(isMessageEvent(event)).toBe(true);
    expect(isAppMentionEvent(event)).toBe(false);
    expect(event).toEqual({
      type: 'message',
      channel: 'D123ABC456',
      user: 'U123ABC456',
      text: 'Hello world',
      ts: '1355517523.000005',
      channel_type: 'im',
    });
  });

  it('parses a bot message with its bot_id and subtype, and no user', () => {
    expect(parsedCallback(loadEvent('slack', 'bot-message')).event).toEqual({
      type: 'message',
      subtype: 'bot_message',
      ts: '1358877455.000010',
      text: 'Pushing is the answer',
      bot_id: 'BB12033',
      channel: 'D123ABC456',
      channel_type: 'im',
    });
  });

  it('parses a message_changed edit (no top-level user or text)', () => {
    expect(parsedCallback(loadEvent('slack', 'message-changed')).event).toEqual({
      type: 'message',
      subtype: 'message_changed',
      channel: 'D123ABC456',
      channel_type: 'im',
      ts: '1358878755.000001',
    });
  });

  it('parses a message_deleted event', () => {
    expect(parsedCallback(loadEvent('slack', 'message-deleted')).event).toEqual({
      type: 'message',
      subtype: 'message_deleted',
      channel: 'D123ABC456',
      channel_type: 'im',
      ts: '1358878755.000001',
    });
  });

  it('keeps a top-level edited marker on a message', () => {
    const input = loadEvent('slack', 'message-im');
    (input['event'] as Record<string, unknown>)['edited'] = { user: 'U123ABC456', ts: '1358878755.000001' };
    expect(parsedCallback(input).event).toMatchObject({ edited: { user: 'U123ABC456', ts: '1358878755.000001' } });
  });

  it('passes any other event type through as { type } so the handler can ignore it', () => {
    const envelope = parsedCallback(loadEvent('slack', 'reaction-added'));
    expect(envelope.event).toEqual({ type: 'reaction_added' });
    expect(isAppMentionEvent(envelope.event)).toBe(false);
    expect(isMessageEvent(envelope.event)).toBe(false);
  });

  it('names the bad field of a malformed app_mention under event.', () => {
    const input = loadEvent('slack', 'app-mention');
    const event = input['event'] as Record<string, unknown>;
    delete event['channel'];
    event['ts'] = 1515449522;
    expect(errorMessage(input)).toBe(
      'invalid Slack envelope: event.channel: required; event.ts: expected string, received number',
    );
  });

  it('names envelope fields, including inside authorizations', () => {
    const input = loadEvent('slack', 'message-im');
    delete input['event_id'];
    input['authorizations'] = [{ user_id: 'U1' }, { is_bot: 'yes' }];
    expect(errorMessage(input)).toBe(
      'invalid Slack envelope: event_id: required; authorizations[1].user_id: required; ' +
        'authorizations[1].is_bot: expected boolean, received string',
    );
  });

  it('requires an event with a type', () => {
    const input = loadEvent('slack', 'message-im');
    input['event'] = { channel: 'C1' };
    expect(errorMessage(input)).toBe('invalid Slack envelope: event.type: required');
    delete input['event'];
    expect(errorMessage(input)).toBe('invalid Slack envelope: event: required');
  });

  it.each([
    [{ type: 'app_rate_limited', team_id: 'T1', minute_rate_limited: 1518467820 }, 'type: must be one of "url_verification", "event_callback"'],
    [{ challenge: 'abc' }, 'type: required'],
    [null, 'expected object, received null'],
    ['{"type":"url_verification"}', 'expected object, received string'],
  ])('rejects %j', (input, message) => {
    expect(errorMessage(input)).toBe(`invalid Slack envelope: ${message}`);
  });

  it('never echoes message text in an error', () => {
    const input = loadEvent('slack', 'app-mention');
    const event = input['event'] as Record<string, unknown>;
    event['text'] = 'the-secret-plan';
    event['user'] = 'not a user id with the-secret-plan';
    const result = parseSlackEnvelope(input);
    if (result.ok) throw new Error('expected a failure');
    expect(`${result.error.message}${JSON.stringify(result.error.issues)}`).not.toContain('secret');
  });
});
