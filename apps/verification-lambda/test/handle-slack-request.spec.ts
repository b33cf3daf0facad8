import { parseExecutionRequest } from '@slack-ai-app/payload-schemas';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { SecretFetchError } from '../src/errors';
import { EMPTY_TEXT_NOTICE, textTooLongNotice } from '../src/message-text';
import { handleSlackRequest, type VerificationDeps } from '../src/handle-slack-request';
import { MAX_BODY_BYTES } from '../src/function-url';
import { bucketOf } from '../src/routing';
import { envelopeOf, loadFunctionUrlEvent, signEvent, withEnvelope, type FunctionUrlVariant } from './support/fixtures';
import { captureLogs } from './support/log-capture';
import {
  failingSecrets,
  pinnedClock,
  recordingDirect,
  scriptedApi,
  staticSecrets,
  TEST_SIGNING_SECRET,
  testConfig,
} from './support/fakes';

const NOW_MS = 1_764_357_600_000;
const NOW_S = NOW_MS / 1000;
const CONTEXT = { awsRequestId: 'a1b2c3d4-0000-4000-8000-00000000beef', functionName: 'verification' };

function setup(over: Partial<VerificationDeps> & { env?: Record<string, string> } = {}) {
  const logs = captureLogs();
  const clock = pinnedClock(NOW_MS);
  const direct = recordingDirect();
  const { env, ...rest } = over;
  const deps: VerificationDeps = {
    config: testConfig(env),
    secrets: staticSecrets(TEST_SIGNING_SECRET),
    api: undefined,
    direct,
    logger: logs.logger,
    now: clock.now,
    ...rest,
  };
  return { deps, logs, direct: (rest.direct ?? direct) as ReturnType<typeof recordingDirect>, clock };
}

const signed = (variant: FunctionUrlVariant, secret = TEST_SIGNING_SECRET, ts = NOW_S - 1) => signEvent(loadFunctionUrlEvent(variant), secret, ts);
const bodyOf = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

describe('handleSlackRequest: authentication (fails closed)', () => {
  it.each([
    ['x-slack-signature', 'missing X-Slack-Signature header'],
    ['x-slack-request-timestamp', 'missing X-Slack-Request-Timestamp header'],
  ])('answers 401 when %s is missing', async (header, message) => {
    const { deps, direct, logs } = setup();
    const event = signed('app-mention');
    delete event.headers[header];
    const response = await handleSlackRequest(event, CONTEXT, deps);
    expect(response).toEqual({ statusCode: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: message }) });
    expect(direct.calls).toEqual([]);
    expect(logs.events('slack_request_rejected')).toHaveLength(1);
  });

  it('answers 401 when the body is missing', async () => {
    const { deps } = setup();
    const event = { ...signed('app-mention'), body: undefined } as unknown as LambdaFunctionURLEvent;
    expect(bodyOf(await handleSlackRequest(event, CONTEXT, deps))).toEqual({ error: 'missing request body' });
  });

  it('answers 401 and logs secret_fetch_failed when the signing secret cannot be read', async () => {
    const { deps, logs, direct } = setup({ secrets: failingSecrets(new SecretFetchError('could not reach the secrets extension (ECONNREFUSED)')) });
    const response = await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response)).toEqual({ error: 'signing secret unavailable; request cannot be verified' });
    expect(logs.events('secret_fetch_failed')[0]).toMatchObject({ level: 'error', error: 'SecretFetchError: could not reach the secrets extension (ECONNREFUSED)' });
    expect(direct.calls).toEqual([]);
  });

  it('answers 401 to a wrong signature after re-reading the secret once', async () => {
    const secrets = staticSecrets(TEST_SIGNING_SECRET);
    const { deps, logs, direct } = setup({ secrets });
    const response = await handleSlackRequest(signed('app-mention', 'not-the-secret'), CONTEXT, deps);
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response)).toEqual({ error: 'invalid X-Slack-Signature' });
    expect(secrets.refreshes).toBe(1);
    expect(logs.events('slack_signature_invalid')[0]).toMatchObject({ reason: 'signature_mismatch', level: 'warn' });
    expect(direct.calls).toEqual([]);
  });

  it('accepts a request signed with a rotated secret, picked up by the re-read', async () => {
    const secrets = staticSecrets('old-secret', 'new-secret');
    const { deps, direct } = setup({ secrets });
    const response = await handleSlackRequest(signed('app-mention', 'new-secret'), CONTEXT, deps);
    expect(response.statusCode).toBe(200);
    expect(direct.calls).toHaveLength(1);
  });

  it.each([
    ['301 s old', NOW_S - 301, 'X-Slack-Request-Timestamp is more than 300 s old'],
    ['301 s in the future', NOW_S + 301, 'X-Slack-Request-Timestamp is more than 300 s in the future'],
  ])('answers 401 to a timestamp %s, without reading the secret', async (_name, ts, message) => {
    const secrets = staticSecrets(TEST_SIGNING_SECRET);
    const { deps } = setup({ secrets });
    const response = await handleSlackRequest(signed('app-mention', TEST_SIGNING_SECRET, ts), CONTEXT, deps);
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response)).toEqual({ error: message });
    expect(secrets.gets).toBe(0);
  });

  it('answers url_verification with the challenge only after the signature check', async () => {
    const { deps, logs } = setup();
    const good = await handleSlackRequest(signed('url-verification'), CONTEXT, deps);
    expect(good).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' }),
    });
    expect(logs.names()).toContain('url_verification');
    const forged = await handleSlackRequest(signed('url-verification', 'forged'), CONTEXT, deps);
    expect(forged.statusCode).toBe(401);
    expect(forged.body).not.toContain('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    const unsigned = await handleSlackRequest(loadFunctionUrlEvent('url-verification'), CONTEXT, deps);
    expect(unsigned.statusCode).toBe(401);
  });

  it('verifies a base64-encoded body over its decoded bytes', async () => {
    const { deps, direct } = setup();
    const response = await handleSlackRequest(signed('app-mention-base64'), CONTEXT, deps);
    expect(response.statusCode).toBe(200);
    expect(direct.calls[0]).toMatchObject({ event_id: 'Ev0APPMENT01', text: 'What is the capital of France?' });
  });

  it('matches header names case-insensitively', async () => {
    const { deps } = setup();
    const event = signed('app-mention');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.headers)) headers[name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase())] = value as string;
    expect(headers['X-Slack-Signature']).toBeDefined();
    expect((await handleSlackRequest({ ...event, headers }, CONTEXT, deps)).statusCode).toBe(200);
  });
});

describe('handleSlackRequest: malformed input (4xx JSON before any HMAC work)', () => {
  it('refuses a body over the limit with 413 before reading the secret', async () => {
    const secrets = staticSecrets(TEST_SIGNING_SECRET);
    const { deps } = setup({ secrets });
    const event = signEvent({ ...loadFunctionUrlEvent('app-mention'), body: 'x'.repeat(MAX_BODY_BYTES + 1) }, TEST_SIGNING_SECRET, NOW_S);
    const response = await handleSlackRequest(event, CONTEXT, deps);
    expect(response.statusCode).toBe(413);
    expect(bodyOf(response)).toEqual({ error: 'request body exceeds 262144 bytes' });
    expect(secrets.gets).toBe(0);
  });

  it('refuses a GET with 405', async () => {
    const { deps } = setup();
    const event = signed('app-mention');
    event.requestContext.http.method = 'GET';
    expect(await handleSlackRequest(event, CONTEXT, deps)).toMatchObject({ statusCode: 405, body: '{"error":"method GET not allowed; use POST"}' });
  });

  it('refuses a body flagged base64 that is not base64 with 400', async () => {
    const { deps } = setup();
    const event = { ...signed('app-mention'), isBase64Encoded: true, body: '{"not":"base64"}' };
    expect(bodyOf(await handleSlackRequest(event, CONTEXT, deps))).toEqual({ error: 'request body is flagged isBase64Encoded but is not valid base64' });
  });

  it('refuses a signed body that is not JSON with 400', async () => {
    const { deps } = setup();
    const event = signEvent({ ...loadFunctionUrlEvent('app-mention'), body: 'token=x&team_id=T1' }, TEST_SIGNING_SECRET, NOW_S);
    expect(await handleSlackRequest(event, CONTEXT, deps)).toMatchObject({ statusCode: 400, body: '{"error":"request body is not valid JSON"}' });
  });

  it('refuses a signed envelope with a bad field with 400 naming it', async () => {
    const { deps } = setup();
    const base = loadFunctionUrlEvent('app-mention');
    const envelope = envelopeOf(base);
    delete envelope.event['channel'];
    const response = await handleSlackRequest(signEvent(withEnvelope(base, envelope), TEST_SIGNING_SECRET, NOW_S), CONTEXT, deps);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)['error']).toBe('invalid Slack envelope: event.channel: required');
  });

  it('refuses something that is not a Function URL event with 400', async () => {
    const { deps } = setup();
    expect((await handleSlackRequest('hello', CONTEXT, deps)).statusCode).toBe(400);
    expect((await handleSlackRequest(null, undefined, deps)).statusCode).toBe(400);
  });
});

describe('handleSlackRequest: which events are answered', () => {
  it('hands off an app_mention as an ExecutionRequest that satisfies the shared schema', async () => {
    const { deps, direct, logs } = setup();
    const response = await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    expect(response).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
    expect(direct.calls).toEqual([
      {
        channel: 'C0CHAN0001',
        text: 'What is the capital of France?',
        user_id: 'U0USER0001',
        team_id: 'T0AAAAAAA1',
        event_id: 'Ev0APPMENT01',
        correlation_id: CONTEXT.awsRequestId,
        message_ts: '1764357598.123459',
      },
    ]);
    expect(parseExecutionRequest(direct.calls[0]).ok).toBe(true);
    expect(logs.events('handoff_completed')[0]).toMatchObject({ path: 'direct', fell_back: false, correlation_id: CONTEXT.awsRequestId, event_id: 'Ev0APPMENT01' });
  });

  it('carries thread_ts only for a message inside a thread', async () => {
    const { deps, direct } = setup();
    await handleSlackRequest(signed('app-mention-in-thread'), CONTEXT, deps);
    expect(direct.calls[0]).toMatchObject({ thread_ts: '1764357500.000100', message_ts: '1764357599.000200', text: 'and its population?' });
  });

  it('hands off a direct message', async () => {
    const { deps, direct } = setup();
    expect((await handleSlackRequest(signed('direct-message'), CONTEXT, deps)).statusCode).toBe(200);
    expect(direct.calls[0]).toMatchObject({ channel: 'D0DM000001', text: 'Summarise the release notes for v2.3, please.', event_id: 'Ev0DIRECT001' });
  });

  it.each([
    ['bot-message', 'bot_message'],
    ['message-changed', 'message_changed'],
    ['message-deleted', 'message_deleted'],
  ] as const)('ignores %s with 200 and event_ignored (%s)', async (variant, reason) => {
    const { deps, direct, logs } = setup();
    expect(await handleSlackRequest(signed(variant), CONTEXT, deps)).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
    expect(direct.calls).toEqual([]);
    expect(logs.events('event_ignored')).toEqual([expect.objectContaining({ reason })]);
  });

  const mutated = (variant: FunctionUrlVariant, change: (envelope: ReturnType<typeof envelopeOf>) => void) => {
    const base = loadFunctionUrlEvent(variant);
    const envelope = envelopeOf(base);
    change(envelope);
    return signEvent(withEnvelope(base, envelope), TEST_SIGNING_SECRET, NOW_S);
  };

  it.each([
    ['the bot\'s own message', (e: ReturnType<typeof envelopeOf>) => void (e.event['user'] = 'U0BOT00001'), 'own_message'],
    ['a message with bot_id', (e: ReturnType<typeof envelopeOf>) => void (e.event['bot_id'] = 'B0OTHER001'), 'bot_message'],
    ['another subtype', (e: ReturnType<typeof envelopeOf>) => void (e.event['subtype'] = 'channel_join'), 'other_subtype'],
    ['an edited app_mention', (e: ReturnType<typeof envelopeOf>) => void (e.event['edited'] = { user: 'U0USER0001', ts: '1764357599.000000' }), 'edited'],
    ['a channel message (not a DM)', (e: ReturnType<typeof envelopeOf>) => void Object.assign(e.event, { type: 'message', channel_type: 'channel' }), 'not_direct_message'],
    ['another event type', (e: ReturnType<typeof envelopeOf>) => void (e.event = { type: 'reaction_added' }), 'unsupported_event_type'],
  ])('ignores %s', async (_name, change, reason) => {
    const { deps, direct, logs } = setup();
    expect((await handleSlackRequest(mutated('app-mention', change), CONTEXT, deps)).statusCode).toBe(200);
    expect(direct.calls).toEqual([]);
    expect(logs.events('event_ignored')[0]).toMatchObject({ reason });
  });

  it('recognises the bot by SLACK_BOT_USER_ID too', async () => {
    const { deps, direct } = setup({ env: { SLACK_BOT_USER_ID: 'U0USER0001' } });
    await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    expect(direct.calls).toEqual([]);
  });

  it('acknowledges other envelope types (app_rate_limited) with 200', async () => {
    const { deps, logs } = setup();
    const event = mutated('app-mention', (e) => void (e['type'] = 'app_rate_limited'));
    expect((await handleSlackRequest(event, CONTEXT, deps)).statusCode).toBe(200);
    expect(logs.events('event_ignored')[0]).toMatchObject({ reason: 'unsupported_envelope_type', envelope_type: 'app_rate_limited' });
  });

  it('sends a notice instead of an empty question', async () => {
    const { deps, direct, logs } = setup();
    await handleSlackRequest(mutated('app-mention', (e) => void (e.event['text'] = '<@U0BOT00001>  ')), CONTEXT, deps);
    expect(direct.calls[0]).toMatchObject({ text: '', notice: { kind: 'empty_text', text: EMPTY_TEXT_NOTICE } });
    expect(parseExecutionRequest(direct.calls[0]).ok).toBe(true);
    expect(logs.events('text_rejected')[0]).toMatchObject({ notice: 'empty_text', text_length: 0 });
  });

  it('sends a notice instead of text over 4,000 characters, and not the text', async () => {
    const { deps, direct, logs } = setup();
    await handleSlackRequest(mutated('direct-message', (e) => void (e.event['text'] = 'q'.repeat(4001))), CONTEXT, deps);
    expect(direct.calls[0]).toMatchObject({ text: '', notice: { kind: 'text_too_long', text: textTooLongNotice(4000) } });
    expect(parseExecutionRequest(direct.calls[0]).ok).toBe(true);
    expect(logs.events('text_rejected')[0]).toMatchObject({ notice: 'text_too_long', text_length: 4001 });
  });

  it.each([
    ['ALLOWED_TEAM_IDS', 'T0OTHER001', 'team'],
    ['ALLOWED_USER_IDS', 'U0OTHER001', 'user'],
    ['ALLOWED_CHANNEL_IDS', 'C0OTHER001', 'channel'],
  ])('denies by %s with 200 and authorization_denied', async (variable, value, dimension) => {
    const { deps, direct, logs } = setup({ env: { [variable]: value } });
    expect(await handleSlackRequest(signed('app-mention'), CONTEXT, deps)).toMatchObject({ statusCode: 200 });
    expect(direct.calls).toEqual([]);
    expect(logs.events('authorization_denied')[0]).toMatchObject({ dimension, team_id: 'T0AAAAAAA1', user_id: 'U0USER0001', channel: 'C0CHAN0001' });
  });

  it('allows a request on every allow-list', async () => {
    const { deps, direct } = setup({ env: { ALLOWED_TEAM_IDS: 'T0AAAAAAA1', ALLOWED_USER_IDS: 'U0X,U0USER0001', ALLOWED_CHANNEL_IDS: 'C0CHAN0001' } });
    await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    expect(direct.calls).toHaveLength(1);
  });
});

describe('handleSlackRequest: retries are handed off again (idempotency lives in the execution layer)', () => {
  it('hands off a retry and logs slack_retry_received with its number and reason', async () => {
    const { deps, direct, logs } = setup();
    expect((await handleSlackRequest(signed('retry'), CONTEXT, deps)).statusCode).toBe(200);
    expect(direct.calls[0]).toMatchObject({ event_id: 'Ev0APPMENT01' });
    expect(logs.events('slack_retry_received')).toEqual([
      expect.objectContaining({ retry_num: 1, retry_reason: 'http_timeout', event_id: 'Ev0APPMENT01' }),
    ]);
  });

  it('sends the first delivery and its retry by the same path', async () => {
    const api = scriptedApi(202);
    const { deps, direct, logs } = setup({ api, env: { USE_API_GATEWAY_PERCENTAGE: '50', EXECUTION_API_URL: 'https://api.example/prod' } });
    await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    await handleSlackRequest(signed('retry'), CONTEXT, deps);
    const checks = logs.events('api_gateway_percentage_check');
    expect(checks).toHaveLength(2);
    expect(checks[0]).toMatchObject({ bucket: bucketOf('Ev0APPMENT01'), percentage: 50 });
    expect(checks[1]).toMatchObject({ bucket: checks[0]?.['bucket'], decision: checks[0]?.['decision'] });
    expect(api.calls.length + direct.calls.length).toBe(2);
    expect(api.calls.length === 2 || direct.calls.length === 2).toBe(true);
  });
});

describe('handleSlackRequest: hand-off paths and the fallback matrix', () => {
  const API_ENV = { USE_API_GATEWAY: 'true', EXECUTION_API_URL: 'https://api.example/prod/' };

  it('sends by API Gateway with the correlation id, and answers 200', async () => {
    const api = scriptedApi(202);
    const { deps, direct, logs } = setup({ api, env: API_ENV });
    expect((await handleSlackRequest(signed('app-mention'), CONTEXT, deps)).statusCode).toBe(200);
    expect(api.calls).toEqual([{ request: expect.objectContaining({ event_id: 'Ev0APPMENT01' }), correlationId: CONTEXT.awsRequestId }]);
    expect(direct.calls).toEqual([]);
    expect(logs.names()).toEqual(expect.arrayContaining(['execution_api_invocation_started', 'execution_api_invocation_success', 'handoff_completed']));
  });

  it('emits EMF metrics on the outcome events, with dimension path', async () => {
    const api = scriptedApi(503);
    const { deps, logs } = setup({ api, env: API_ENV });
    await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    const error = logs.events('execution_api_invocation_error')[0] as Record<string, unknown>;
    expect(error).toMatchObject({ path: 'api', HandoffError: 1, status: 503, reason: 'server_error', body_excerpt: '{"status":503}' });
    expect(error['_aws']).toMatchObject({ CloudWatchMetrics: [{ Namespace: 'SlackAiApp', Dimensions: [['path']], Metrics: [{ Name: 'HandoffError', Unit: 'Count' }] }] });
    expect(error['HandoffAuthError']).toBeUndefined();
    expect(logs.events('fallback_to_direct_invoke')[0]).toMatchObject({ path: 'api', HandoffFallback: 1, reason: 'server_error' });
    const success = logs.events('direct_invoke_success')[0] as Record<string, unknown>;
    expect(success).toMatchObject({ path: 'direct', HandoffSuccess: 1, HandoffLatency: 0, status_code: 202 });
    expect(success['_aws']).toMatchObject({ CloudWatchMetrics: [{ Metrics: [{ Name: 'HandoffLatency', Unit: 'Milliseconds' }, { Name: 'HandoffSuccess', Unit: 'Count' }] }] });
  });

  it('counts a 403 as HandoffAuthError on the same line as its HandoffError', async () => {
    const { deps, logs } = setup({ api: scriptedApi(403), env: API_ENV });
    await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    const [line] = logs.events('execution_api_invocation_error');
    expect(line).toMatchObject({ path: 'api', HandoffError: 1, HandoffAuthError: 1, status: 403, reason: 'forbidden' });
    expect(line?.['_aws']).toMatchObject({
      CloudWatchMetrics: [{ Dimensions: [['path']], Metrics: [{ Name: 'HandoffError', Unit: 'Count' }, { Name: 'HandoffAuthError', Unit: 'Count' }] }],
    });
  });

  const exception = (failure: 'timeout' | 'network' | 'signing' | 'unknown') => ({ kind: 'exception' as const, failure, error: new Error(failure), latencyMs: 2000 });

  // status × (fallback available?) → (HTTP answer to Slack, API calls, direct calls, fell back)
  it.each([
    [200, true, 200, 0, false],
    [202, true, 200, 0, false],
    [400, true, 200, 0, false],
    [403, true, 200, 1, true],
    [429, true, 200, 1, true],
    [500, true, 200, 1, true],
    [502, true, 200, 1, true],
    [503, true, 200, 1, true],
    [504, true, 200, 1, true],
    [404, true, 200, 1, true],
    [200, false, 200, 0, false],
    [400, false, 200, 0, false],
    [403, false, 500, 0, false],
    [429, false, 500, 0, false],
    [503, false, 500, 0, false],
  ])('API answers %i, fallback configured %s → Slack gets %i, direct invokes %i', async (status, withArn, answer, directCalls, fellBack) => {
    const api = scriptedApi(status);
    const direct = recordingDirect();
    const { deps, logs } = setup({ api, direct: withArn ? direct : undefined, env: API_ENV });
    const response = await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    expect(response.statusCode).toBe(answer);
    expect(api.calls).toHaveLength(1);
    expect(direct.calls).toHaveLength(directCalls);
    expect(logs.events('fallback_to_direct_invoke')).toHaveLength(fellBack ? 1 : 0);
    if (status === 400) expect(logs.events('fallback_skipped')[0]).toMatchObject({ reason: 'payload_rejected' });
    if (answer === 500) expect(logs.events('fallback_skipped')[0]).toMatchObject({ reason: 'bedrock_processor_arn_missing' });
  });

  it.each(['timeout', 'network', 'signing', 'unknown'] as const)('falls back on a %s exception and logs execution_api_invocation_failed', async (failure) => {
    const api = scriptedApi(exception(failure));
    const { deps, direct, logs } = setup({ api, env: API_ENV });
    expect((await handleSlackRequest(signed('app-mention'), CONTEXT, deps)).statusCode).toBe(200);
    expect(direct.calls).toHaveLength(1);
    expect(logs.events('execution_api_invocation_failed')[0]).toMatchObject({ path: 'api', HandoffFailed: 1, error: `Error: ${failure}` });
    expect(logs.events('handoff_completed')[0]).toMatchObject({ path: 'direct', fell_back: true });
  });

  it('answers 500 when both paths fail, so that Slack retries', async () => {
    const api = scriptedApi(exception('timeout'));
    const direct = recordingDirect(new Error('TooManyRequestsException'));
    const { deps, logs } = setup({ api, direct, env: API_ENV });
    const response = await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    expect(response).toEqual({
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"error":"hand-off to the execution layer failed; retry later"}',
    });
    expect(logs.events('direct_invoke_failed')[0]).toMatchObject({ path: 'direct', HandoffFailed: 1 });
    expect(logs.events('handoff_failed')[0]).toMatchObject({ reason: 'failed', level: 'error' });
  });

  it('answers 500 when the direct path alone fails', async () => {
    const { deps } = setup({ direct: recordingDirect(new Error('boom')) });
    expect((await handleSlackRequest(signed('direct-message'), CONTEXT, deps)).statusCode).toBe(500);
  });

  it('uses the direct path and logs execution_api_url_missing when API traffic is wanted without a URL', async () => {
    const { deps, direct, logs } = setup({ env: { USE_API_GATEWAY: 'true' } });
    expect((await handleSlackRequest(signed('app-mention'), CONTEXT, deps)).statusCode).toBe(200);
    expect(direct.calls).toHaveLength(1);
    expect(logs.events('execution_api_url_missing')[0]).toMatchObject({ reason: 'execution_api_url_missing', path: 'direct', level: 'warn' });
  });

  it('never writes the signing secret or an xoxb token into the logs', async () => {
    const api = scriptedApi({ kind: 'response', status: 500, body: 'upstream said xoxb-1234-5678-abcdefghijkl', latencyMs: 3 });
    const { deps, logs } = setup({ api, env: API_ENV });
    await handleSlackRequest(signed('app-mention'), CONTEXT, deps);
    await handleSlackRequest(signed('app-mention', 'forged'), CONTEXT, deps);
    const all = logs.raw.join('');
    expect(all).not.toContain(TEST_SIGNING_SECRET);
    expect(all).not.toContain('xoxb-1234-5678-abcdefghijkl');
    expect(all).not.toContain('What is the capital of France?');
  });
});
