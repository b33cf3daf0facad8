import type { LogEntry } from '../logs';
import type { RecordedCall } from '../slack/workspace';
import type { TraceEntry } from '../trace';
import type { ConsoleTimeline, TimelineLane, TimelineStep } from './api-types';

/** Everything one message's timeline is drawn from. */
export interface TimelineInput {
  readonly eventId: string;
  /** The execution function's name (its attempts are the execution steps; the other function is the ingress). */
  readonly executionFunctionName: string;
  /** The stack's trace entries of this event (`stack.trace.forEvent`). */
  readonly trace: readonly TraceEntry[];
  /** The log lines of the event's invocations, by request id. */
  readonly logsFor: (requestId: string) => readonly LogEntry[];
  /** The Slack Web API calls recorded in the event's thread. */
  readonly slackCalls: readonly RecordedCall[];
}

/**
 * Error types of API Gateway's authentication step (SigV4): the request never reached IAM. Source: API Gateway's
 * gateway responses (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html)
 * and docs/api-gateway-behaviour.md.
 */
const SIGV4_ERROR_TYPES = new Set(['MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException']);

/**
 * Builds the timeline of one message: the Slack ack, the route decision, the execution API call with its SigV4 and IAM
 * verdicts, the fallback and the direct invoke, the execution attempts with retries and dead letters, the model's
 * times and every Slack Web API call, each placed in ms from the first step.
 *
 * @param input - the trace, logs and Slack calls of the event
 */
export function buildTimeline(input: TimelineInput): ConsoleTimeline {
  const raw: Array<{ lane: TimelineLane; label: string; detail: string; start: number; end: number; outcome: TimelineStep['outcome'] }> = [];
  const span = (at: Date, durationMs: number) => ({ start: at.getTime() - durationMs, end: at.getTime() });
  const add = (lane: TimelineLane, label: string, detail: string, times: { start: number; end: number }, outcome: TimelineStep['outcome']) =>
    raw.push({ lane, label, detail, ...times, outcome });

  const requestIds = new Set<string>();
  for (const entry of input.trace) {
    switch (entry.kind) {
      case 'slack_delivery':
        add('slack', 'Slack ack', `HTTP ${entry.status} in ${ms(entry.latencyMs)}${entry.retryNum === undefined ? '' : `, retry ${entry.retryNum}`}`, span(entry.at, entry.latencyMs), entry.status === 200 ? 'ok' : 'error');
        break;
      case 'execute_api': {
        const verdicts = apiVerdicts(entry.status, entry.errorType);
        const who = entry.callerArn === undefined ? '' : `, caller ${entry.callerArn}`;
        add('execute-api', 'Execution API', `${entry.status}${entry.errorType === undefined ? '' : ` ${entry.errorType}`} in ${ms(entry.latencyMs)}${who}; ${verdicts}`, span(entry.at, entry.latencyMs), entry.status === 202 ? 'ok' : 'error');
        break;
      }
      case 'lambda_api':
        add('direct', entry.invocationType === 'Event' ? 'Direct invoke' : `Invoke (${entry.invocationType})`, `${entry.status}${entry.errorType === undefined ? '' : ` ${entry.errorType}`} in ${ms(entry.latencyMs)}${entry.callerArn === undefined ? '' : `, caller ${entry.callerArn}`}`, span(entry.at, entry.latencyMs), typeof entry.status === 'number' && entry.status < 300 ? 'ok' : 'error');
        break;
      case 'invocation': {
        requestIds.add(entry.requestId);
        const execution = entry.functionName === input.executionFunctionName;
        const cold = entry.coldStart ? `, cold start ${ms(entry.initDurationMs ?? 0)}` : '';
        const label = execution ? `Execution attempt ${entry.attempt}${entry.attempt > 1 ? ' (retry)' : ''}` : 'Verification';
        add(execution ? 'execution' : 'verification', label, `${entry.outcome}${entry.errorType === undefined ? '' : ` (${entry.errorType})`} in ${ms(entry.durationMs)}${cold}, via ${entry.source}`, span(entry.at, entry.durationMs + entry.queuedMs), entry.outcome === 'success' ? 'ok' : 'error');
        break;
      }
      case 'dead_letter':
        add('execution', 'Dead letter', `${entry.functionName}: retries exhausted`, span(entry.at, 0), 'error');
        break;
    }
  }

  // The model call, and whether its answer was streamed (ConverseStream into chat.startStream/appendStream/stopStream).
  let stream: { start: number; firstTextMs: number | undefined } | undefined;
  let model: { end: number; totalMs: number; tokens: string } | undefined;
  for (const requestId of requestIds) {
    for (const log of input.logsFor(requestId)) {
      const json = log.json;
      if (json === undefined) continue;
      const at = log.time.getTime();
      switch (json['event']) {
        case 'api_gateway_percentage_check':
          add('route', 'Route decision', `bucket ${String(json['bucket'])}, percentage ${String(json['percentage'])} → ${json['decision'] === 'api' ? 'API Gateway' : 'direct'}`, { start: at, end: at }, 'info');
          break;
        case 'fallback_to_direct_invoke':
          add('route', 'Fallback', `to the direct invoke${typeof json['reason'] === 'string' ? ` (${json['reason']})` : ''}`, { start: at, end: at }, 'error');
          break;
        case 'bedrock_invocation_success':
          model = { end: at, totalMs: Number(json['duration_ms'] ?? 0), tokens: String(json['output_tokens'] ?? '?') };
          break;
        case 'slack_stream_started':
          stream = { start: at, firstTextMs: undefined };
          break;
        case 'slack_stream_first_text':
          if (stream !== undefined) stream.firstTextMs = Number(json['stream_ms'] ?? at - stream.start);
          break;
        default:
          if (typeof json['event'] === 'string' && json['event'].startsWith('bedrock_') && json['level'] !== 'info') {
            add('model', 'Model error', json['event'], { start: at, end: at }, 'error');
          }
      }
    }
  }

  if (model !== undefined) {
    // Streamed, the first token is the first text the stream showed; whole, it is the complete answer.
    const firstMs = stream?.firstTextMs ?? model.totalMs;
    const how = stream === undefined ? '' : ', streamed';
    add('model', 'Model', `first token after ${ms(firstMs)}, total ${ms(model.totalMs)}, ${model.tokens} tokens out${how}`, { start: model.end - model.totalMs, end: model.end }, 'ok');
  } else if (stream !== undefined) {
    // The answer is still streaming (or its model call failed): what the stream showed so far.
    const first = stream.firstTextMs === undefined ? 'no text yet' : `first token after ${ms(stream.firstTextMs)}`;
    add('model', 'Model', `${first}, still streaming`, { start: stream.start, end: stream.start + (stream.firstTextMs ?? 0) }, 'info');
  }

  for (const call of input.slackCalls) {
    const ok = call.response?.['ok'] === true;
    const error = call.fault !== undefined ? `fault ${call.fault}` : ok ? 'ok' : String(call.response?.['error'] ?? call.status);
    const name = typeof call.params['name'] === 'string' ? ` :${call.params['name']}:` : '';
    add('slack-api', call.method, `${call.status === 0 ? 'no answer' : `HTTP ${call.status}`}, ${error}${name}`, { start: call.at.getTime(), end: call.at.getTime() }, ok ? 'ok' : 'error');
  }

  const origin = raw.length === 0 ? 0 : Math.min(...raw.map((step) => step.start));
  const steps = raw
    .map(({ start, end, ...rest }) => ({ ...rest, startMs: Math.round(start - origin), endMs: Math.round(end - origin) }))
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const apiCalls = input.trace.filter((e) => e.kind === 'execute_api');
  const directCalls = input.trace.filter((e) => e.kind === 'lambda_api' && e.invocationType === 'Event');
  const firstAttempt = input.trace.find((e) => e.kind === 'invocation' && e.functionName === input.executionFunctionName);
  const path = firstAttempt === undefined || firstAttempt.kind !== 'invocation' ? 'none' : firstAttempt.source === 'execute_api' ? 'api' : 'direct';
  return { eventId: input.eventId, path, fallback: apiCalls.length > 0 && directCalls.length > 0, steps };
}

/**
 * The SigV4 and IAM verdicts behind an execution API answer. API Gateway authenticates (SigV4) before it authorizes
 * (IAM), and answers 403 `AccessDeniedException` only for an IAM deny
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-aws-condition-keys.html,
 * docs/api-gateway-behaviour.md); a fault injected in front of the gateway reaches neither.
 */
export function apiVerdicts(status: number | 'dropped' | 'hung', errorType: string | undefined): string {
  if (status === 202) return 'SigV4 valid, IAM allow';
  if (errorType === 'AccessDeniedException') return 'SigV4 valid, IAM deny';
  if (errorType !== undefined && SIGV4_ERROR_TYPES.has(errorType)) return 'SigV4 refused, IAM not evaluated';
  // Request validation (400) and the content type (415) come after authorization.
  if (status === 400 || status === 415) return 'SigV4 valid, IAM allow';
  return 'not authenticated (the request failed first)';
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
