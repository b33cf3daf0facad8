import { LOCAL_TEST_PRINCIPALS, type DeliveryResult, type LocalStack, type TraceEntry } from '../../src';
import { startTestStack } from '../support/stack';

/*
 * The product end to end, with the real Lambda bundles (dist/apps/*): Slack signs an app_mention, the verification
 * function checks it behind the local Function URL, hands off by the SigV4-signed execution API (or directly), the
 * execution function calls the model and replies in the thread. Assertions are on what the Slack stand-in recorded
 * and on the stack's trace.
 */

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(async () => {
  stack.faults.clear();
  await stack.waitForIdle();
});

async function setPercentage(percentage: number): Promise<void> {
  const { environment } = stack.functions.verification.configuration;
  await stack.functions.verification.updateConfiguration({ environment: { ...environment, USE_API_GATEWAY_PERCENTAGE: String(percentage) } });
}

/** Posts a question as a user and waits until the stack has finished everything it caused. */
async function ask(text: string, eventId?: string): Promise<DeliveryResult & { eventId: string; threadTs: string }> {
  const sent = await stack.slack.postUserMessage({ text, ...(eventId === undefined ? {} : { eventId }) });
  await stack.waitForIdle();
  if (sent.eventId === undefined || sent.threadTs === undefined) throw new Error('the stand-in did not report the event');
  return sent as DeliveryResult & { eventId: string; threadTs: string };
}

function kinds(eventId: string): Array<[string, unknown]> {
  return stack.trace.forEvent(eventId).flatMap((e: TraceEntry): Array<[string, unknown]> => {
    if (e.kind === 'execute_api') return [['execute_api', e.status]];
    if (e.kind === 'lambda_api') return [['lambda_api', e.status]];
    if (e.kind === 'invocation' && e.functionName === stack.functions.execution.name) return [[`execution via ${e.source}`, e.outcome]];
    return [];
  });
}

function repliesIn(threadTs: string) {
  return stack.slack.botReplies({ threadTs });
}

describe('the happy path by API Gateway', () => {
  it('acks 200, the API answers 202, and exactly one threaded reply appears, with the reaction added and removed', async () => {
    const sent = await ask('What is the capital of France?');
    expect(sent.status).toBe(200);
    expect(kinds(sent.eventId)).toEqual([
      ['execute_api', 202],
      ['execution via execute_api', 'success'],
    ]);
    const replies = repliesIn(sent.threadTs);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('What is the capital of France?');

    const reactions = stack.slack.calls().filter((c) => c.method.startsWith('reactions.') && c.params['timestamp'] === sent.ts);
    expect(reactions.map((c) => [c.method, c.response?.['ok']])).toEqual([
      ['reactions.add', true],
      ['reactions.remove', true],
    ]);
    expect(reactions[0]?.params['name']).toBe(reactions[1]?.params['name']);
    expect(stack.slack.thread(sent.channel ?? '', sent.threadTs)?.[0]?.reactions).toBeUndefined();
    expect(stack.slack.calls().every((c) => c.auth === 'ok')).toBe(true);
  });

  it('answers inside an existing thread, with the thread history sent to the model', async () => {
    const first = await ask('First question in a thread');
    const followUp = await stack.slack.postUserMessage({ text: 'And a follow-up', threadTs: first.threadTs });
    await stack.waitForIdle();
    const replies = repliesIn(first.threadTs);
    expect(replies).toHaveLength(2);
    expect(replies[1]?.text).toContain('And a follow-up');
    expect(replies[1]?.text).toMatch(/Earlier in this thread: \d+ messages/);
    expect(stack.slack.calls({ method: 'conversations.replies' }).some((c) => c.params['ts'] === first.threadTs && c.response?.['ok'] === true)).toBe(true);
    expect(followUp.status).toBe(200);
  });
});

describe('the direct path and percentage routing', () => {
  afterAll(() => setPercentage(100));

  it('hands every event to lambda:Invoke at 0 %', async () => {
    await setPercentage(0);
    const sent = await ask('Direct, please');
    expect(sent.status).toBe(200);
    expect(kinds(sent.eventId)).toEqual([
      ['lambda_api', 202],
      ['execution via lambda_api', 'success'],
    ]);
    expect(repliesIn(sent.threadTs)).toHaveLength(1);
  });

  it('at 50 % uses both paths over many events, and each event always takes the same path', async () => {
    await setPercentage(50);
    const eventIds = Array.from({ length: 16 }, (_, i) => `EvPCT${String(i).padStart(6, '0')}`);
    const pathOf = (eventId: string) => kinds(eventId).filter(([kind]) => kind === 'execute_api' || kind === 'lambda_api').map(([kind]) => kind);
    const sent: Array<DeliveryResult & { eventId: string; threadTs: string }> = [];
    for (const eventId of eventIds) sent.push(await ask(`Routing question ${eventId}`, eventId));
    const firstPaths = eventIds.map((id) => pathOf(id));
    expect(firstPaths.every((p) => p.length === 1)).toBe(true);
    expect(new Set(firstPaths.map((p) => p[0]))).toEqual(new Set(['execute_api', 'lambda_api']));

    // Slack's retries of the same events: each takes the path it took the first time, and no second reply appears.
    for (const delivered of sent) {
      const retry = await stack.slack.deliver(delivered.envelope ?? {}, { retryNum: 1, retryReason: 'http_timeout' });
      expect(retry.status).toBe(200);
    }
    await stack.waitForIdle();
    for (const [index, eventId] of eventIds.entries()) {
      const paths = pathOf(eventId);
      expect(paths).toEqual([firstPaths[index]?.[0], firstPaths[index]?.[0]]);
      expect(repliesIn(sent[index]?.threadTs ?? '')).toHaveLength(1);
    }
  });
});

describe('fallback to the direct path', () => {
  afterEach(() => stack.functions.verification.updateConfiguration({ principal: stack.credentials.principals.verification }));

  it.each([
    ['is down', () => stack.faults.set('executeApi', { mode: 'down' }), 'dropped'],
    ['answers 500', () => stack.faults.set('executeApi', { mode: 'status', status: 500 }), 500],
    ['answers 503', () => stack.faults.set('executeApi', { mode: 'status', status: 503 }), 503],
  ])('when the execution API %s, the reply still arrives exactly once', async (_case, breakApi, apiStatus) => {
    breakApi();
    const sent = await ask('Does the fallback work?');
    expect(sent.status).toBe(200);
    expect(kinds(sent.eventId)).toEqual([
      ['execute_api', apiStatus],
      ['lambda_api', 202],
      ['execution via lambda_api', 'success'],
    ]);
    expect(repliesIn(sent.threadTs)).toHaveLength(1);
    expect(stack.logs.events({ functionName: stack.functions.verification.name, event: 'fallback_to_direct_invoke' }).length).toBeGreaterThan(0);
  });

  it('when the verification function runs with misconfigured credentials (another role: 403), the reply still arrives exactly once', async () => {
    await stack.functions.verification.updateConfiguration({ principal: LOCAL_TEST_PRINCIPALS.otherRole });
    const sent = await ask('Misconfigured credentials?');
    expect(sent.status).toBe(200);
    expect(kinds(sent.eventId)).toEqual([
      ['execute_api', 403],
      ['lambda_api', 202],
      ['execution via lambda_api', 'success'],
    ]);
    const denied = stack.trace.forEvent(sent.eventId).find((e) => e.kind === 'execute_api');
    expect(denied).toMatchObject({ errorType: 'AccessDeniedException', callerArn: LOCAL_TEST_PRINCIPALS.otherRole.callerArn });
    expect(repliesIn(sent.threadTs)).toHaveLength(1);
  });
});

describe('Slack retries and duplicates', () => {
  it('gives one reply for a retried event (X-Slack-Retry-Num) and for a duplicate event_id', async () => {
    const sent = await ask('Only answer me once');
    const retry = await stack.slack.deliver(sent.envelope ?? {}, { retryNum: 1, retryReason: 'http_timeout' });
    const duplicate = await stack.slack.deliver(sent.envelope ?? {});
    await stack.waitForIdle();
    expect([sent.status, retry.status, duplicate.status]).toEqual([200, 200, 200]);
    expect(repliesIn(sent.threadTs)).toHaveLength(1);
  });
});

describe('requests that are not from Slack', () => {
  const envelope = (eventId: string) =>
    JSON.stringify({
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      team_id: 'T0LOCAL0001',
      api_app_id: 'A0LOCALAPP1',
      authorizations: [{ team_id: 'T0LOCAL0001', user_id: 'U0LOCALBOT1', is_bot: true }],
      event: { type: 'app_mention', user: 'U0LOCALUSER', text: '<@U0LOCALBOT1> hi', ts: '1700000000.000100', channel: 'C0LOCAL0001', event_ts: '1700000000.000100' },
    });

  it.each([
    ['a body tampered with after signing', (body: string) => ({ bodyAfterSigning: body.replace('> hi', '> hello') })],
    ['an expired timestamp (over 5 minutes old)', () => ({ timestamp: Math.floor(Date.now() / 1000) - 400 })],
    ['a signature made with another secret', () => ({ signingSecret: 'not-the-signing-secret' })],
  ])('answers 401 to %s, and nothing reaches the execution layer', async (_case, mistake) => {
    const eventId = stack.slack.nextEventId();
    const body = envelope(eventId);
    const response = await stack.slack.deliver(body, mistake(body));
    await stack.waitForIdle();
    expect(response.status).toBe(401);
    expect(kinds(eventId)).toEqual([]);
  });

  it('accepts the same envelope when it is signed correctly (the refusals above are about the signature)', async () => {
    const eventId = stack.slack.nextEventId();
    const response = await stack.slack.deliver(envelope(eventId));
    await stack.waitForIdle();
    expect(response.status).toBe(200);
    expect(kinds(eventId).length).toBeGreaterThan(0);
  });
});

describe('an execution handler that fails every time', () => {
  it('ends up in the dead-letter store after 3 attempts, with the event intact and no reply', async () => {
    stack.faults.set('executionFunction', { mode: 'error', errorType: 'InjectedFailure', errorMessage: 'the execution handler failed' });
    const sent = await ask('This one will fail');
    expect(sent.status).toBe(200);
    expect(kinds(sent.eventId)).toEqual([
      ['execute_api', 202],
      ['execution via execute_api', 'error'],
      ['execution via execute_api', 'error'],
      ['execution via execute_api', 'error'],
    ]);
    const record = stack.deadLetters.list().find((r) => (r.requestPayload as { body?: { event_id?: string } }).body?.event_id === sent.eventId);
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3, functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${stack.functions.execution.name}:$LATEST` },
      responsePayload: { errorType: 'InjectedFailure', errorMessage: 'the execution handler failed' },
      requestPayload: {
        kind: 'execution_api_request',
        body: { event_id: sent.eventId, channel: 'C0LOCAL0001', user_id: 'U0LOCALUSER', team_id: 'T0LOCAL0001', text: expect.stringContaining('This one will fail') },
        identity: { userArn: stack.credentials.principals.verification.callerArn, accountId: '000000000000' },
      },
    });
    expect(stack.faults.injected('executionFunction')).toBe(3);
    expect(repliesIn(sent.threadTs)).toHaveLength(0);
  });
});
