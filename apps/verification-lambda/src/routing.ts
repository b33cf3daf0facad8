import type { HandoffPath } from '@slack-ai-app/logging';
import { bucketOf } from '@slack-ai-app/stack-contract/lambda';
import type { HandoffConfig } from './config';

export type { HandoffPath };

/** Why a path was chosen; logged with the decision. */
export type RoutingReason =
  | 'use_api_gateway'
  | 'percentage'
  | 'api_gateway_disabled'
  | 'execution_api_url_missing'
  | 'execution_api_url_invalid';

/** The outcome of {@link chooseHandoffPath}. */
export interface RoutingDecision {
  readonly path: HandoffPath;
  readonly reason: RoutingReason;
  /** Set when `USE_API_GATEWAY_PERCENTAGE` decided: the event's bucket, 0 to 99. */
  readonly bucket?: number;
  /** Set when `USE_API_GATEWAY_PERCENTAGE` decided: whether the bucket fell inside the share (before the URL check). */
  readonly percentageSelectedApi?: boolean;
  /** Set when API traffic was wanted: the share in force (100 for `USE_API_GATEWAY=true`). */
  readonly percentage?: number;
}

/** The event's routing bucket, 0 to 99 (defined once in `@slack-ai-app/stack-contract`). */
export { bucketOf };

/**
 * Chooses the hand-off path for one event.
 *
 * `USE_API_GATEWAY=true` sends everything by API Gateway; otherwise `USE_API_GATEWAY_PERCENTAGE` sends the events whose
 * {@link bucketOf bucket} is below the percentage; otherwise the path is direct. When API traffic is wanted but the
 * execution API URL is missing or invalid, the event goes direct instead (never dropped).
 *
 * @param config - the hand-off configuration
 * @param eventId - Slack's `event_id`
 */
export function chooseHandoffPath(config: HandoffConfig, eventId: string): RoutingDecision {
  let wanted: RoutingDecision;
  if (config.useApiGateway) {
    wanted = { path: 'api', reason: 'use_api_gateway', percentage: 100 };
  } else if (config.apiGatewayPercentage !== undefined) {
    const bucket = bucketOf(eventId);
    const selected = bucket < config.apiGatewayPercentage;
    wanted = {
      path: selected ? 'api' : 'direct',
      reason: 'percentage',
      bucket,
      percentageSelectedApi: selected,
      percentage: config.apiGatewayPercentage,
    };
  } else {
    return { path: 'direct', reason: 'api_gateway_disabled' };
  }
  if (wanted.path === 'api' && !config.executionApi.ok) {
    return {
      ...wanted,
      path: 'direct',
      reason: config.executionApi.reason === 'missing' ? 'execution_api_url_missing' : 'execution_api_url_invalid',
    };
  }
  return wanted;
}
