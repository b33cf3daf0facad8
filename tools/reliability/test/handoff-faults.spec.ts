import type { HttpFault } from '@slack-ai-app/local-stack';
import { handoffStatuses, logEvents } from '../src/expect-helpers';
import { startHarness, type Harness } from '../src/harness';
import { expectedAnswerLine } from '../src/load';
import { faultScenario } from '../src/scenario';

/**
 * Faults of the hand-off (verification → execution): the execution API failing in each way, both paths failing, and
 * a clock skew between the signer and the gateway. Each scenario goes through the real path: a signed Slack event to
 * the verification function, the SigV4-signed call to the local API Gateway, the direct `lambda:Invoke` fallback, the
 * execution function, and the reply recorded by the Slack stand-in.
 */

const SUITE = 'handoff-faults';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(SUITE, { prewarm: true });
});
afterAll(async () => {
  await harness?.stop();
});

/**
 * The ack bound: the verification function's `EXECUTION_API_TIMEOUT_MS` (the longest it waits for the API) plus a
 * 1.5 s margin. This is not a performance assertion: it checks that a failing or hanging API is abandoned at the
 * client timeout and the fallback runs inside Slack's window, instead of the ack waiting for the API (a hang would
 * last until the function's 10 s timeout). The margin absorbs the fallback's lazy client load and the direct invoke on
 * a shared 2-core machine; the exact latency is the benchmark's business.
 */
function ackBoundMs(): number {
  const timeout = Number(harness.stack.functions.verification.configuration.environment['EXECUTION_API_TIMEOUT_MS'] ?? '2000');
  return timeout + 1500;
}

const API_FAULTS: ReadonlyArray<readonly [string, HttpFault, string]> = [
  ['is down (connection dropped)', { mode: 'down' }, 'dropped'],
  ['answers 500', { mode: 'status', status: 500 }, '500'],
  ['answers 429', { mode: 'status', status: 429 }, '429'],
  ['hangs past the client timeout', { mode: 'hang' }, 'hung'],
];

describe('execution API faults', () => {
  for (const [label, fault, traced] of API_FAULTS) {
    faultScenario(SUITE, `execution API ${label}: the fallback delivers, one reply, ack under the timeout + margin`, () => harness, async () => {
      const { stack } = harness;
      stack.faults.set('executeApi', fault);
      const question = `fallback when the execution API ${label}`;

      const sent = await harness.mention(question);

      expect(sent.status).toBe(200);
      expect(JSON.parse(sent.body)).toEqual({ ok: true });
      expect(sent.latencyMs).toBeLessThan(ackBoundMs());
      await harness.settle();
      const replies = harness.replies(sent.threadTs);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text.startsWith(expectedAnswerLine(question))).toBe(true);
      const eventId = sent.eventId as string;
      expect(handoffStatuses(stack, eventId)).toEqual({ api: [traced === 'dropped' || traced === 'hung' ? traced : Number(traced)], lambda: [202] });
      expect(logEvents(stack, eventId, 'fallback_to_direct_invoke')).toHaveLength(1);
      expect(harness.attempts(eventId, 'execution').map((a) => [a.source, a.outcome])).toEqual([['lambda_api', 'success']]);
    });
  }
});

describe('both hand-off paths fail', () => {
  faultScenario(SUITE, 'Slack gets 500, its retry then succeeds, one reply in total', () => harness, async () => {
    const { stack } = harness;
    stack.faults.set('executeApi', { mode: 'status', status: 500 });
    stack.faults.set('lambdaApi', { mode: 'status', status: 500 });
    const question = 'both paths fail, then Slack retries';

    const first = await harness.mention(question);

    expect(first.status).toBe(500);
    expect(JSON.parse(first.body)).toEqual({ error: expect.any(String) });
    await harness.settle();
    expect(harness.replies(first.threadTs)).toHaveLength(0);
    expect(harness.attempts(first.eventId as string, 'execution')).toHaveLength(0);

    stack.faults.clear();
    const retry = await stack.slack.deliver(first.envelope as Record<string, unknown>, { retryNum: 1, retryReason: 'http_error' });

    expect(retry.status).toBe(200);
    await harness.settle();
    const replies = harness.replies(first.threadTs);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text.startsWith(expectedAnswerLine(question))).toBe(true);
    expect(logEvents(stack, first.eventId as string, 'slack_retry_received')).toHaveLength(1);
  });
});

describe('clock skew between the signer and the gateway', () => {
  const SKEWS: ReadonlyArray<readonly [string, number, RegExp]> = [
    [
      'the gateway is 6 minutes ahead: 403 Signature expired',
      6 * 60_000,
      /^\{"message":"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)"\}$/,
    ],
    [
      'the gateway is 6 minutes behind: 403 Signature not yet current',
      -6 * 60_000,
      /^\{"message":"Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)"\}$/,
    ],
  ];
  for (const [label, offsetMs, body] of SKEWS) {
    faultScenario(SUITE, `${label} is logged clearly, and the fallback delivers`, () => harness, async () => {
      const { stack } = harness;
      stack.faults.set('gatewayClock', { mode: 'offset', offsetMs });
      const question = `clock skew: ${label}`;

      const sent = await harness.mention(question);

      expect(sent.status).toBe(200);
      expect(sent.latencyMs).toBeLessThan(ackBoundMs());
      await harness.settle();
      const eventId = sent.eventId as string;
      const [apiError, ...more] = logEvents(stack, eventId, 'execution_api_invocation_error');
      expect(more).toHaveLength(0);
      // The verification function's own log names the status, the reason and API Gateway's message.
      expect(apiError).toMatchObject({ status: 403, reason: 'forbidden', HandoffError: 1, HandoffAuthError: 1 });
      expect(String(apiError?.['body_excerpt'])).toMatch(body);
      expect(stack.trace.forEvent(eventId).find((e) => e.kind === 'execute_api')).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' });
      expect(logEvents(stack, eventId, 'fallback_to_direct_invoke')).toEqual([expect.objectContaining({ reason: 'forbidden' })]);
      const replies = harness.replies(sent.threadTs);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text.startsWith(expectedAnswerLine(question))).toBe(true);
    });
  }
});
