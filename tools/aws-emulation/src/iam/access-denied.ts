import type { AuthorizationRequest, AuthorizationResult } from './types';

/**
 * The IAM access-denied message most services send: `User: <caller> is not authorized to perform: <action> on
 * resource: <resource>` and the reason, `because no <type> policy allows the <action> action` (implicit deny) or
 * `with an explicit deny in a <type> policy` (explicit deny), `<type>` being `identity-based` or `resource-based`.
 * Source: IAM User Guide, "Troubleshoot access denied error messages"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html): "If multiple policy types deny
 * an authorization request, AWS includes only one of those policy types in the error message." Each service wraps
 * this message in its own error shape (code, status, protocol); that wrapping belongs to the service's emulator.
 *
 * @param request - the request that was decided
 * @param result - its denial (`explicit_deny` or `implicit_deny`)
 * @returns the message; the caller is the role session ARN when there is one, as AWS shows it
 * @throws RangeError for an `allow` result (there is nothing to explain)
 */
export function iamAccessDeniedMessage(request: AuthorizationRequest, result: AuthorizationResult): string {
  if (result.decision === 'allow') throw new RangeError('iamAccessDeniedMessage: the request was allowed');
  const caller = request.principal.sessionArn ?? request.principal.arn;
  const head = `User: ${caller} is not authorized to perform: ${request.action} on resource: ${request.resource}`;
  if (result.decision === 'explicit_deny') {
    return `${head} with an explicit deny in ${policyType(result.deciding[0]?.policy ?? 'identity', true)}`;
  }
  return `${head} because no ${policyType(result.missing ?? 'identity', false)} allows the ${request.action} action`;
}

function policyType(kind: 'identity' | 'resource', withArticle: boolean): string {
  const name = kind === 'identity' ? 'identity-based policy' : 'resource-based policy';
  return withArticle ? `${kind === 'identity' ? 'an' : 'a'} ${name}` : name;
}
