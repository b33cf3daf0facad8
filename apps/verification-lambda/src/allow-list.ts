import type { AllowListConfig } from './config';

/** Which allow-list refused a request. */
export type AllowListDimension = 'team' | 'user' | 'channel';

/** The outcome of {@link checkAllowList}. */
export type AllowListDecision = { readonly allowed: true } | { readonly allowed: false; readonly dimension: AllowListDimension };

/**
 * Checks a request against the optional allow-lists. A list left unset does not restrict; every list that is set must
 * contain the request's id. Lists are checked team, then user, then channel; the first refusal is reported.
 *
 * @param allowList - from `ALLOWED_TEAM_IDS`, `ALLOWED_USER_IDS`, `ALLOWED_CHANNEL_IDS`
 * @param ids - the request's team, user and channel ids
 */
export function checkAllowList(
  allowList: AllowListConfig,
  ids: { readonly teamId: string; readonly userId: string; readonly channel: string },
): AllowListDecision {
  if (allowList.teamIds !== undefined && !allowList.teamIds.has(ids.teamId)) return { allowed: false, dimension: 'team' };
  if (allowList.userIds !== undefined && !allowList.userIds.has(ids.userId)) return { allowed: false, dimension: 'user' };
  if (allowList.channelIds !== undefined && !allowList.channelIds.has(ids.channel)) return { allowed: false, dimension: 'channel' };
  return { allowed: true };
}
