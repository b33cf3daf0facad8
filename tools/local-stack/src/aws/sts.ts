import type { HttpReply, HttpRequestData } from '../http/types';
import type { LocalPrincipal } from '../iam/principals';
import { LOCAL_ACCOUNT_ID } from '../constants';
import { queryError, queryParams, queryResponse, xmlText } from './query-protocol';

/** STS's Query namespace (API version 2011-06-15). */
const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * STS `GetCallerIdentity` (Query protocol): who the signed request's credentials belong to. `Arn` is the caller ARN
 * (`arn:aws:sts::…:assumed-role/<role>/<session>` for a role session, the user ARN for a user), `UserId` the role id
 * and session or the user id, `Account` the account.
 * Source: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 *
 * @returns a handler for authenticated requests; any other action gets `InvalidAction`
 */
export function createStsHandler(): (request: HttpRequestData, principal: LocalPrincipal) => Promise<HttpReply> {
  return async (request, principal) => {
    const action = queryParams(request).get('Action') ?? '';
    if (action !== 'GetCallerIdentity') {
      return queryError(400, 'InvalidAction', `The local stack emulates only STS GetCallerIdentity, not ${action || 'an unnamed action'}.`);
    }
    const result =
      `<Arn>${xmlText(principal.callerArn)}</Arn><UserId>${xmlText(principal.callerId)}</UserId>` +
      `<Account>${principal.accountId ?? LOCAL_ACCOUNT_ID}</Account>`;
    return queryResponse(action, STS_NAMESPACE, result);
  };
}
