/** One statement of an identity-based policy (no `Principal`: it applies to whoever it is attached to). */
export interface IdentityStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}

/** An identity-based IAM policy document. */
export interface IdentityPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IdentityStatement[];
}

/** The outcome of evaluating one policy: an explicit Allow, an explicit Deny, or silence. */
export type PolicyDecision = 'allow' | 'explicit_deny' | 'implicit_deny';

/**
 * Evaluates an identity policy for one action on one resource: any matching Deny wins, then any matching Allow,
 * otherwise the policy is silent. `Action` matches case-insensitively, `Resource` case-sensitively; both accept the
 * IAM wildcards `*` and `?`.
 *
 * @param policy - the identity policy
 * @param action - e.g. `execute-api:Invoke`
 * @param resourceArn - e.g. `arn:aws:execute-api:us-east-1:000000000000:localapi/prod/POST/execute`
 * @returns the decision
 */
export function evaluateIdentityPolicy(policy: IdentityPolicy, action: string, resourceArn: string): PolicyDecision {
  let allowed = false;
  for (const statement of policy.Statement) {
    const matches =
      list(statement.Action).some((pattern) => globMatch(pattern.toLowerCase(), action.toLowerCase())) &&
      list(statement.Resource).some((pattern) => globMatch(pattern, resourceArn));
    if (!matches) continue;
    if (statement.Effect === 'Deny') return 'explicit_deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit_deny';
}

/**
 * Combines an identity-policy decision and a resource-policy decision for a caller in the API owner's own account:
 * Table A of `docs/api-gateway-behaviour.md` §3 ("either the user policies or the resource policy must
 * explicitly allow", and any explicit Deny wins).
 *
 * @param identity - the caller's identity-policy decision
 * @param resource - the API's resource-policy decision
 */
export function combineSameAccount(identity: PolicyDecision, resource: PolicyDecision): PolicyDecision {
  if (identity === 'explicit_deny' || resource === 'explicit_deny') return 'explicit_deny';
  if (identity === 'allow' || resource === 'allow') return 'allow';
  return 'implicit_deny';
}

function list(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

/** IAM glob: `*` matches any run of characters, `?` any one character; everything else is literal. */
function globMatch(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}
