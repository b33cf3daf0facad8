import { appMentionEnvelope, signedFunctionUrlEvent, slackSignature } from '../src/cold-start/function-url-event';

describe('slackSignature', () => {
  it("matches the example in Slack's documentation (Verifying requests from Slack)", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands' +
      '%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });
});

describe('signedFunctionUrlEvent', () => {
  const now = new Date('2025-11-28T19:20:00.000Z');
  const body = JSON.stringify(
    appMentionEnvelope({ eventId: 'EvX1', teamId: 'T1', appId: 'A1', botUserId: 'UBOT', channel: 'C1', user: 'U1', question: 'hi?', ts: '1764357600.000100', eventTime: 1764357600 }),
  );
  const event = signedFunctionUrlEvent({ body, signingSecret: 'secret', now, requestId: 'req-1' }) as {
    headers: Record<string, string>;
    requestContext: { http: { method: string }; requestId: string; timeEpoch: number };
    body: string;
    isBase64Encoded: boolean;
    version: string;
  };

  it('is a payload 2.0 POST carrying the body as is', () => {
    expect(event.version).toBe('2.0');
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.requestContext.requestId).toBe('req-1');
    expect(event.requestContext.timeEpoch).toBe(now.getTime());
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('signs the body with the request time, in lower-case headers', () => {
    expect(event.headers['x-slack-request-timestamp']).toBe('1764357600');
    expect(event.headers['x-slack-signature']).toBe(slackSignature('secret', 1764357600, body));
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('wraps an app_mention that mentions the bot', () => {
    const envelope = JSON.parse(event.body) as { type: string; event_id: string; event: { type: string; text: string }; authorizations: Array<{ user_id: string }> };
    expect(envelope.type).toBe('event_callback');
    expect(envelope.event_id).toBe('EvX1');
    expect(envelope.event).toMatchObject({ type: 'app_mention', text: '<@UBOT> hi?' });
    expect(envelope.authorizations[0]?.user_id).toBe('UBOT');
  });
});
