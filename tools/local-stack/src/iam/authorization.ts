import { authorize, type AuthorizationResult, type CallerPrincipal, type PolicyDocument, type RequestContext } from '@slack-ai-app/aws-emulation';
import { LOCAL_ACCOUNT_ID, accountOfArn } from '../constants';
import type { LocalPrincipal } from './principals';

/**
 * The principal IAM sees for a local caller: a role session (its role ARN as `aws:PrincipalArn`, the assumed-role ARN
 * in messages) or an IAM user.
 *
 * @param principal - the authenticated local principal
 */
export function callerOf(principal: LocalPrincipal): CallerPrincipal {
  const role = principal.principalArn.includes(':role/');
  return {
    type: role ? 'role' : 'user',
    arn: principal.principalArn,
    ...(role ? { sessionArn: principal.callerArn } : {}),
    accountId: principal.accountId ?? LOCAL_ACCOUNT_ID,
  };
}

/**
 * An AWS service acting as a principal (e.g. `cloudwatch.amazonaws.com` publishing an alarm to a topic).
 *
 * @param service - the service principal name
 */
export function servicePrincipal(service: string): CallerPrincipal {
  return { type: 'service', arn: service, service };
}

/**
 * Authorizes a local caller's request: the caller's identity policies and the resource's policy, by the one general
 * evaluator (`@slack-ai-app/aws-emulation`). The resource's account is the one in its ARN, so a caller of another
 * local account is evaluated with the cross-account rule (both policies must allow). Local endpoints are plain HTTP on loopback, but they
 * stand for AWS's HTTPS endpoints, so `aws:SecureTransport` is `true`.
 *
 * @param principal - the caller
 * @param action - e.g. `secretsmanager:GetSecretValue`
 * @param resource - the resource ARN
 * @param resourcePolicy - the resource's policy, if it has one
 * @param context - further context keys
 */
export function authorizeCaller(
  principal: LocalPrincipal,
  action: string,
  resource: string,
  resourcePolicy?: PolicyDocument,
  context: RequestContext = {},
): AuthorizationResult {
  const caller = callerOf(principal);
  const request = {
    principal: caller,
    action,
    resource,
    // An ARN without an account (a Bedrock foundation model, `*`) belongs to no other account: the caller's own.
    resourceAccountId: accountOfArn(resource) ?? caller.accountId ?? LOCAL_ACCOUNT_ID,
    identityPolicies: principal.identityPolicies,
    ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
    context: { 'aws:SecureTransport': 'true', ...context },
  };
  const result = authorize(request);
  if (result.decision !== 'implicit_deny' || !result.crossAccount) return result;
  // Which policy type a cross-account implicit deny names, as observed on AWS (DevelopersIO, "アクセス拒否エラー
  // メッセージにポリシータイプが記載されるようになったが VPC エンドポイントポリシーとクロスアカウントの場合はどうだ",
  // https://dev.classmethod.jp/articles/access-denied-error-message-vpcendpoint-crossaccount/, table rows 2-5):
  // "identity-based" only when the resource policy names the caller itself and its identity policy is silent;
  // otherwise "resource-based", even when it is the identity policy that lacks the Allow (an account-wide grant, or
  // none at all). Whether the resource policy names the caller: it alone allows the same call from the resource's account.
  const namesCaller =
    resourcePolicy !== undefined &&
    authorize({ ...request, principal: { ...request.principal, accountId: request.resourceAccountId }, identityPolicies: [] }).decision === 'allow';
  return { ...result, missing: namesCaller ? 'identity' : 'resource' };
}

/**
 * The end of an AWS access-denied message after the action and resource, as IAM words it: "because no
 * identity-based policy allows the <action> action", or "with an explicit deny in a(n) identity-based /
 * resource-based policy" (IAM User Guide, "Troubleshoot access denied error messages":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 *
 * @param result - the decision
 * @param action - the action as the service names it in messages
 * @param implicitSubject - which policy "allows" nothing in the same account: `identity-based` or `resource-based`.
 *   Across accounts the message names `result.missing`, as {@link authorizeCaller} sets it.
 */
export function deniedBecause(result: AuthorizationResult, action: string, implicitSubject: 'identity-based' | 'resource-based'): string {
  if (result.decision === 'explicit_deny') {
    const where = result.deciding[0]?.policy === 'resource' ? 'a resource-based policy' : 'an identity-based policy';
    return `with an explicit deny in ${where}`;
  }
  const subject = result.crossAccount && result.missing !== undefined ? `${result.missing}-based` : implicitSubject;
  return `because no ${subject} policy allows the ${action} action`;
}
