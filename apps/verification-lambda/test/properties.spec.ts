/**
 * Property tests: whatever arrives, the verification core answers a JSON 2xx/4xx, never throws, and never writes the
 * signing secret into its logs or its answer.
 */
import fc from 'fast-check';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { handleSlackRequest, type VerificationDeps } from '../src/handle-slack-request';
import { computeSlackSignature } from '../src/slack-signature';
import { pinnedClock, recordingDirect, scriptedApi, staticSecrets, TEST_SIGNING_SECRET, testConfig } from './support/fakes';
import { loadFunctionUrlEvent } from './support/fixtures';
import { captureLogs } from './support/log-capture';

// A fixed seed keeps every run identical; change it to explore other inputs.
fc.configureGlobal({ seed: 20_251_128 });

const NOW_MS = 1_764_357_600_000;
const NOW_S = NOW_MS / 1000;
const CONTEXT = { awsRequestId: 'a1b2c3d4-0000-4000-8000-00000000f00d', functionName: 'verification' };
const TEMPLATE = loadFunctionUrlEvent('app-mention');

function deps(): { deps: VerificationDeps; raw: string[] } {
  const logs = captureLogs();
  return {
    raw: logs.raw,
    deps: {
      config: testConfig({ USE_API_GATEWAY_PERCENTAGE: '50', EXECUTION_API_URL: 'https://api.example/prod' }),
      secrets: staticSecrets(TEST_SIGNING_SECRET),
      api: scriptedApi(202),
      direct: recordingDirect(),
      logger: logs.logger,
      now: pinnedClock(NOW_MS).now,
    },
  };
}

/** Status codes seen, so that each property can show it reached the outcomes it is meant to cover. */
const seen = new Set<number>();

async function expectWellBehaved(event: unknown): Promise<void> {
  const { deps: d, raw } = deps();
  const response = await handleSlackRequest(event, CONTEXT, d);
  seen.add(response.statusCode);
  expect(response.statusCode >= 200 && response.statusCode < 500).toBe(true);
  expect(response.statusCode >= 300 && response.statusCode < 400).toBe(false);
  expect(response.headers).toEqual({ 'content-type': 'application/json' });
  expect(typeof JSON.parse(response.body)).toBe('object');
  expect(response.body).not.toContain(TEST_SIGNING_SECRET);
  for (const line of raw) {
    expect(line).not.toContain(TEST_SIGNING_SECRET);
    JSON.parse(line);
  }
}

const headerName = fc.oneof(
  fc.constantFrom('x-slack-signature', 'X-Slack-Signature', 'x-slack-request-timestamp', 'X-SLACK-REQUEST-TIMESTAMP', 'x-slack-retry-num', 'x-slack-retry-reason', 'content-type'),
  fc.string({ maxLength: 20 }),
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constant(`v0=${'a'.repeat(64)}`),
  fc.integer({ min: NOW_S - 400, max: NOW_S + 400 }).map(String),
  fc.anything(),
);
const body = fc.oneof(fc.string({ maxLength: 400 }), fc.json({ maxDepth: 3 }), fc.constant(''), fc.constant(undefined), fc.constant(null), fc.anything({ maxDepth: 1 }));

describe('verification core properties', () => {
  beforeEach(() => seen.clear());

  it('answers any Function URL-shaped event with JSON 2xx/4xx, never throwing or leaking the secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(headerName, headerValue, { maxKeys: 8 }),
        body,
        fc.oneof(fc.boolean(), fc.anything({ maxDepth: 0 })),
        fc.constantFrom('POST', 'post', 'GET', 'PUT', ''),
        async (headers, rawBody, isBase64Encoded, method) => {
          await expectWellBehaved({
            ...TEMPLATE,
            headers,
            body: rawBody,
            isBase64Encoded,
            requestContext: { ...TEMPLATE.requestContext, http: { ...TEMPLATE.requestContext.http, method } },
          });
        },
      ),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining([400, 401, 405]));
  });

  it('answers arbitrary values (not events at all) with JSON 4xx', async () => {
    await fc.assert(fc.asyncProperty(fc.anything(), async (event) => expectWellBehaved(event)), { numRuns: 200 });
    expect([...seen]).toEqual([400]);
  });

  it('answers correctly signed random bodies, in either encoding, with JSON 2xx/4xx', async () => {
    const signedBody = fc.oneof(
      fc.string({ minLength: 1, maxLength: 400 }),
      fc.json({ maxDepth: 4 }),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(signedBody, fc.boolean(), fc.integer({ min: -300, max: 300 }), async (text, base64, skew) => {
        const bytes = Buffer.from(text, 'utf8');
        const timestamp = String(NOW_S + skew);
        const event: LambdaFunctionURLEvent = {
          ...TEMPLATE,
          body: base64 ? bytes.toString('base64') : text,
          isBase64Encoded: base64,
          headers: { ...TEMPLATE.headers, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': computeSlackSignature(TEST_SIGNING_SECRET, timestamp, bytes) },
        };
        await expectWellBehaved(event);
      }),
      { numRuns: 300 },
    );
    // Correctly signed within the window: always authenticated, never 401; random bodies are rarely envelopes.
    expect(seen.has(401)).toBe(false);
    expect(seen.has(400)).toBe(true);
  });

  it('answers correctly signed Slack-shaped envelopes with random fields with JSON 2xx/4xx', async () => {
    const id = fc.oneof(fc.stringMatching(/^[A-Z0-9]{1,12}$/), fc.string({ maxLength: 12 }));
    const envelope = fc.record(
      {
        type: fc.constantFrom('event_callback', 'url_verification', 'app_rate_limited', ''),
        team_id: id,
        event_id: id,
        challenge: fc.string({ maxLength: 20 }),
        authorizations: fc.array(fc.record({ user_id: id, is_bot: fc.boolean() }), { maxLength: 2 }),
        event: fc.record(
          {
            type: fc.constantFrom('app_mention', 'message', 'reaction_added'),
            user: id,
            channel: id,
            channel_type: fc.constantFrom('im', 'channel', 'group'),
            text: fc.string({ maxLength: 4100 }),
            ts: fc.oneof(fc.constant('1764357598.123459'), fc.string({ maxLength: 8 })),
            thread_ts: fc.constant('1764357500.000100'),
            subtype: fc.constantFrom('bot_message', 'message_changed', 'file_share'),
            bot_id: id,
          },
          { requiredKeys: ['type'] },
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (value) => {
        const text = JSON.stringify(value);
        const timestamp = String(NOW_S);
        await expectWellBehaved({
          ...TEMPLATE,
          body: text,
          isBase64Encoded: false,
          headers: { ...TEMPLATE.headers, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': computeSlackSignature(TEST_SIGNING_SECRET, timestamp, text) },
        });
      }),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining([200, 400]));
  });
});
