import type { AppLogger, MetricValue } from '@slack-ai-app/logging';
import { HandoffMetric, LogEvent, redactSecrets } from '@slack-ai-app/logging';
import type { ExecutionRequest } from '@slack-ai-app/payload-schemas';
import { describeError, errorName } from '@slack-ai-app/errors';
import { type ApiAttempt, apiVerdict } from './handoff-outcome';
import type { HandoffPath, RoutingDecision } from './routing';

/** Sends an ExecutionRequest to `POST /execute`, SigV4-signed. Never throws: every failure is an {@link ApiAttempt}. */
export interface ExecutionApiClient {
  post(request: ExecutionRequest, correlationId: string): Promise<ApiAttempt>;
}

/** Invokes the execution Lambda asynchronously (`InvocationType: 'Event'`). */
export interface DirectInvoker {
  /**
   * @returns the StatusCode Lambda answered (202 on success)
   * @throws {@link DirectInvokeError} when Lambda did not answer 202 or the call failed
   */
  invoke(request: ExecutionRequest): Promise<number>;
}

/** The hand-off metrics this layer emits (defined in libs/logging, read by apps/infra and tools/rollout). */
export { HandoffMetric };

/** Dependencies of {@link handOff}. */
export interface HandoffDeps {
  /** The API path; `undefined` when there is no usable execution API URL. */
  readonly api: ExecutionApiClient | undefined;
  /** The direct path; `undefined` when `BEDROCK_PROCESSOR_ARN` is not set. */
  readonly direct: DirectInvoker | undefined;
  readonly logger: AppLogger;
  /** Clock, epoch milliseconds. */
  readonly now: () => number;
}

/** The outcome of {@link handOff}. */
export type HandoffResult =
  | { readonly ok: true; readonly path: HandoffPath; readonly fellBack: boolean }
  /** `payload_rejected`: the API answered 400; `failed`: every available path failed (Slack should retry). */
  | { readonly ok: false; readonly reason: 'payload_rejected' | 'failed' };

const BODY_EXCERPT_CHARS = 200;

/**
 * Hands one ExecutionRequest to the execution layer by the chosen path, falling back from the API path to the direct
 * path per {@link apiVerdict}, and logs each step (with EMF metrics on the outcome events).
 *
 * @param request - the ExecutionRequest
 * @param decision - the routing decision for this event
 * @param deps - the two paths, logger and clock
 * @returns where it was delivered, or why not; never throws
 */
export async function handOff(request: ExecutionRequest, decision: RoutingDecision, deps: HandoffDeps): Promise<HandoffResult> {
  const started = deps.now();
  if (decision.path === 'api' && deps.api !== undefined) {
    const verdict = await attemptApi(request, deps.api, deps);
    if (verdict.action === 'success') return completed(deps, 'api', false, started);
    if (verdict.action === 'no_fallback') {
      deps.logger.event(LogEvent.FallbackSkipped, { reason: verdict.reason }, 'error');
      return failed(deps, 'payload_rejected');
    }
    if (deps.direct === undefined) {
      deps.logger.event(LogEvent.FallbackSkipped, { reason: 'bedrock_processor_arn_missing', api_failure: verdict.reason }, 'error');
      return failed(deps, 'failed');
    }
    deps.logger.metric(LogEvent.FallbackToDirectInvoke, [{ name: HandoffMetric.Fallback, value: 1, unit: 'Count' }], { path: 'api' }, {
      reason: verdict.reason,
    });
    return (await attemptDirect(request, deps.direct, deps)) ? completed(deps, 'direct', true, started) : failed(deps, 'failed');
  }
  if (deps.direct === undefined) {
    // Configuration makes this unreachable (BEDROCK_PROCESSOR_ARN is required whenever the direct path can be chosen).
    deps.logger.event(LogEvent.HandoffFailed, { reason: 'no_path_available' }, 'error');
    return { ok: false, reason: 'failed' };
  }
  return (await attemptDirect(request, deps.direct, deps)) ? completed(deps, 'direct', false, started) : failed(deps, 'failed');
}

async function attemptApi(request: ExecutionRequest, api: ExecutionApiClient, deps: HandoffDeps) {
  deps.logger.event(LogEvent.ExecutionApiInvocationStarted, { event_id: request.event_id });
  const attempt = await api.post(request, request.correlation_id);
  const verdict = apiVerdict(attempt);
  const dimensions = { path: 'api' };
  if (verdict.action === 'success' && attempt.kind === 'response') {
    deps.logger.metric(
      LogEvent.ExecutionApiInvocationSuccess,
      [
        { name: HandoffMetric.Latency, value: attempt.latencyMs, unit: 'Milliseconds' },
        { name: HandoffMetric.Success, value: 1, unit: 'Count' },
      ],
      dimensions,
      { status: attempt.status, latency_ms: attempt.latencyMs },
    );
  } else if (attempt.kind === 'response') {
    const metrics: MetricValue[] = [{ name: HandoffMetric.Error, value: 1, unit: 'Count' }];
    if (attempt.status === 403) metrics.push({ name: HandoffMetric.AuthError, value: 1, unit: 'Count' });
    deps.logger.metric(LogEvent.ExecutionApiInvocationError, metrics, dimensions, {
      status: attempt.status,
      reason: verdict.action === 'success' ? undefined : verdict.reason,
      latency_ms: attempt.latencyMs,
      body_excerpt: excerpt(attempt.body),
    });
  } else {
    deps.logger.metric(LogEvent.ExecutionApiInvocationFailed, [{ name: HandoffMetric.Failed, value: 1, unit: 'Count' }], dimensions, {
      reason: verdict.action === 'success' ? undefined : verdict.reason,
      latency_ms: attempt.latencyMs,
      error: describeError(attempt.error),
    });
  }
  return verdict;
}

async function attemptDirect(request: ExecutionRequest, direct: DirectInvoker, deps: HandoffDeps): Promise<boolean> {
  deps.logger.event(LogEvent.DirectInvokeStarted, { event_id: request.event_id });
  const started = deps.now();
  const dimensions = { path: 'direct' };
  try {
    const statusCode = await direct.invoke(request);
    const latencyMs = deps.now() - started;
    deps.logger.metric(
      LogEvent.DirectInvokeSuccess,
      [
        { name: HandoffMetric.Latency, value: latencyMs, unit: 'Milliseconds' },
        { name: HandoffMetric.Success, value: 1, unit: 'Count' },
      ],
      dimensions,
      { status_code: statusCode, latency_ms: latencyMs },
    );
    return true;
  } catch (error) {
    deps.logger.metric(LogEvent.DirectInvokeFailed, [{ name: HandoffMetric.Failed, value: 1, unit: 'Count' }], dimensions, {
      latency_ms: deps.now() - started,
      error_kind: errorName(error),
      error: describeError(error),
    });
    return false;
  }
}

function completed(deps: HandoffDeps, path: HandoffPath, fellBack: boolean, started: number): HandoffResult {
  deps.logger.event(LogEvent.HandoffCompleted, { path, fell_back: fellBack, latency_ms: deps.now() - started });
  return { ok: true, path, fellBack };
}

function failed(deps: HandoffDeps, reason: 'payload_rejected' | 'failed'): HandoffResult {
  deps.logger.event(LogEvent.HandoffFailed, { reason }, 'error');
  return { ok: false, reason };
}

function excerpt(body: string): string {
  const text = body.length > BODY_EXCERPT_CHARS ? `${body.slice(0, BODY_EXCERPT_CHARS)}…` : body;
  return redactSecrets(text);
}
