import { randomUUID } from 'node:crypto';
import type { AppLogger, LambdaContextLike } from '@slack-ai-app/logging';
import { LogEvent } from '@slack-ai-app/logging';
import { type ExecutionRequest, MAX_TEXT_LENGTH } from '@slack-ai-app/payload-schemas';
import { checkAllowList } from './allow-list';
import type { VerificationConfig } from './config';
import { describeError } from '@slack-ai-app/errors';
import { errorResponse, type FunctionUrlResponse, jsonResponse, readFunctionUrlRequest } from './function-url';
import { type DirectInvoker, type ExecutionApiClient, handOff } from './handoff';
import { prepareText } from './message-text';
import { chooseHandoffPath } from './routing';
import { botUserIdOf, classifyEvent, parseSlackBody, type SlackEventCallback } from './slack-events';
import { checkSlackRequestParts, signatureMatches, type SlackSignedParts, slackSignatureFailureMessage } from './slack-signature';
import type { SigningSecretProvider } from './signing-secret';

/** Everything {@link handleSlackRequest} needs, built once per container by the handler (or by a test). */
export interface VerificationDeps {
  readonly config: VerificationConfig;
  readonly secrets: SigningSecretProvider;
  /** The API path; `undefined` when `EXECUTION_API_URL` is missing or invalid. */
  readonly api: ExecutionApiClient | undefined;
  /** The direct path; `undefined` when `BEDROCK_PROCESSOR_ARN` is not set. */
  readonly direct: DirectInvoker | undefined;
  readonly logger: AppLogger;
  /** Clock, epoch milliseconds. */
  readonly now: () => number;
}

const OK = jsonResponse(200, { ok: true });

/**
 * The verification core: authenticates a Slack request (failing closed), decides whether the bot answers it, and hands
 * it to the execution layer.
 *
 * Answers:
 * - 200 `{"challenge"}` for a verified `url_verification`;
 * - 200 `{"ok":true}` when handed off, ignored, denied by the allow-list, or refused by the execution API with 400 (a
 *   retry cannot fix our own payload bug);
 * - 400 / 405 / 413 JSON for malformed input; 401 JSON for anything that fails verification;
 * - 500 JSON when every hand-off path failed, so that Slack retries (the execution layer is idempotent on `event_id`).
 *
 * Never throws.
 *
 * @param event - the Function URL event (payload format 2.0), untrusted
 * @param context - the Lambda context; its `awsRequestId` is the correlation id of this delivery
 * @param deps - configuration, secret provider, hand-off paths, logger and clock
 */
export async function handleSlackRequest(
  event: unknown,
  context: LambdaContextLike | undefined,
  deps: VerificationDeps,
): Promise<FunctionUrlResponse> {
  const correlationId = context?.awsRequestId ?? randomUUID();
  const logger = deps.logger.forInvocation(context, correlationId);
  try {
    return await verifyAndDispatch(event, correlationId, logger, deps);
  } catch (error) {
    // Defensive: every step above handles its own failures; this keeps a bug from becoming an unhandled rejection.
    logger.event(LogEvent.SlackRequestRejected, { status: 500, reason: 'internal_error', error: describeError(error) }, 'error');
    return errorResponse(500, 'internal error');
  }
}

async function verifyAndDispatch(
  event: unknown,
  correlationId: string,
  logger: AppLogger,
  deps: VerificationDeps,
): Promise<FunctionUrlResponse> {
  const read = readFunctionUrlRequest(event);
  if (!read.ok) {
    logger.event(LogEvent.SlackRequestRejected, { status: read.statusCode, reason: read.error }, 'warn');
    return errorResponse(read.statusCode, read.error);
  }
  const { headers, body } = read.request;
  const retryHeader = headers.get('x-slack-retry-num');
  // Logged as a number when it is one; anything else is kept (capped) so that an odd header is still visible.
  const retryNum = retryHeader === undefined ? undefined : /^\d{1,6}$/.test(retryHeader) ? Number(retryHeader) : retryHeader.slice(0, 32);
  const retryReason = headers.get('x-slack-retry-reason')?.slice(0, 64);
  logger.event(LogEvent.SlackRequestReceived, { body_bytes: body?.length ?? 0, retry_num: retryNum });

  const parts: SlackSignedParts = {
    signature: headers.get('x-slack-signature'),
    timestamp: headers.get('x-slack-request-timestamp'),
    body,
  };
  const verified = await verifySignature(parts, logger, deps);
  if (verified !== undefined) return verified;

  const parsed = parseSlackBody(body as Buffer);
  if (!parsed.ok) {
    logger.event(LogEvent.SlackRequestRejected, { status: 400, reason: parsed.error }, 'warn');
    return errorResponse(400, parsed.error);
  }
  const delivery = parsed.delivery;
  if (retryNum !== undefined) {
    logger.event(LogEvent.SlackRetryReceived, {
      retry_num: retryNum,
      retry_reason: retryReason,
      event_id: delivery.kind === 'event_callback' ? delivery.envelope.event_id : undefined,
    });
  }
  switch (delivery.kind) {
    case 'url_verification':
      logger.event(LogEvent.UrlVerification, {});
      return jsonResponse(200, { challenge: delivery.challenge });
    case 'other':
      logger.event(LogEvent.EventIgnored, { reason: 'unsupported_envelope_type', envelope_type: delivery.type });
      return OK;
    case 'event_callback':
      return dispatchEvent(
        delivery.envelope,
        correlationId,
        logger.child({ event_id: delivery.envelope.event_id, event_type: delivery.envelope.event.type }),
        deps,
      );
  }
}

/** Returns `undefined` when the request is authentic, else the 401 to answer. */
async function verifySignature(parts: SlackSignedParts, logger: AppLogger, deps: VerificationDeps): Promise<FunctionUrlResponse | undefined> {
  const check = checkSlackRequestParts(parts, Math.floor(deps.now() / 1000));
  if (!check.ok) {
    const invalid = check.reason === 'stale_timestamp' || check.reason === 'future_timestamp';
    logger.event(invalid ? LogEvent.SlackSignatureInvalid : LogEvent.SlackRequestRejected, { status: 401, reason: check.reason }, 'warn');
    return errorResponse(401, slackSignatureFailureMessage(check.reason));
  }

  let secret: string;
  try {
    secret = await deps.secrets.get();
  } catch (error) {
    logger.event(LogEvent.SecretFetchFailed, { error: describeError(error) }, 'error');
    logger.event(LogEvent.SlackRequestRejected, { status: 401, reason: 'missing_secret' }, 'warn');
    return errorResponse(401, slackSignatureFailureMessage('missing_secret'));
  }
  if (signatureMatches(parts, secret)) return undefined;

  // The secret may have been rotated since it was cached: re-read once, then decide.
  let refreshed: string | undefined;
  try {
    refreshed = await deps.secrets.refresh();
  } catch (error) {
    logger.event(LogEvent.SecretFetchFailed, { error: describeError(error), during: 'refresh' }, 'warn');
  }
  if (refreshed !== undefined && refreshed !== secret && signatureMatches(parts, refreshed)) return undefined;
  logger.event(LogEvent.SlackSignatureInvalid, { status: 401, reason: 'signature_mismatch', secret_refreshed: refreshed !== undefined }, 'warn');
  return errorResponse(401, slackSignatureFailureMessage('signature_mismatch'));
}

async function dispatchEvent(
  envelope: SlackEventCallback,
  correlationId: string,
  logger: AppLogger,
  deps: VerificationDeps,
): Promise<FunctionUrlResponse> {
  const botUserId = botUserIdOf(envelope, deps.config.botUserId);
  const decision = classifyEvent(envelope, botUserId);
  if (decision.action === 'ignore') {
    logger.event(LogEvent.EventIgnored, { reason: decision.reason, subtype: decision.subtype });
    return OK;
  }
  if (decision.action === 'reject') {
    logger.event(LogEvent.SlackRequestRejected, { status: 400, reason: decision.error }, 'warn');
    return errorResponse(400, decision.error);
  }
  const accepted = decision.event;

  const allowed = checkAllowList(deps.config.allowList, accepted);
  if (!allowed.allowed) {
    logger.event(
      LogEvent.AuthorizationDenied,
      { dimension: allowed.dimension, team_id: accepted.teamId, user_id: accepted.userId, channel: accepted.channel },
      'warn',
    );
    return OK;
  }

  const text = prepareText(accepted.text, botUserId, MAX_TEXT_LENGTH);
  if (!text.ok) logger.event(LogEvent.TextRejected, { notice: text.notice.kind, text_length: text.textLength });

  const request: ExecutionRequest = {
    channel: accepted.channel,
    text: text.ok ? text.text : '',
    user_id: accepted.userId,
    team_id: accepted.teamId,
    event_id: accepted.eventId,
    correlation_id: correlationId,
    message_ts: accepted.ts,
    ...(accepted.threadTs === undefined ? {} : { thread_ts: accepted.threadTs }),
    ...(text.ok ? {} : { notice: text.notice }),
  };

  const route = chooseHandoffPath(deps.config.handoff, accepted.eventId);
  if (route.reason === 'percentage' || route.bucket !== undefined) {
    logger.event(LogEvent.ApiGatewayPercentageCheck, {
      bucket: route.bucket,
      percentage: route.percentage,
      decision: route.percentageSelectedApi === true ? 'api' : 'direct',
    });
  }
  if (route.reason === 'execution_api_url_missing' || route.reason === 'execution_api_url_invalid') {
    logger.event(LogEvent.ExecutionApiUrlMissing, { reason: route.reason, path: route.path }, 'warn');
  }

  const result = await handOff(request, route, { api: deps.api, direct: deps.direct, logger, now: deps.now });
  if (result.ok || result.reason === 'payload_rejected') return OK;
  return errorResponse(500, 'hand-off to the execution layer failed; retry later');
}
