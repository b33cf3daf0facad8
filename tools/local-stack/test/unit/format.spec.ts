import { banner, formatBotReply, formatDemoTrace, formatLogLine, formatTextChange } from '../../src/cli/format';
import { LOCAL_TEST_PRINCIPALS, deployedRolePrincipal } from '../../src/iam/principals';
import type { LogEntry } from '../../src/logs';
import { LOCAL_SLACK_SECRETS, type LocalStackCredentials, type LocalStackUrls } from '../../src/stack';
import type { TraceEntry } from '../../src/trace';

const urls: LocalStackUrls = {
  slackEvents: 'http://127.0.0.1:3000/slack/events',
  slackApi: 'http://127.0.0.1:3001/api/',
  aws: 'http://127.0.0.1:4566',
  executionApiStage: 'http://127.0.0.1:4566/prod',
  executeApi: 'http://127.0.0.1:4566/prod/execute',
  deadLetters: 'http://127.0.0.1:4566/_local/dead-letters',
  slackCalls: 'http://127.0.0.1:3001/_local/calls',
};

function credentials(slack: { signingSecret: string; botToken: string }): LocalStackCredentials {
  const role = (name: string) => ({ logicalId: name, name, arn: `arn:aws:iam::000000000000:role/${name}`, roleId: 'AROAEXAMPLE', policies: [], managedPolicyArns: [] });
  const principals = { verification: deployedRolePrincipal('verification', role('Stack-VerificationRole-A'), 'fn-v'), execution: deployedRolePrincipal('execution', role('Stack-ExecutionRole-B'), 'fn-e'), ...LOCAL_TEST_PRINCIPALS };
  return { region: 'us-east-1', accountId: '000000000000', principals, slack: { ...slack, signingSecretArn: 'arn:s', botTokenArn: 'arn:b', signingSecretName: 'Stack-SigningSecret-X', botTokenName: 'Stack-BotToken-Y' } };
}

describe('banner', () => {
  const settings = { percentage: 100, fallback: true, modelLatencyMs: 300, realSlack: false, realBedrock: false };

  it('prints every endpoint, the region, the stage URL and the local credentials', () => {
    const text = banner({ urls, credentials: credentials(LOCAL_SLACK_SECRETS), ...settings });
    for (const expected of [
      urls.slackEvents,
      urls.slackApi,
      'http://127.0.0.1:4566   (region us-east-1, account 000000000000)',
      'http://127.0.0.1:4566/prod   -> POST http://127.0.0.1:4566/prod/execute',
      'local/verification/secret/not/a/real/key0',
      LOCAL_TEST_PRINCIPALS.otherRole.accessKeyId,
      '(Secrets Manager: Stack-BotToken-Y)',
      LOCAL_SLACK_SECRETS.signingSecret,
      LOCAL_SLACK_SECRETS.botToken,
      'npm run demo -- ',
      'curl --aws-sigv4 "aws:amz:us-east-1:execute-api"',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('prints the console URL when the console runs', () => {
    expect(banner({ urls, credentials: credentials(LOCAL_SLACK_SECRETS), ...settings, consoleUrl: 'http://127.0.0.1:3002/' })).toContain(
      '\nEndpoints\n  Console (open in a browser)         http://127.0.0.1:3002/\n  Slack ingress',
    );
    expect(banner({ urls, credentials: credentials(LOCAL_SLACK_SECRETS), ...settings })).not.toContain('Console');
  });

  it('never prints Slack secrets that came from the environment', () => {
    const text = banner({ urls, credentials: credentials({ signingSecret: 'real-signing-secret', botToken: 'xoxb-real-token' }), ...settings, realSlack: true });
    expect(text).not.toContain('real-signing-secret');
    expect(text).not.toContain('xoxb-real-token');
    expect(text).toContain('(from the environment, not shown)');
  });
});

describe('formatLogLine', () => {
  const ALIASES = { 'Stack-VerificationFunction-ABC': 'verification' };
  const entry = (line: string, stream: LogEntry['stream'] = 'stdout'): LogEntry => {
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(line) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { seq: 0, time: new Date('2024-01-01T10:11:12.131Z'), stream, functionName: 'Stack-VerificationFunction-ABC', containerId: 'c', requestId: 'r', line, json };
  };
  const pino = '{"level":"info","time":"x","service":"verification","aws_request_id":"r","event":"handoff_completed","path":"api","fell_back":false}';

  it('shows app events compactly', () => {
    expect(formatLogLine(entry(pino), 'events', ALIASES)).toBe('10:11:12.131 verification handoff_completed  path=api fell_back=false');
  });

  it('shows the runtime’s invoke errors and timeouts in one short line', () => {
    const invokeError = '2024-01-01T10:11:12.131Z\tr\tERROR\tInvoke Error \t{"errorType":"BoomError","errorMessage":"it broke","trace":["BoomError: it broke","    at x"]}';
    expect(formatLogLine(entry(invokeError, 'platform'), 'events', ALIASES)).toBe('10:11:12.131 verification Invoke Error BoomError: it broke');
    expect(formatLogLine(entry('2024-01-01T10:11:12.131Z r Task timed out after 3.00 seconds', 'platform'), 'events', ALIASES)).toBe('10:11:12.131 verification Task timed out after 3.00 seconds');
  });

  it('hides info lines and runtime noise when quiet, and shows everything raw at all', () => {
    expect(formatLogLine(entry(pino), 'quiet')).toBeUndefined();
    expect(formatLogLine(entry('START RequestId: r Version: $LATEST', 'platform'), 'events')).toBeUndefined();
    expect(formatLogLine(entry('START RequestId: r Version: $LATEST', 'platform'), 'all', ALIASES)).toBe('10:11:12.131 verification [platform] START RequestId: r Version: $LATEST');
  });
});

describe('formatBotReply', () => {
  it('indents the reply under its thread', () => {
    expect(formatBotReply({ channel: 'C1', ts: '2.0', threadTs: '1.0', text: 'a\nb' })).toBe('>>> bot reply (thread 1.0 in C1):\n    a\n    b');
  });
});

describe('formatTextChange', () => {
  const at = new Date(0);
  const reply = { channel: 'C1', ts: '2.0', threadTs: '1.0', text: 'Hello, world', stream: 'streaming' as const };

  it('prints what a start or an append added', () => {
    expect(formatTextChange(reply, { at, method: 'chat.appendStream', text: reply.text }, 'Hello')).toBe('>>> streaming 2.0 +7 chars: ", world"');
    expect(formatTextChange({ ...reply, text: 'Hi' }, { at, method: 'chat.startStream', text: 'Hi' }, '')).toBe('>>> streaming 2.0 +2 chars: "Hi"');
  });

  it('prints a replaced message whole, and leaves posts and stops to formatBotReply', () => {
    expect(formatTextChange({ ...reply, text: 'a\nb' }, { at, method: 'chat.update', text: 'a\nb' }, 'x')).toBe('>>> bot message 2.0 replaced (chat.update):\n    a\n    b');
    expect(formatTextChange(reply, { at, method: 'chat.stopStream', text: reply.text }, 'Hello')).toBeUndefined();
    expect(formatTextChange(reply, { at, method: 'chat.postMessage', text: reply.text }, '')).toBeUndefined();
  });
});

describe('formatDemoTrace', () => {
  const at = new Date(0);
  const base = { question: 'hi', eventId: 'Ev1', ackStatus: 200, ackLatencyMs: 120.4, replyAfterMs: 1500, stackWasRunning: true, reply: { channel: 'C1', ts: '2.0', threadTs: '1.0', text: 'answer' } };
  const invocation = (source: 'execute_api' | 'lambda_api'): TraceEntry => ({
    kind: 'invocation', seq: 3, at, eventId: 'Ev1', functionName: 'slack-ai-app-execution', source, invocationType: 'Event', requestId: 'r', attempt: 1,
    containerId: 'c', coldStart: true, initDurationMs: 300, queuedMs: 0, durationMs: 250, outcome: 'success', errorType: undefined,
  });

  it('reports the API Gateway path', () => {
    const text = formatDemoTrace({
      ...base,
      entries: [{ kind: 'execute_api', seq: 1, at, eventId: 'Ev1', status: 202, errorType: undefined, requestId: 'a', callerArn: 'x', latencyMs: 12 }, invocation('execute_api')],
    });
    expect(text).toContain('Slack ack      HTTP 200 in 120 ms   (event Ev1)');
    expect(text).toContain('Path taken     API Gateway\n');
    expect(text).toContain('Fallback used  no');
    expect(text).toContain('Execution API  202 (12 ms)');
    expect(text).toContain('answer');
  });

  it('reports a fallback to the direct path', () => {
    const text = formatDemoTrace({
      ...base,
      entries: [
        { kind: 'execute_api', seq: 1, at, eventId: 'Ev1', status: 500, errorType: 'InternalServerErrorException', requestId: 'a', callerArn: 'x', latencyMs: 3 },
        { kind: 'lambda_api', seq: 2, at, eventId: 'Ev1', functionName: 'slack-ai-app-execution', invocationType: 'Event', status: 202, errorType: undefined, requestId: 'b', callerArn: 'x', latencyMs: 5 },
        invocation('lambda_api'),
      ],
    });
    expect(text).toContain('Path taken     direct (lambda:Invoke), after falling back from API Gateway');
    expect(text).toContain('Fallback used  yes');
    expect(text).toContain('Execution API  500 InternalServerErrorException (3 ms)');
  });

  it('shows when a streamed reply first showed text and when it was complete', () => {
    const text = formatDemoTrace({ ...base, reply: { ...base.reply, stream: 'stopped' }, timing: { firstTextAfterMs: 1040, lastTextAfterMs: 9120, calls: 10 }, entries: [] });
    expect(text).toContain('First text     after 1.0 s; complete after 9.1 s (10 Slack message calls, streamed)');
    expect(formatDemoTrace({ ...base, timing: { firstTextAfterMs: 9000, lastTextAfterMs: 9000, calls: 1 }, entries: [] })).toContain(
      'First text     after 9.0 s; complete after 9.0 s (1 Slack message call, posted whole)',
    );
  });

  it('says so when no reply arrived', () => {
    expect(formatDemoTrace({ ...base, reply: undefined, entries: [] })).toContain('Reply          none arrived');
  });
});
