import fc from 'fast-check';
import { SLACK_IDS, slackSignature, type InvocationTrace } from '@slack-ai-app/local-stack';
import { parseSlackEnvelope } from '@slack-ai-app/payload-schemas';
import { recordFigures, recordSentCredential } from '../src/collector';
import { startHarness, type Harness } from '../src/harness';
import { expectedAnswerLine } from '../src/load';
import { sendRaw, type RawRequest, type RawResponse } from '../src/raw-http';
import { heavy, seedFor } from '../src/seed';
import { portOf } from '../src/signed-requests';

/**
 * Hostile input against the verification endpoint (the Slack Request URL: a Lambda Function URL in front of the
 * verification function), over raw HTTP so that every byte is the test's choice. Whatever arrives, the answer is a 4xx
 * with a JSON error (or, for a correctly signed envelope the bot must ignore, a 200 ack that hands nothing off), never a
 * 5xx, never a crash, and nothing reaches the execution layer.
 */

const SUITE = 'hostile-verification';
let harness: Harness;
let port: number;

/** The verification function's body limit (apps/verification-lambda `MAX_BODY_BYTES`: 256 KiB, refused before HMAC work). */
const VERIFICATION_BODY_LIMIT = 256 * 1024;
/** The Function URL front's own limit (the local stack's server default, Lambda's 6 MB synchronous payload limit). */
const FRONT_BODY_LIMIT = 6 * 1024 * 1024;

beforeAll(async () => {
  harness = await startHarness(SUITE, { prewarm: true });
  port = portOf(harness.stack.urls.slackEvents);
});
afterAll(async () => {
  await harness?.stop();
});

let tried = 0;
let rejected = 0;
let ignored = 0;
afterAll(() => {
  recordFigures({ area: 'hostile', suite: SUITE, label: 'verification endpoint', counts: { tried, rejected, ignored } });
});

const now = () => Math.floor(Date.now() / 1000);

/** A real `app_mention` envelope for a new event (what Slack would send), and the message it is about. */
function envelope(text = 'hostile probe'): { body: string; eventId: string; ts: string } {
  const { stack } = harness;
  const ids = stack.slack.workspace.ids;
  const message = stack.slack.workspace.postUserMessage({ channel: SLACK_IDS.channelId, user: SLACK_IDS.userId, text: `<@${ids.botUserId}> ${text}` });
  const eventId = stack.slack.nextEventId();
  const body = JSON.stringify({
    token: 'unused',
    team_id: ids.teamId,
    api_app_id: ids.appId,
    event: { type: 'app_mention', user: SLACK_IDS.userId, text: message.text, ts: message.ts, channel: SLACK_IDS.channelId, event_ts: message.ts },
    type: 'event_callback',
    event_id: eventId,
    event_time: now(),
    authorizations: [{ team_id: ids.teamId, user_id: ids.botUserId, is_bot: true }],
  });
  return { body, eventId, ts: message.ts };
}

/** Slack's headers for a body, signed with the app's secret (or another) at a timestamp. */
function slackHeaders(body: string | Buffer, options: { timestamp?: number; secret?: string } = {}): Array<[string, string]> {
  const timestamp = options.timestamp ?? now();
  const signature = slackSignature(options.secret ?? harness.stack.credentials.slack.signingSecret, timestamp, body.toString());
  recordSentCredential('x-slack-signature', signature);
  return [
    ['Content-Type', 'application/json'],
    ['X-Slack-Request-Timestamp', String(timestamp)],
    ['X-Slack-Signature', signature],
  ];
}

/** A raw POST to the Request URL with a correct Host and Content-Length. */
function post(body: string | Buffer, headers: ReadonlyArray<readonly [string, string]>, target = '/slack/events', method = 'POST'): RawRequest {
  return { method, target, headers: [['Host', `127.0.0.1:${port}`], ...headers, ['Content-Length', String(Buffer.byteLength(body))]], body };
}

/** What must not change when a request is refused: nothing handed off, nothing posted in Slack. */
function handoffs() {
  const entries = harness.stack.trace.entries();
  return {
    apiCalls: entries.filter((e) => e.kind === 'execute_api').length,
    invokeCalls: entries.filter((e) => e.kind === 'lambda_api').length,
    slackCalls: harness.stack.slack.calls().length,
  };
}

/** The verification function's invocations so far (each Function URL request is one). */
function verificationInvocations(): InvocationTrace[] {
  return harness.stack.trace
    .entries()
    .filter((e): e is InvocationTrace => e.kind === 'invocation' && e.functionName === harness.stack.functions.verification.name);
}

/** The JSON error of a refusal: `{"error": "..."}` from the function, or `{"message": "..."}` from the front. */
function expectJsonError(response: RawResponse): void {
  expect(response.header('content-type')).toMatch(/^application\/json/);
  const parsed = JSON.parse(response.text) as Record<string, unknown>;
  expect(typeof (parsed['error'] ?? parsed['message'])).toBe('string');
}

/** Sends a hostile request; it must be refused with a 4xx JSON error and hand nothing off. */
async function expectRefused(raw: RawRequest, status?: number): Promise<RawResponse> {
  const before = handoffs();
  tried += 1;
  const response = await sendRaw(port, raw);
  await harness.settle();
  if (status !== undefined) expect(response.status).toBe(status);
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expectJsonError(response);
  expect(handoffs()).toEqual(before);
  rejected += 1;
  return response;
}

describe('the control', () => {
  it('a correctly signed app_mention is acked and answered once (so every refusal below is the alteration\u2019s doing)', async () => {
    const { body, ts } = envelope('control question');
    const response = await sendRaw(port, post(body, slackHeaders(body)));
    await harness.settle();
    expect(response.status).toBe(200);
    expect(harness.replies(ts).map((r) => r.text.split('\n')[0])).toEqual([expectedAnswerLine('control question')]);
  });

  it('accepts Slack\u2019s headers with their names in another case (case-insensitive, like a Function URL)', async () => {
    const { body, ts } = envelope('header names in capitals');
    const headers = slackHeaders(body).map(([n, v]) => [n.toUpperCase(), v] as [string, string]);
    const response = await sendRaw(port, post(body, headers));
    await harness.settle();
    expect(response.status).toBe(200);
    expect(harness.replies(ts)).toHaveLength(1);
  });
});

describe('specific attacks', () => {
  it('a request replayed outside the 5-minute window (timestamp 6 minutes old, correctly signed for it): 401', async () => {
    const { body } = envelope();
    const response = await expectRefused(post(body, slackHeaders(body, { timestamp: now() - 360 })), 401);
    expect(JSON.parse(response.text)).toEqual({ error: expect.any(String) });
  });

  it('a request from 6 minutes in the future: 401', async () => {
    const { body } = envelope();
    await expectRefused(post(body, slackHeaders(body, { timestamp: now() + 360 })), 401);
  });

  it('a signature valid for one body, sent with another of the same length: 401', async () => {
    const { body } = envelope('original text');
    const other = body.replace('original text', 'ORIGINAL TEXT');
    await expectRefused(post(other, slackHeaders(body)), 401);
  });

  it('a signature made with another secret: 401', async () => {
    const { body } = envelope();
    await expectRefused(post(body, slackHeaders(body, { secret: 'not-the-signing-secret' })), 401);
  });

  it('header case tricks: a second X-Slack-Signature in another case, with another value: 401', async () => {
    const { body } = envelope();
    await expectRefused(post(body, [...slackHeaders(body), ['x-slack-signature', `v0=${'0'.repeat(64)}`]]), 401);
  });

  it('header case tricks: a second timestamp in another case: 401', async () => {
    const { body } = envelope();
    await expectRefused(post(body, [...slackHeaders(body), ['X-SLACK-REQUEST-TIMESTAMP', String(now() - 3600)]]), 401);
  });

  it('duplicated headers: the valid signature sent twice: 401 (a repeated header is joined, it does not match)', async () => {
    const { body } = envelope();
    const headers = slackHeaders(body);
    await expectRefused(post(body, [...headers, headers[2] as [string, string]]), 401);
  });

  it('a query string or another path does not bypass the signature check: 401', async () => {
    const { body } = envelope();
    await expectRefused(post(body, slackHeaders(body, { secret: 'wrong' }), '/slack/events?token=x&challenge=y'), 401);
    await expectRefused(post(body, slackHeaders(body, { secret: 'wrong' }), '/anything/../slack/events'), 401);
  });

  it('an oversized payload (256 KiB + 1) is refused with 413 before any signature (HMAC) work, signed or not', async () => {
    const body = `{"type":"event_callback","padding":"${'x'.repeat(VERIFICATION_BODY_LIMIT)}"}`;
    for (const headers of [slackHeaders(body), slackHeaders(body, { secret: 'wrong' })]) {
      const response = await expectRefused(post(body, headers), 413);
      expect(JSON.parse(response.text)).toEqual({ error: `request body exceeds ${VERIFICATION_BODY_LIMIT} bytes` });
      // Refused while reading the request: the only line of the invocation is the refusal, before
      // `slack_request_received` and the signature check (which would log `slack_signature_invalid` for the wrong one).
      const last = verificationInvocations().at(-1) as InvocationTrace;
      const events = harness.stack.logs.events({ requestId: last.requestId }).map((line) => line['event']);
      expect(events).toEqual(['slack_request_rejected']);
    }
  });

  it('a payload over the Function URL limit (6 MiB + 1) is refused with 413 by the front, the function never runs', async () => {
    const invocations = verificationInvocations().length;
    const body = Buffer.alloc(FRONT_BODY_LIMIT + 1, 0x61);
    const response = await expectRefused(post(body, slackHeaders(body)), 413);
    expect(JSON.parse(response.text)).toEqual({ message: 'Request Too Long' });
    expect(verificationInvocations()).toHaveLength(invocations);
  });

  it('deeply nested JSON, correctly signed (100,000 levels): 400, and the function survives', async () => {
    const depth = 100_000;
    const body = '['.repeat(depth) + ']'.repeat(depth);
    await expectRefused(post(body, slackHeaders(body)), 400);
  });
});

describe('properties', () => {
  const runs = heavy() ? 1_000 : 150;

  const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
  const printable = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,100}$/);
  /** Headers that do not change HTTP framing (so the request reaches the function). */
  const extraHeader = fc.tuple(
    fc.oneof(
      token.map((t) => `x-${t}`),
      fc.constantFrom('content-type', 'content-encoding', 'accept-encoding', 'cookie', 'user-agent', 'authorization', 'x-slack-retry-num', 'x-slack-retry-reason', 'x-forwarded-for'),
    ),
    printable,
  );
  const hostileBody = fc.oneof(
    fc.json({ maxDepth: 8 }),
    fc.string({ maxLength: 4_000, unit: 'binary' }),
    fc.uint8Array({ maxLength: 4_000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.integer({ min: 1, max: 100_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.integer({ min: 1, max: 20_000 }).map((depth) => '{"event":'.repeat(depth) + '{}' + '}'.repeat(depth)),
    fc.integer({ min: VERIFICATION_BODY_LIMIT - 4, max: VERIFICATION_BODY_LIMIT + 4 }).map((size) => 'a'.repeat(size)),
    fc
      .record({
        field: fc.constantFrom('type', 'team_id', 'event_id', 'event', 'authorizations', 'challenge', 'event.type', 'event.channel', 'event.ts', 'event.user', 'event.text'),
        value: fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.boolean(), fc.string({ maxLength: 5_000 }), fc.array(fc.anything({ maxDepth: 3 })), fc.object()),
      })
      .map(({ field, value }) => {
        const parsed = JSON.parse(envelope().body) as Record<string, Record<string, unknown>>;
        const [head, tail] = field.split('.') as [string, string | undefined];
        const target = tail === undefined ? (parsed as Record<string, unknown>) : (parsed[head] as Record<string, unknown>);
        const key = tail ?? head;
        if (value === undefined) delete target[key];
        else target[key] = value;
        return JSON.stringify(parsed);
      }),
  );
  const wrongSignature = fc.oneof(
    fc.constant(undefined),
    printable,
    fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `v0=${hex}`),
    fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `v1=${hex}`),
    fc.constant('secret-placeholder').map(() => slackSignature('not-the-secret', now(), '{}')),
  );
  const timestamp = fc.oneof(
    fc.constant(undefined),
    fc.constant('now'),
    fc.integer({ min: 301, max: 100_000 }).map((age) => String(now() - age)),
    fc.integer({ min: 301, max: 100_000 }).map((ahead) => String(now() + ahead)),
    printable,
  );
  const method = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
  const target = fc.oneof(fc.constantFrom('/slack/events', '/', '/slack/events?x=1', '/slack/%2e%2e/events'), token.map((t) => `/${t}`));

  it('a request that is not correctly signed always gets a 4xx JSON error and hands nothing off', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        target,
        hostileBody,
        wrongSignature,
        timestamp,
        fc.array(extraHeader, { maxLength: 5 }),
        fc.boolean(),
        async (m, t, body, signature, ts, extras, shout) => {
          const name = (n: string) => (shout ? n.toUpperCase() : n);
          const headers: Array<[string, string]> = [];
          if (ts !== undefined) headers.push([name('X-Slack-Request-Timestamp'), ts === 'now' ? String(now()) : ts]);
          if (signature !== undefined) headers.push([name('X-Slack-Signature'), signature]);
          await expectRefused(post(body, [...headers, ...extras], t, m));
        },
      ),
      { numRuns: runs, seed: seedFor(0x51ac4), endOnFailure: true },
    );
  });

  it('a correctly signed body that is not an event to answer gets a 4xx JSON error or an ack that hands nothing off, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, async (body) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
        // Valid envelopes (an event to answer, a url_verification) are not hostile: leave them out.
        fc.pre(parsed === undefined || !parseSlackEnvelope(parsed).ok);
        const before = handoffs();
        tried += 1;
        const response = await sendRaw(port, post(body, slackHeaders(body)));
        await harness.settle();
        expect(response.status).not.toBeGreaterThanOrEqual(500);
        if (response.status === 200) {
          expect(JSON.parse(response.text)).toEqual({ ok: true });
          ignored += 1;
        } else {
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expectJsonError(response);
          rejected += 1;
        }
        expect(handoffs()).toEqual(before);
      }),
      { numRuns: runs, seed: seedFor(0x5167ed), endOnFailure: true },
    );
  });
});

describe('afterwards', () => {
  it('the verification function stayed healthy: no invocation failed or crashed, and a normal mention is answered', async () => {
    expect(verificationInvocations().filter((i) => i.outcome !== 'success')).toEqual([]);
    expect(harness.internalErrors).toEqual([]);
    const sent = await harness.mention('still healthy after the hostile input');
    await harness.settle();
    expect(sent.status).toBe(200);
    expect(harness.replies(sent.threadTs)).toHaveLength(1);
  });
});
