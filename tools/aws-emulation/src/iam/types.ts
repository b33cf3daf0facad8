/** A condition value as IAM JSON allows it: a string, number or boolean, or a list of them. */
export type PolicyConditionValue = string | number | boolean | readonly (string | number | boolean)[];

/** IAM condition block: operator (e.g. `StringEquals`, `ForAnyValue:StringLike`, `ArnLikeIfExists`) → key → value(s). */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, PolicyConditionValue>>>>;

/** The `Principal` element: everyone (`'*'`), or principals by kind (`AWS`, `Service`; `Federated` is not emulated). */
export type PolicyPrincipal = '*' | Readonly<Record<string, string | readonly string[]>>;

/** One statement of an IAM policy, identity-based (no `Principal`) or resource-based, as IAM JSON. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PolicyPrincipal;
  readonly NotPrincipal?: PolicyPrincipal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

/** An IAM policy document (IAM JSON): identity policy, resource policy, key policy, topic or queue policy... */
export type PolicyDocument = { Version?: string; Statement: PolicyStatement | readonly PolicyStatement[] };

/** Who makes the request, as IAM sees it after authentication. */
export interface CallerPrincipal {
  readonly type: 'role' | 'user' | 'root' | 'service' | 'anonymous';
  /** aws:PrincipalArn: the role ARN for a role session, the user ARN, `arn:aws:iam::<acct>:root`; for a service, its name. */
  readonly arn: string;
  /** For role sessions: `arn:aws:sts::<acct>:assumed-role/<role>/<session>` (used in messages). */
  readonly sessionArn?: string;
  /** The caller's account; absent for a service or an anonymous caller. */
  readonly accountId?: string;
  /** For a service principal: e.g. `apigateway.amazonaws.com`, `cloudwatch.amazonaws.com`, `lambda.amazonaws.com`. */
  readonly service?: string;
}

/** Context values: single-valued keys are strings, multivalued keys (for `ForAnyValue:` / `ForAllValues:`) lists. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

/** One request to authorize: who, what, on which resource, and every policy in play. */
export interface AuthorizationRequest {
  readonly principal: CallerPrincipal;
  /** e.g. `execute-api:Invoke`, `sns:Publish`, `kms:GenerateDataKey`. */
  readonly action: string;
  /** The resource's ARN. */
  readonly resource: string;
  /** The account that owns the resource; compared with the caller's to choose same- or cross-account rules. */
  readonly resourceAccountId: string;
  /** The caller's identity policies, inline and managed (empty for services and anonymous callers). */
  readonly identityPolicies: readonly PolicyDocument[];
  /** The API policy, Lambda permissions as one policy, or the queue, topic, key or secret policy. */
  readonly resourcePolicy?: PolicyDocument;
  /**
   * Request context keys, e.g. `aws:SourceArn`, `aws:SourceAccount`, `aws:SecureTransport`. Key names are
   * case-insensitive, as IAM's. `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType` and
   * `aws:PrincipalServiceName` are derived from `principal`; a key given here overrides a derived one.
   */
  readonly context?: RequestContext;
  /**
   * The resource policy must grant access itself, as a KMS key policy does ("unlike other AWS resource policies, a
   * KMS key policy does not automatically give permission to the account or any of its identities"), and as an IAM
   * role trust policy does. An Allow for the principal's account then delegates to its identity policies.
   * @default false
   */
  readonly resourcePolicyRequired?: boolean;
}

/** The outcome: allowed, denied by a matching Deny, or denied because nothing allowed. */
export type Decision = 'allow' | 'explicit_deny' | 'implicit_deny';

/** A statement that decided the outcome. */
export interface DecidingStatement {
  readonly policy: 'identity' | 'resource';
  /** Which identity policy (index in `identityPolicies`); 0 for the resource policy. */
  readonly document: number;
  /** Index of the statement in its policy's `Statement` list (0 when `Statement` is a single object). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
}

/** What {@link authorize} decided, whether the caller was in another account, and which statements decided it. */
export interface AuthorizationResult {
  readonly decision: Decision;
  readonly crossAccount: boolean;
  /** Every matching Deny for `explicit_deny`; the Allows that counted for `allow`; empty for `implicit_deny`. */
  readonly deciding: readonly DecidingStatement[];
  /** For `implicit_deny`: the kind of policy whose Allow was missing (what AWS's access-denied message names). */
  readonly missing?: 'identity' | 'resource';
}
