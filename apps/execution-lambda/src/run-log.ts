import { errorName } from '@slack-ai-app/errors';
import { LogEvent, StreamMetric, textSummary, type AppLogger } from '@slack-ai-app/logging';
import type { ExecutionRequest, LegacyExecutionRequest } from '@slack-ai-app/payload-schemas';
import { classifyBedrockError, type ModelAnswer } from './bedrock';
import type { ReceivedEvent } from './event-shape';
import {
  BEDROCK_ACCESS_HINTS,
  BEDROCK_ERROR_CATALOGUE,
  BedrockInvocationError,
  ExecutionError,
  SlackApiError,
} from './errors';
import type { SlackClientObserver } from './slack';
import type { StreamFigures } from './stream-reply';

/**
 * The log fields and metrics of one invocation's steps: what the answer flow reports, kept out of the flow itself.
 * Never logs message text (only its summary) or a token.
 */
export class RunLog {
  /**
   * @param log - the invocation's logger
   * @param now - clock (ms)
   * @param startedAt - when the invocation started, on `now`
   * @param modelId - the configured model, named in the model's log lines
   */
  constructor(
    private readonly log: AppLogger,
    private readonly now: () => number,
    private readonly startedAt: number,
    private readonly modelId: string,
  ) {}

  /** Slack rate-limit notices (`Retry-After`) as `slack_rate_limited` warnings. */
  rateLimitObserver(): SlackClientObserver {
    return {
      onRateLimited: (retryAfterSeconds, method) =>
        this.log.event(LogEvent.SlackRateLimited, { method, retry_after_seconds: retryAfterSeconds }, 'warn'),
    };
  }

  /** `processing_started` for a current request: where it came from and what it asks, never the text itself. */
  currentStarted(request: ExecutionRequest, received: ReceivedEvent): void {
    this.log.event(LogEvent.ProcessingStarted, {
      source: received.source,
      caller_arn: received.callerArn,
      api_request_id: received.apiRequestId,
      channel: request.channel,
      team_id: request.team_id,
      user_id: request.user_id,
      in_thread: request.thread_ts !== undefined,
      notice: request.notice?.kind,
      idempotency: 'event_id',
      ...textSummary(request.text),
    });
  }

  /** `processing_started` for a legacy payload, which has no `event_id` and so cannot be deduplicated. */
  legacyStarted(request: LegacyExecutionRequest, received: ReceivedEvent): void {
    this.log.event(LogEvent.ProcessingStarted, {
      source: received.source,
      channel: request.channel,
      legacy: true,
      // A legacy payload has no event_id: it cannot be deduplicated.
      idempotency: 'none',
      ...textSummary(request.text),
    });
  }

  /** The model answered: latency and token metrics, and the answer's shape. */
  modelSuccess(answer: ModelAnswer, durationMs: number, turns: number, streamed: boolean): void {
    this.log.metric(
      LogEvent.BedrockInvocationSuccess,
      [
        { name: 'BedrockLatency', value: durationMs, unit: 'Milliseconds' },
        { name: 'InputTokens', value: answer.inputTokens, unit: 'Count' },
        { name: 'OutputTokens', value: answer.outputTokens, unit: 'Count' },
      ],
      { Service: 'execution' },
      {
        model_id: this.modelId,
        stop_reason: answer.stopReason,
        input_tokens: answer.inputTokens,
        output_tokens: answer.outputTokens,
        latency_ms: answer.latencyMs,
        duration_ms: durationMs,
        turns,
        answer_length: answer.text.length,
        ...(streamed ? { streamed } : {}),
      },
    );
  }

  /**
   * The model call failed: logged under its catalogue kind's event (error when retryable, else warn).
   *
   * @param error - what the call threw
   * @param started - when the call started, on `now`
   * @param extra - more fields (a broken stream's)
   * @returns the failure as a {@link BedrockInvocationError}
   */
  modelFailure(error: unknown, started: number, extra: Record<string, unknown> = {}): BedrockInvocationError {
    const failure = error instanceof BedrockInvocationError ? error : classifyBedrockError(error);
    const attempts = (failure.cause as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
    this.log.event(
      BEDROCK_ERROR_CATALOGUE[failure.kind].logEvent,
      {
        model_id: this.modelId,
        error: failure.awsErrorName,
        retryable: failure.retryable,
        attempts,
        duration_ms: this.now() - started,
        ...(failure.accessHint !== undefined ? { hint: failure.accessHint, check: BEDROCK_ACCESS_HINTS[failure.accessHint] } : {}),
        ...extra,
      },
      failure.retryable ? 'error' : 'warn',
    );
    return failure;
  }

  /** A stream ended whole: time to first and last text since the invocation started, and Slack calls. */
  streamStopped(figures: StreamFigures, firstTextAt: number, stopReason: string): void {
    this.log.metric(
      LogEvent.SlackStreamStopped,
      [
        { name: StreamMetric.TimeToFirstText, value: firstTextAt - this.startedAt, unit: 'Milliseconds' },
        { name: StreamMetric.TimeToLastText, value: this.now() - this.startedAt, unit: 'Milliseconds' },
        { name: StreamMetric.StreamSlackCalls, value: figures.calls, unit: 'Count' },
      ],
      { Service: 'execution' },
      { stream_ms: figures.lastTextMs, first_text_stream_ms: figures.firstTextMs, slack_calls: figures.calls, stop_reason: stopReason },
    );
  }
}

/**
 * The log fields of a failed invocation: the error's name, and its kind, Slack error, retryability and cause's name
 * where it has them. Never its message.
 *
 * @param error - what was thrown
 * @returns the fields
 */
export function failureFields(error: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = { error: errorName(error) };
  if (error instanceof ExecutionError) fields.retryable = error.retryable;
  if (error instanceof BedrockInvocationError) fields.kind = error.kind;
  if (error instanceof SlackApiError) fields.slack_error = error.slackError;
  if (error instanceof Error && error.cause !== undefined) fields.cause = errorName(error.cause);
  return fields;
}
