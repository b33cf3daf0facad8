/**
 * Validates an IAM policy document and compiles it into statements ready to match.
 * Source: IAM User Guide, "IAM JSON policy element reference"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html) and "Principal"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 */
import { compileConditions, type CompiledCondition, type NormalizedContext } from './conditions';
import { MalformedPolicyError, UnsupportedPolicyFeatureError } from './errors';
import { isRecord, stringList } from './json';
import type { CallerPrincipal, PolicyDocument } from './types';
import { wildcardMatch } from './wildcard';

/** Where a policy sits: attached to the caller (no `Principal`) or to the resource (`Principal` required). */
export type PolicyKind = 'identity' | 'resource';

/** How a resource-policy statement names the caller: itself (ARN, session, `*`, service) or only its account. */
export type PrincipalMatch = 'direct' | 'account';

/** One statement, validated. */
export interface CompiledStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** `undefined` in identity policies. */
  readonly principal?: (caller: CallerPrincipal) => PrincipalMatch | undefined;
  readonly actions: { readonly not: boolean; readonly patterns: readonly string[] };
  /** `undefined` in a resource policy without Resource: the statement applies to the resource it is attached to. */
  readonly resources?: { readonly not: boolean; readonly patterns: readonly string[] };
  readonly conditions: readonly CompiledCondition[];
}

const SUPPORTED_VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const ACCOUNT_ID = /^[0-9]{12}$/;
const ACCOUNT_ROOT_ARN = /^arn:[^:]+:iam::([0-9]{12}):root$/;

const cache: Record<PolicyKind, WeakMap<object, CompiledStatement[]>> = { identity: new WeakMap(), resource: new WeakMap() };

/**
 * Compiles a whole policy document (memoised per document object: policies are treated as immutable).
 *
 * @param document - the policy, as IAM JSON
 * @param kind - identity or resource policy (a Principal is forbidden in the first, required in the second)
 * @param at - the policy's name in messages, e.g. `identity policy 0`
 * @throws MalformedPolicyError naming what is not valid IAM JSON
 * @throws UnsupportedPolicyFeatureError naming valid IAM that is not emulated
 */
export function compilePolicy(document: PolicyDocument, kind: PolicyKind, at: string): CompiledStatement[] {
  if (!isRecord(document)) throw new MalformedPolicyError(`${at} must be an object`);
  const cached = cache[kind].get(document);
  if (cached !== undefined) return cached;
  const version = document['Version'];
  if (version !== undefined && !SUPPORTED_VERSIONS.has(version as string)) {
    throw new MalformedPolicyError(`${at}: Version must be "2012-10-17" or "2008-10-17"`);
  }
  for (const key of Object.keys(document)) {
    if (key !== 'Version' && key !== 'Statement' && key !== 'Id') throw new MalformedPolicyError(`${at} has an unknown element "${key}"`);
  }
  const raw: unknown = document['Statement'];
  if (raw === undefined) throw new MalformedPolicyError(`${at}: Statement is required`);
  const statements = Array.isArray(raw) ? raw : [raw];
  const compiled = statements.map((statement, index) => compileStatement(statement, index, kind, `${at} Statement[${index}]`));
  cache[kind].set(document, compiled);
  return compiled;
}

function compileStatement(statement: unknown, index: number, kind: PolicyKind, at: string): CompiledStatement {
  if (!isRecord(statement)) throw new MalformedPolicyError(`${at} must be an object`);
  for (const key of Object.keys(statement)) {
    if (!STATEMENT_KEYS.has(key)) throw new MalformedPolicyError(`${at} has an unknown element "${key}"`);
  }
  const effect = statement['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') throw new MalformedPolicyError(`${at}.Effect must be "Allow" or "Deny"`);
  const sid = statement['Sid'];
  if (sid !== undefined && typeof sid !== 'string') throw new MalformedPolicyError(`${at}.Sid must be a string`);

  const hasPrincipal = 'Principal' in statement;
  if ('NotPrincipal' in statement) throw new UnsupportedPolicyFeatureError(`${at}.NotPrincipal is not supported`);
  if (kind === 'identity' && hasPrincipal) throw new MalformedPolicyError(`${at}: an identity policy has no Principal`);
  if (kind === 'resource' && !hasPrincipal) throw new MalformedPolicyError(`${at}.Principal is required in a resource policy`);

  const actions = oneOf(statement, 'Action', 'NotAction', at);
  if (actions === undefined) throw new MalformedPolicyError(`${at}: Action or NotAction is required`);
  for (const action of actions.patterns) {
    if (action !== '*' && !/^[A-Za-z0-9*?-]+:[A-Za-z0-9*?-]*$/.test(action)) {
      throw new MalformedPolicyError(`${at}: action "${action}" is not "*" or "<service>:<action>"`);
    }
  }
  const resources = oneOf(statement, 'Resource', 'NotResource', at);
  if (resources === undefined && kind === 'identity') throw new MalformedPolicyError(`${at}: Resource or NotResource is required`);

  return {
    index,
    ...(sid === undefined ? {} : { sid }),
    effect,
    ...(kind === 'resource' ? { principal: compilePrincipal(statement['Principal'], `${at}.Principal`) } : {}),
    actions,
    ...(resources === undefined ? {} : { resources }),
    conditions: compileConditions(statement['Condition'], `${at}.Condition`),
  };
}

function oneOf(statement: Record<string, unknown>, positive: string, negative: string, at: string): { not: boolean; patterns: string[] } | undefined {
  const hasPositive = positive in statement;
  const hasNegative = negative in statement;
  if (hasPositive && hasNegative) throw new MalformedPolicyError(`${at}: ${positive} and ${negative} cannot both be set`);
  if (hasPositive) return { not: false, patterns: stringList(statement[positive], `${at}.${positive}`) };
  if (hasNegative) return { not: true, patterns: stringList(statement[negative], `${at}.${negative}`) };
  return undefined;
}

/**
 * `*` and `{AWS: '*'}` are everyone ("the following elements are equivalent"); an account id or its root ARN is an
 * account principal; any other AWS value is a role, user or assumed-role session ARN; `Service` names a service.
 */
function compilePrincipal(principal: unknown, at: string): (caller: CallerPrincipal) => PrincipalMatch | undefined {
  if (principal === '*') return () => 'direct';
  if (!isRecord(principal)) throw new MalformedPolicyError(`${at} must be "*" or an object`);
  const arns = new Set<string>();
  const accounts = new Set<string>();
  const services = new Set<string>();
  let everyone = false;
  for (const [type, value] of Object.entries(principal)) {
    if (type === 'Federated' || type === 'CanonicalUser') throw new UnsupportedPolicyFeatureError(`${at}.${type} is not supported`);
    if (type !== 'AWS' && type !== 'Service') throw new MalformedPolicyError(`${at} has an unknown principal type "${type}"`);
    for (const entry of stringList(value, `${at}.${type}`)) {
      if (type === 'Service') services.add(entry.toLowerCase());
      else if (entry === '*') everyone = true;
      else {
        const account = ACCOUNT_ID.test(entry) ? entry : ACCOUNT_ROOT_ARN.exec(entry)?.[1];
        if (account !== undefined) accounts.add(account);
        else arns.add(entry);
      }
    }
  }
  return (caller) => {
    if (everyone) return 'direct';
    if (caller.type === 'service') return services.has((caller.service ?? caller.arn).toLowerCase()) ? 'direct' : undefined;
    if (caller.type === 'anonymous') return undefined;
    if (arns.has(caller.arn) || (caller.sessionArn !== undefined && arns.has(caller.sessionArn))) return 'direct';
    if (caller.accountId !== undefined && accounts.has(caller.accountId)) return caller.type === 'root' ? 'direct' : 'account';
    return undefined;
  };
}

/**
 * Whether a statement applies to the request (principal aside): action, resource and every condition.
 *
 * @param statement - compiled statement
 * @param action - requested action (matched case-insensitively)
 * @param resource - requested resource ARN (matched case-sensitively)
 * @param context - the request context
 */
export function statementMatches(statement: CompiledStatement, action: string, resource: string, context: NormalizedContext): boolean {
  const actionHit = statement.actions.patterns.some((pattern) => wildcardMatch(pattern, action, true));
  if (actionHit === statement.actions.not) return false;
  if (statement.resources !== undefined) {
    const resourceHit = statement.resources.patterns.some((pattern) => wildcardMatch(pattern, resource, false));
    if (resourceHit === statement.resources.not) return false;
  }
  return statement.conditions.every((condition) => condition.holds(context));
}
