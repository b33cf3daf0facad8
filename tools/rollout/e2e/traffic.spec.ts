import { LogEvent } from '@slack-ai-app/logging';
import { type LocalStack, startLocalStack } from '@slack-ai-app/local-stack';
import { SteadyTraffic } from './traffic';

/*
 * The rehearsal's traffic delivers each event as Slack does. A fresh verification container that cannot read the signing
 * secret answers 401 (`missing_secret`, it fails closed); Slack redelivers a refused event (Events API, "Retries"), so the
 * event is acked on the redelivery and answered once, and the refusal is recorded. The rehearsal's rare 401: a deploy
 * starts fresh containers, and a fresh container's first read of the secret can time out (twice 1 s) when the loaded
 * machine stalls the one process that serves the local extension, Secrets Manager and the rest of the stack. Here the
 * read fails on purpose (Secrets Manager answers 500 once), so the test does not depend on timing.
 */

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ ports: { slack: 0, slackApi: 0, aws: 0 }, modelLatencyMs: 0, onInternalError: () => undefined });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('SteadyTraffic', () => {
  it('redelivers an event refused because the signing secret could not be read; it is acked and answered once', async () => {
    stack.faults.set('secretsManager', { mode: 'status', status: 500, times: 1 });
    const traffic = new SteadyTraffic(stack, 0, 3);
    await traffic.finished;
    await stack.waitForIdle(30_000);

    expect(traffic.sent.map((event) => [event.status, event.refusedDeliveries])).toEqual([
      [200, [{ retryNum: undefined, status: 401 }]],
      [200, []],
      [200, []],
    ]);
    const [first] = traffic.sent;
    // Slack's side: the first delivery refused, the redelivery (X-Slack-Retry-Num: 1) acked.
    const deliveries = stack.trace.forEvent(first?.eventId ?? '').flatMap((entry) => (entry.kind === 'slack_delivery' ? [[entry.retryNum, entry.status]] : []));
    expect(deliveries).toEqual([
      [undefined, 401],
      [1, 200],
    ]);
    // The app's side: the one refusal was the unread secret.
    const rejections = stack.logs.events({ functionName: stack.functions.verification.name, event: LogEvent.SlackRequestRejected });
    expect(rejections.map((line) => [line['status'], line['reason']])).toEqual([[401, 'missing_secret']]);
    expect(traffic.sent.map((event) => stack.slack.botReplies({ threadTs: event.threadTs }).length)).toEqual([1, 1, 1]);
  }, 60_000);
});
