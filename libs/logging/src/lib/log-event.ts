/**
 * The names of every event the two Lambdas log, as constants. The value is what appears in the `event` field of a log
 * line; names may be added but are never renamed (dashboards, metric filters and alarms depend on them).
 *
 * @example
 * ```ts
 * logger.event(LogEvent.ExecutionApiInvocationStarted, { url_host: 'abc.execute-api.us-east-1.amazonaws.com' });
 * ```
 */
export const LogEvent = Object.freeze({
  // verification Lambda
  SlackRequestReceived: 'slack_request_received',
  SlackSignatureInvalid: 'slack_signature_invalid',
  SlackRequestRejected: 'slack_request_rejected',
  SlackRetryReceived: 'slack_retry_received',
  UrlVerification: 'url_verification',
  EventIgnored: 'event_ignored',
  AuthorizationDenied: 'authorization_denied',
  TextRejected: 'text_rejected',
  ConfigInvalid: 'config_invalid',
  SecretFetchFailed: 'secret_fetch_failed',
  ApiGatewayPercentageCheck: 'api_gateway_percentage_check',
  ExecutionApiUrlMissing: 'execution_api_url_missing',
  ExecutionApiInvocationStarted: 'execution_api_invocation_started',
  ExecutionApiInvocationSuccess: 'execution_api_invocation_success',
  ExecutionApiInvocationError: 'execution_api_invocation_error',
  ExecutionApiInvocationFailed: 'execution_api_invocation_failed',
  DirectInvokeStarted: 'direct_invoke_started',
  DirectInvokeSuccess: 'direct_invoke_success',
  DirectInvokeFailed: 'direct_invoke_failed',
  FallbackToDirectInvoke: 'fallback_to_direct_invoke',
  FallbackSkipped: 'fallback_skipped',
  HandoffFailed: 'handoff_failed',
  HandoffCompleted: 'handoff_completed',
  // execution Lambda
  ProcessingStarted: 'processing_started',
  InvalidPayload: 'invalid_payload',
  DuplicateEventSkipped: 'duplicate_event_skipped',
  EventInProgress: 'event_in_progress',
  NoticePosted: 'notice_posted',
  ThreadHistoryFetched: 'thread_history_fetched',
  BedrockInvocationSuccess: 'bedrock_invocation_success',
  BedrockThrottled: 'bedrock_throttled',
  BedrockAccessDenied: 'bedrock_access_denied',
  BedrockTimeout: 'bedrock_timeout',
  BedrockValidationError: 'bedrock_validation_error',
  BedrockError: 'bedrock_error',
  SlackPostSuccess: 'slack_post_success',
  SlackPostFailed: 'slack_post_failed',
  SlackRateLimited: 'slack_rate_limited',
  ReactionFailed: 'reaction_failed',
  ProcessingCompleted: 'processing_completed',
  ProcessingFailed: 'processing_failed',
  IdempotencyStoreUnavailable: 'idempotency_store_unavailable',
  // execution Lambda, streamed answers (issue 16)
  SlackStreamStarted: 'slack_stream_started',
  SlackStreamFirstText: 'slack_stream_first_text',
  SlackStreamStopped: 'slack_stream_stopped',
  SlackStreamInterrupted: 'slack_stream_interrupted',
  SlackStreamUnavailable: 'slack_stream_unavailable',
  SlackStreamResumed: 'slack_stream_resumed',
  StreamCheckpointFailed: 'stream_checkpoint_failed',
} as const);

/** One of the {@link LogEvent} values, e.g. `'execution_api_invocation_started'`. */
export type LogEventName = (typeof LogEvent)[keyof typeof LogEvent];
