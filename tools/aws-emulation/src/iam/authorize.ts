import { compilePolicy, statementMatches, type CompiledStatement, type PrincipalMatch } from './compile-policy';
import type { NormalizedContext } from './conditions';
import { AuthorizationRequestError } from './errors';
import type { AuthorizationRequest, AuthorizationResult, CallerPrincipal, DecidingStatement, RequestContext } from './types';

/** `aws:PrincipalType` per caller type (IAM User Guide, "AWS global condition context keys", aws:PrincipalType). */
const PRINCIPAL_TYPE: Readonly<Partial<Record<CallerPrincipal['type'], string>>> = {
  role: 'AssumedRole',
  user: 'User',
  root: 'Account',
  anonymous: 'Anonymous',
};

/**
 * Decides one request as IAM does, from the caller's identity policies and the resource's policy.
 *
 * Sources (IAM User Guide):
 * - "Policy evaluation logic" and "Policy evaluation for requests within a single account"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html):
 *   an explicit Deny in any policy wins; in the same account, "if either the identity-based policy or the
 *   resource-based policy within the same account allows the request and the other doesn't, the request is still
 *   allowed".
 * - "Cross-account policy evaluation logic"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html):
 *   across accounts, both the identity policy and the resource policy must allow.
 * - API Gateway's Tables A (same account) and B (cross account), "How a resource policy affects authorization
 *   workflow" (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html).
 * - "Principal" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html):
 *   naming an account (`123456789012` or `arn:aws:iam::123456789012:root`) delegates to that account's identity
 *   policies, so such an Allow never grants access alone; it is the resource side of a cross-account grant.
 * - Service principals (`cloudwatch.amazonaws.com`...) have no identity policies: only the resource policy allows.
 * - KMS ("Key policies in AWS KMS", https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html): "unlike
 *   other AWS resource policies, a KMS key policy does not automatically give permission to the account or any of
 *   its identities": set `resourcePolicyRequired`.
 *
 * Every policy is validated in full before anything is decided, so an unsupported feature throws whatever the request.
 *
 * @param request - principal, action, resource, policies and context
 * @returns the decision, whether the call crossed accounts, and the statements that decided it
 * @throws UnsupportedPolicyFeatureError for valid IAM that is not emulated (it never allows by accident)
 * @throws MalformedPolicyError for a document that is not valid IAM JSON
 * @throws AuthorizationRequestError for a request field that cannot be used, named in the message
 */
export function authorize(request: AuthorizationRequest): AuthorizationResult {
  checkRequest(request);
  const identity = request.identityPolicies.map((document, n) => compilePolicy(document, 'identity', `identity policy ${n}`));
  const resource = request.resourcePolicy === undefined ? [] : compilePolicy(request.resourcePolicy, 'resource', 'resource policy');

  const { principal, action } = request;
  const crossAccount = principal.accountId !== undefined && principal.accountId !== request.resourceAccountId;
  const hasIdentity = principal.type !== 'service' && principal.type !== 'anonymous';
  const context = normalizeContext(principal, request.context);
  const applies = (statement: CompiledStatement): boolean => statementMatches(statement, action, request.resource, context);

  const denies: DecidingStatement[] = [];
  const identityAllows: DecidingStatement[] = [];
  const resourceAllows: Record<PrincipalMatch, DecidingStatement[]> = { direct: [], account: [] };

  if (hasIdentity) {
    identity.forEach((statements, document) => {
      for (const statement of statements) {
        if (!applies(statement)) continue;
        (statement.effect === 'Deny' ? denies : identityAllows).push(toDeciding('identity', document, statement));
      }
    });
  }
  for (const statement of resource) {
    const match = statement.principal?.(principal);
    if (match === undefined || !applies(statement)) continue;
    if (statement.effect === 'Deny') denies.push(toDeciding('resource', 0, statement));
    else resourceAllows[match].push(toDeciding('resource', 0, statement));
  }

  if (denies.length > 0) return { decision: 'explicit_deny', crossAccount, deciding: denies };
  const identityAllowed = identityAllows.length > 0;
  const direct = resourceAllows.direct;
  // An Allow for the caller's account only delegates to the account's identity policies.
  const delegated = identityAllowed ? resourceAllows.account : [];
  const grantedByResource = [...direct, ...delegated];
  let allows: DecidingStatement[] = [];
  if (crossAccount) {
    if (identityAllowed && grantedByResource.length > 0) allows = [...identityAllows, ...grantedByResource];
  } else if (request.resourcePolicyRequired === true) {
    if (grantedByResource.length > 0) allows = delegated.length > 0 ? [...identityAllows, ...grantedByResource] : direct;
  } else {
    allows = [...identityAllows, ...direct];
  }
  if (allows.length > 0) return { decision: 'allow', crossAccount, deciding: allows };
  return { decision: 'implicit_deny', crossAccount, deciding: [], missing: missingSide() };

  /** Which kind of policy lacked an Allow (AWS names one kind in its message, the identity side when both are silent). */
  function missingSide(): 'identity' | 'resource' {
    if (!hasIdentity) return 'resource';
    if (crossAccount) return identityAllowed ? 'resource' : 'identity';
    if (request.resourcePolicyRequired === true) return resourceAllows.account.length > 0 ? 'identity' : 'resource';
    return 'identity';
  }
}

const PRINCIPAL_TYPES: ReadonlySet<string> = new Set(['role', 'user', 'root', 'service', 'anonymous']);

function checkRequest(request: AuthorizationRequest): void {
  const { principal } = request;
  if (!PRINCIPAL_TYPES.has(principal?.type)) throw new AuthorizationRequestError('request.principal.type', 'must be role, user, root, service or anonymous');
  if (typeof principal.arn !== 'string' || principal.arn === '') throw new AuthorizationRequestError('request.principal.arn', 'must be a non-empty string');
  if (typeof request.action !== 'string' || !/^[A-Za-z0-9-]+:[A-Za-z0-9-]+$/.test(request.action)) {
    throw new AuthorizationRequestError('request.action', 'must be "<service>:<action>", without wildcards');
  }
  if (typeof request.resource !== 'string' || request.resource === '') throw new AuthorizationRequestError('request.resource', 'must be a non-empty string');
  if (!/^[0-9]{12}$/.test(request.resourceAccountId)) throw new AuthorizationRequestError('request.resourceAccountId', 'must be a 12-digit account id');
  if (!Array.isArray(request.identityPolicies)) throw new AuthorizationRequestError('request.identityPolicies', 'must be a list (empty for services)');
}

function toDeciding(policy: 'identity' | 'resource', document: number, statement: CompiledStatement): DecidingStatement {
  return {
    policy,
    document,
    index: statement.index,
    ...(statement.sid === undefined ? {} : { sid: statement.sid }),
    effect: statement.effect,
  };
}

/**
 * The request context with lower-cased keys: the keys IAM derives from the principal, then `context` over them.
 * Sources: "AWS global condition context keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html): aws:PrincipalArn and
 * aws:PrincipalAccount are absent for anonymous requests and service principals; aws:PrincipalServiceName is present
 * only for a service principal.
 */
function normalizeContext(principal: CallerPrincipal, context: RequestContext | undefined): NormalizedContext {
  const normalized = new Map<string, readonly string[]>();
  if (principal.type === 'service') {
    normalized.set('aws:principalservicename', [principal.service ?? principal.arn]);
  } else if (principal.type !== 'anonymous') {
    normalized.set('aws:principalarn', [principal.arn]);
    if (principal.accountId !== undefined) normalized.set('aws:principalaccount', [principal.accountId]);
  }
  const type = PRINCIPAL_TYPE[principal.type];
  if (type !== undefined) normalized.set('aws:principaltype', [type]);
  for (const [key, value] of Object.entries(context ?? {})) {
    normalized.set(key.toLowerCase(), typeof value === 'string' ? [value] : value);
  }
  return normalized;
}
