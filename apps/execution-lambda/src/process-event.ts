import { errorName } from '@slack-ai-app/errors';
import { LogEvent } from '@slack-ai-app/logging';
import { parseHandoffPayload } from '@slack-ai-app/payload-schemas';
import type { Context } from 'aws-lambda';
import { answerCurrent, answerLegacy } from './answer-flow';
import { EventInProgressError, IdempotencyStoreError } from './errors';
import { detectEventShape } from './event-shape';
import { failureFields } from './run-log';
import { startRun, type ExecutionDeps, type ExecutionOutcome } from './run';

/**
 * Process one execution event, from either delivery path.
 *
 * Validates the payload (an invalid one is logged as `invalid_payload` and dropped: a retry cannot fix it), then
 * runs the request inside the idempotency guard keyed on `event_id` (a legacy payload, which has none, runs
 * unguarded). Terminal failures post a friendly message and resolve; transient ones are thrown for Lambda's async
 * retries and failure destination.
 *
 * @param event - an `ExecutionApiEvent`, an ExecutionRequest or a legacy `{channel, text, bot_token}`
 * @param context - the Lambda context (remaining time bounds the in-progress record and the model call)
 * @returns what was done
 * @throws {@link EventInProgressError}, {@link IdempotencyStoreError}, `BotTokenError`, and retryable
 * {@link SlackApiError} / {@link BedrockInvocationError}: every error thrown is retryable
 */
export async function processExecutionEvent(
  event: unknown,
  context: Context,
  deps: ExecutionDeps,
): Promise<ExecutionOutcome> {
  const now = deps.now ?? Date.now;
  const started = now();
  const received = detectEventShape(event);
  const parsed = parseHandoffPayload(received.payload);
  const correlationId =
    parsed.ok && parsed.value.kind === 'current' ? parsed.value.request.correlation_id : received.correlationId;
  const log = deps.logger.forInvocation(context, correlationId);

  if (!parsed.ok) {
    log.event(
      LogEvent.InvalidPayload,
      {
        source: received.source,
        fields: [...new Set(parsed.error.issues.map((issue) => issue.path))],
        issues: parsed.error.issues,
      },
      'warn',
    );
    return { outcome: 'invalid_payload' };
  }

  const eventId = parsed.value.kind === 'current' ? parsed.value.request.event_id : undefined;
  const runLog = eventId !== undefined ? log.child({ event_id: eventId }) : log;
  const run = startRun(deps, runLog, context);
  try {
    let outcome: ExecutionOutcome;
    if (parsed.value.kind === 'legacy') {
      outcome = await answerLegacy(run, parsed.value.request, received);
    } else {
      const request = parsed.value.request;
      const result = await deps.guard.run(request.event_id, context, () => answerCurrent(run, request, received), {
        onStoreFailure: (stage, error) =>
          runLog.event(LogEvent.IdempotencyStoreUnavailable, { stage, error: errorName(error) }, 'error'),
      });
      if (result.status === 'duplicate') {
        runLog.event(LogEvent.DuplicateEventSkipped, {
          source: received.source,
          previous_outcome: typeof result.outcome?.outcome === 'string' ? result.outcome.outcome : undefined,
        });
        return { outcome: 'duplicate' };
      }
      outcome = result.outcome;
    }
    runLog.event(LogEvent.ProcessingCompleted, { ...outcome, duration_ms: now() - started });
    return outcome;
  } catch (error) {
    if (error instanceof EventInProgressError) {
      runLog.event(LogEvent.EventInProgress, { source: received.source, will_retry: true }, 'warn');
    } else if (error instanceof IdempotencyStoreError) {
      runLog.event(LogEvent.IdempotencyStoreUnavailable, { stage: 'save_in_progress', ...failureFields(error) }, 'error');
    }
    runLog.event(
      LogEvent.ProcessingFailed,
      { ...failureFields(error), duration_ms: now() - started },
      error instanceof EventInProgressError ? 'warn' : 'error',
    );
    throw error;
  }
}
