import { apiVerdicts, buildTimeline } from '../../src/console/timeline';
import type { LogEntry } from '../../src/logs';
import type { RecordedCall } from '../../src/slack/workspace';
import type { TraceEntry } from '../../src/trace';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const EVENT = 'Ev0L00000001';
const VERIFY_ROLE = 'arn:aws:sts::000000000000:assumed-role/slack-ai-app-verification-role/slack-ai-app-verification';

function log(requestId: string, ms: number, json: Record<string, unknown>): LogEntry {
  return { seq: 0, time: at(ms), stream: 'stdout', functionName: 'f', containerId: 'c', requestId, line: JSON.stringify(json), json };
}

/** A fallback: execute-api 500, then the direct invoke, two execution attempts (one retry) and the Slack calls. */
const trace: TraceEntry[] = [
  { kind: 'invocation', seq: 0, at: at(300), eventId: EVENT, functionName: 'slack-ai-app-verification', source: 'function_url', invocationType: 'RequestResponse', requestId: 'v1', attempt: 1, containerId: 'c1', coldStart: false, initDurationMs: undefined, queuedMs: 0, durationMs: 290, outcome: 'success', errorType: undefined },
  { kind: 'slack_delivery', seq: 1, at: at(310), eventId: EVENT, status: 200, latencyMs: 310, retryNum: undefined },
  { kind: 'execute_api', seq: 2, at: at(120), eventId: EVENT, status: 500, errorType: 'InternalServerErrorException', requestId: 'g1', callerArn: undefined, latencyMs: 20 },
  { kind: 'lambda_api', seq: 3, at: at(200), eventId: EVENT, functionName: 'slack-ai-app-execution', invocationType: 'Event', status: 202, errorType: undefined, requestId: 'l1', callerArn: VERIFY_ROLE, latencyMs: 30 },
  { kind: 'invocation', seq: 4, at: at(700), eventId: EVENT, functionName: 'slack-ai-app-execution', source: 'lambda_api', invocationType: 'Event', requestId: 'e1', attempt: 1, containerId: 'c2', coldStart: true, initDurationMs: 80, queuedMs: 0, durationMs: 400, outcome: 'error', errorType: 'Error', },
  { kind: 'invocation', seq: 5, at: at(1_300), eventId: EVENT, functionName: 'slack-ai-app-execution', source: 'lambda_api', invocationType: 'Event', requestId: 'e1', attempt: 2, containerId: 'c2', coldStart: false, initDurationMs: undefined, queuedMs: 0, durationMs: 300, outcome: 'success', errorType: undefined },
];
const logs: Record<string, LogEntry[]> = {
  v1: [
    log('v1', 90, { event: 'api_gateway_percentage_check', bucket: 46, percentage: 100, decision: 'api' }),
    log('v1', 125, { event: 'fallback_to_direct_invoke', reason: 'server_error' }),
  ],
  e1: [log('e1', 1_250, { event: 'bedrock_invocation_success', duration_ms: 150, output_tokens: 20, level: 'info' })],
};
const slackCalls: RecordedCall[] = [
  { seq: 0, at: at(1_260), method: 'chat.postMessage', params: { channel: 'C1', thread_ts: '1.000001' }, auth: 'ok', status: 200, response: { ok: true } },
  { seq: 1, at: at(1_270), method: 'reactions.remove', params: { channel: 'C1', timestamp: '1.000001', name: 'eyes' }, auth: 'ok', status: 200, response: { ok: false, error: 'no_reaction' } },
];

describe('buildTimeline', () => {
  const timeline = buildTimeline({ eventId: EVENT, executionFunctionName: 'slack-ai-app-execution', trace, logsFor: (id) => logs[id] ?? [], slackCalls });

  it('names the path and the fallback', () => {
    expect(timeline).toMatchObject({ eventId: EVENT, path: 'direct', fallback: true });
  });

  it('places every step in ms from the first, in start order, with what decided it', () => {
    expect(timeline.steps.map((s) => [s.lane, s.startMs, s.endMs, `${s.label}: ${s.detail}`, s.outcome])).toEqual([
      ['slack', 0, 310, 'Slack ack: HTTP 200 in 310 ms', 'ok'],
      ['verification', 10, 300, 'Verification: success in 290 ms, via function_url', 'ok'],
      ['route', 90, 90, 'Route decision: bucket 46, percentage 100 → API Gateway', 'info'],
      ['execute-api', 100, 120, 'Execution API: 500 InternalServerErrorException in 20 ms; not authenticated (the request failed first)', 'error'],
      ['route', 125, 125, 'Fallback: to the direct invoke (server_error)', 'error'],
      ['direct', 170, 200, `Direct invoke: 202 in 30 ms, caller ${VERIFY_ROLE}`, 'ok'],
      ['execution', 300, 700, 'Execution attempt 1: error (Error) in 400 ms, cold start 80 ms, via lambda_api', 'error'],
      ['execution', 1_000, 1_300, 'Execution attempt 2 (retry): success in 300 ms, via lambda_api', 'ok'],
      ['model', 1_100, 1_250, 'Model: first token after 150 ms, total 150 ms, 20 tokens out', 'ok'],
      ['slack-api', 1_260, 1_260, 'chat.postMessage: HTTP 200, ok', 'ok'],
      ['slack-api', 1_270, 1_270, 'reactions.remove: HTTP 200, no_reaction :eyes:', 'error'],
    ]);
  });

  it('takes the first token of a streamed answer from the stream’s first text', () => {
    const streamed = buildTimeline({
      eventId: EVENT,
      executionFunctionName: 'slack-ai-app-execution',
      trace,
      logsFor: (id) =>
        id === 'e1'
          ? [log('e1', 1_110, { event: 'slack_stream_started' }), log('e1', 1_150, { event: 'slack_stream_first_text', stream_ms: 38 }), ...(logs['e1'] ?? [])]
          : (logs[id] ?? []),
      slackCalls: [],
    });
    expect(streamed.steps.filter((s) => s.lane === 'model').map((s) => [s.startMs, s.endMs, s.detail])).toEqual([[1_100, 1_250, 'first token after 38 ms, total 150 ms, 20 tokens out, streamed']]);
  });

  it('shows a stream still running without its model call finished', () => {
    const running = buildTimeline({ eventId: EVENT, executionFunctionName: 'slack-ai-app-execution', trace: [], logsFor: () => [], slackCalls: [] });
    expect(running.steps).toEqual([]);
    const partial = buildTimeline({
      eventId: EVENT,
      executionFunctionName: 'slack-ai-app-execution',
      trace: trace.slice(4, 5),
      logsFor: () => [log('e1', 600, { event: 'slack_stream_started' }), log('e1', 650, { event: 'slack_stream_first_text', stream_ms: 50 })],
      slackCalls: [],
    });
    expect(partial.steps.filter((s) => s.lane === 'model').map((s) => `${s.label}: ${s.detail}`)).toEqual(['Model: first token after 50 ms, still streaming']);
  });

  it('is empty, with no path, for an event the stack never saw', () => {
    expect(buildTimeline({ eventId: 'EvNONE', executionFunctionName: 'slack-ai-app-execution', trace: [], logsFor: () => [], slackCalls: [] })).toEqual({ eventId: 'EvNONE', path: 'none', fallback: false, steps: [] });
  });
});

describe('apiVerdicts', () => {
  it('reads SigV4 and IAM from the gateway’s answer, in the gateway’s order', () => {
    expect(apiVerdicts(202, undefined)).toBe('SigV4 valid, IAM allow');
    expect(apiVerdicts(403, 'AccessDeniedException')).toBe('SigV4 valid, IAM deny');
    expect(apiVerdicts(403, 'InvalidSignatureException')).toBe('SigV4 refused, IAM not evaluated');
    expect(apiVerdicts(403, 'MissingAuthenticationTokenException')).toBe('SigV4 refused, IAM not evaluated');
    expect(apiVerdicts(400, 'BadRequestException')).toBe('SigV4 valid, IAM allow');
    expect(apiVerdicts(429, 'TooManyRequestsException')).toBe('not authenticated (the request failed first)');
    expect(apiVerdicts('dropped', undefined)).toBe('not authenticated (the request failed first)');
  });
});
