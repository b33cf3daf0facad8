import { runDemo } from '../../src/cli/demo-run';
import { formatDemoTrace } from '../../src/cli/format';
import type { LocalStack } from '../../src';
import { startTestStack } from '../support/stack';

/* `npm run demo`: against a running stack, and with none running (it then starts its own, in-process). */

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('runDemo', () => {
  it('sends a signed app_mention to the running stack, waits for the reply and traces the API Gateway path', async () => {
    const trace = await runDemo({ question: 'What does the demo show?', awsUrl: stack.urls.aws, replyTimeoutMs: 20_000 });
    expect(trace).toMatchObject({ stackWasRunning: true, ackStatus: 200, question: 'What does the demo show?' });
    expect(trace.reply?.text).toContain('What does the demo show?');
    const text = formatDemoTrace(trace);
    expect(text).toContain('Slack ack      HTTP 200 in ');
    expect(text).toContain('Path taken     API Gateway\n');
    expect(text).toContain('Fallback used  no');
    expect(text).toMatch(/Execution API {2}202 \(\d+ ms\)/);
    expect(stack.slack.botReplies({ threadTs: trace.reply?.threadTs })).toHaveLength(1);
    // The reply was streamed: its first text and its end are reported from the stand-in's record of the calls.
    expect(trace.reply?.stream).toBe('stopped');
    expect(trace.timing?.calls).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/First text {5}after \d+\.\d s; complete after \d+\.\d s \(\d+ Slack message calls, streamed\)/);
  });

  it('reports the fallback when the execution API is down', async () => {
    stack.faults.set('executeApi', { mode: 'down' });
    try {
      const text = formatDemoTrace(await runDemo({ question: 'And now?', awsUrl: stack.urls.aws, replyTimeoutMs: 20_000 }));
      expect(text).toContain('Path taken     direct (lambda:Invoke), after falling back from API Gateway');
      expect(text).toContain('Execution API  dropped');
    } finally {
      stack.faults.clear();
    }
  });

  it('starts a stack in-process when none answers, and stops it afterwards', async () => {
    const trace = await runDemo({ question: 'Anyone there?', awsUrl: 'http://127.0.0.1:1', inProcess: { modelLatencyMs: 0 }, replyTimeoutMs: 20_000 });
    expect(trace).toMatchObject({ stackWasRunning: false, ackStatus: 200 });
    expect(trace.reply?.text).toContain('Anyone there?');
    expect(formatDemoTrace(trace)).toContain('Stack          started in-process for this demo');
  });
});
