import type { DeployRequest, DeployTarget } from './deploy';
import { describeError } from './errors';
import type { RolloutDeps } from './rollout-deps';

/** How a failed rollback deploy is retried (CloudFormation refuses an update while another is in progress). */
export interface RollbackRetry {
  /** Deploy attempts in all. @default 5 */
  readonly attempts: number;
  /** Wait between attempts. @default 60 s */
  readonly delayMs: number;
}

/** Default {@link RollbackRetry}: 5 attempts, 60 s apart. */
export const DEFAULT_ROLLBACK_RETRY: RollbackRetry = Object.freeze({ attempts: 5, delayMs: 60_000 });

/**
 * The context of a stage deploy: the stage's percentage through the API, fallback kept. `useApiGateway` (which would
 * send every event through the API whatever the percentage) stays `false`: the percentage is the rollout's one knob.
 *
 * @param percentage - the stage's percentage
 * @returns the deploy target
 */
export function stageTarget(percentage: number): DeployTarget {
  return { percentage, useApiGateway: false, enableDirectInvokeFallback: true };
}

/**
 * The rollback target: 0 % through the API (`useApiGateway=false`), fallback on. It also restores the direct path
 * after a cleanup, and never removes the API itself, so it changes as little as possible in the middle of an incident.
 */
export const ROLLBACK_TARGET: DeployTarget = Object.freeze({
  percentage: 0,
  useApiGateway: false,
  enableDirectInvokeFallback: true,
});

/**
 * The cleanup target: 100 % through the API, fallback removed (no `BEDROCK_PROCESSOR_ARN`, no invoke grant). The
 * percentage stays the knob, so a later rollback is again a single deploy to 0 %.
 */
export const CLEANUP_TARGET: DeployTarget = Object.freeze({
  percentage: 100,
  useApiGateway: false,
  enableDirectInvokeFallback: false,
});

/**
 * Deploys `target`, retrying a failed deploy per `retry`.
 *
 * @throws DeployError from the last attempt
 */
export async function deployWithRetry(
  deps: Pick<RolloutDeps, 'deploy' | 'reporter' | 'clock'>,
  request: DeployRequest,
  retry: RollbackRetry,
): Promise<void> {
  const target = pickTarget(request);
  for (let attempt = 1; ; attempt += 1) {
    deps.reporter.emit({ type: 'deploy_started', reason: request.reason, target, command: deps.deploy.describe(request), attempt });
    try {
      await deps.deploy.deploy(request);
      deps.reporter.emit({ type: 'deploy_finished', reason: request.reason, target });
      return;
    } catch (error) {
      const last = attempt >= retry.attempts;
      deps.reporter.emit({
        type: 'deploy_failed',
        reason: request.reason,
        attempt,
        error: describeError(error),
        retryInMs: last ? undefined : retry.delayMs,
      });
      if (last) throw error;
      await deps.clock.sleep(retry.delayMs);
    }
  }
}

function pickTarget(request: DeployRequest): DeployTarget {
  return {
    percentage: request.percentage,
    useApiGateway: request.useApiGateway,
    enableDirectInvokeFallback: request.enableDirectInvokeFallback,
  };
}
