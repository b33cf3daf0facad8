import { isExecutionApiEvent } from '@slack-ai-app/execution-api-contract';

/** How the event reached this function, and the hand-off payload it carries (not yet validated). */
export interface ReceivedEvent {
  /** `api_gateway`: an `ExecutionApiEvent` from `POST /execute`; `direct`: an async `lambda:Invoke` payload. */
  readonly source: 'api_gateway' | 'direct';
  /** The ExecutionRequest (or legacy payload) to validate. */
  readonly payload: unknown;
  /** API Gateway only: the `X-Correlation-Id` the integration mapped, when the caller sent one. */
  readonly correlationId?: string;
  /** API Gateway only: the API Gateway request id. */
  readonly apiRequestId?: string;
  /** API Gateway only: the IAM principal that signed the request (logged for audit). */
  readonly callerArn?: string;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    // Left as a string: validation then reports "expected object" without quoting the body.
    return body;
  }
}

/**
 * Tell the two delivery paths apart: an `ExecutionApiEvent` (kind `execution_api_request`, per
 * `@slack-ai-app/execution-api-contract`) carries the request in `body`; anything else is a direct payload.
 */
export function detectEventShape(event: unknown): ReceivedEvent {
  if (isExecutionApiEvent(event)) {
    return {
      source: 'api_gateway',
      payload: parseBody(event.body),
      // The template renders a missing X-Correlation-Id as ''.
      ...(event.correlationId !== '' ? { correlationId: event.correlationId } : {}),
      apiRequestId: event.requestId,
      callerArn: event.identity.userArn,
    };
  }
  return { source: 'direct', payload: event };
}
