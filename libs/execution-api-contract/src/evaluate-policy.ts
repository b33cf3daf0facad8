import { ContractArgumentError, MalformedPolicyError, UnsupportedPolicyFeatureError } from './errors';
import type { PolicyDocumentJson } from './policy-document';

/** The request a resource policy is evaluated for. */
export interface ResourcePolicyRequest {
  /** The caller's `aws:PrincipalArn` (for a role session: the role ARN, not the assumed-role ARN). */
  readonly principalArn: string;
  /** The action, e.g. `execute-api:Invoke`. */
  readonly action: string;
  /** The method ARN called, e.g. from `methodArn(prefix, 'prod', 'POST', 'execute')`. */
  readonly resourceArn: string;
  /** `arn:aws:execute-api:<region>:<account>:<apiId>`; expands the `execute-api:/` resource shorthand. */
  readonly apiArnPrefix: string;
}

/** What a resource policy alone says about a request. */
export type PolicyDecision = 'allow' | 'explicit_deny' | 'implicit_deny';

const SUPPORTED_VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
const UNSUPPORTED_STATEMENT_KEYS = new Set(['NotPrincipal', 'NotAction', 'NotResource']);
const PRINCIPAL_ARN_KEY = 'aws:principalarn';
const EXECUTE_API_SHORTHAND = 'execute-api:/';

type Matcher = 'arn' | 'string';
const CONDITION_OPERATORS: Readonly<Record<string, { matcher: Matcher; negated: boolean }>> = {
  // IAM documents ArnEquals and ArnLike as the same test (wildcards allowed in each ARN component).
  ArnEquals: { matcher: 'arn', negated: false },
  ArnLike: { matcher: 'arn', negated: false },
  ArnNotEquals: { matcher: 'arn', negated: true },
  ArnNotLike: { matcher: 'arn', negated: true },
  StringEquals: { matcher: 'string', negated: false },
  StringNotEquals: { matcher: 'string', negated: true },
};

/**
 * Evaluates a resource policy for one request with IAM semantics, for the subset of IAM that the execution API's
 * policy uses. It answers what the resource policy alone decides. Combining the result with identity policies (in
 * the same account, either may allow; an explicit deny always wins) is the caller's job.
 *
 * Modelled:
 * - `Effect` Allow / Deny, with an explicit deny winning over any allow.
 * - `Principal` `'*'`, `{AWS: '*'}`, or `{AWS: arn | account-id | arn:...:iam::<account>:root}`, one or an array.
 *   An account principal matches any principal ARN in that account.
 * - `Action` (string or array) with `*` and `?` wildcards, matched case-insensitively.
 * - `Resource` (string or array) with `*` and `?` wildcards, matched case-sensitively. `execute-api:/...` expands
 *   to `<apiArnPrefix>/...`.
 * - `Condition` with `ArnEquals`, `ArnLike`, `ArnNotEquals`, `ArnNotLike`, `StringEquals` and `StringNotEquals` on
 *   `aws:PrincipalArn` (key name case-insensitive). Operators and keys are ANDed; the values of one key are ORed,
 *   or NORed for a negated operator. Arn operators compare the six `:`-separated ARN components one by one, so a
 *   wildcard never crosses a component.
 *
 * @returns `'explicit_deny'` if a matching statement denies, else `'allow'` if one allows, else `'implicit_deny'`.
 * @throws UnsupportedPolicyFeatureError for valid IAM outside that subset (NotAction, other operators or keys,
 *   `...IfExists`, `ForAnyValue:`, policy variables, Service principals...).
 * @throws MalformedPolicyError for a document that is not valid IAM JSON.
 * @throws ContractArgumentError if a request field is empty.
 */
export function evaluateResourcePolicy(policy: PolicyDocumentJson, request: ResourcePolicyRequest): PolicyDecision {
  for (const field of ['principalArn', 'action', 'resourceArn', 'apiArnPrefix'] as const) {
    if (typeof request[field] !== 'string' || request[field] === '') {
      throw new ContractArgumentError(`request.${field}`, 'must be a non-empty string');
    }
  }
  // Validate the whole document before deciding anything, so an unsupported rule throws whatever the request.
  const statements = compilePolicy(policy);

  let allowed = false;
  for (const statement of statements) {
    if (!statementApplies(statement, request)) continue;
    if (statement.effect === 'Deny') return 'explicit_deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit_deny';
}

interface CompiledCondition {
  readonly matcher: Matcher;
  readonly negated: boolean;
  readonly patterns: readonly string[];
}

interface CompiledStatement {
  readonly effect: 'Allow' | 'Deny';
  /** `'*'` for everyone, else the `AWS` entries. */
  readonly principals: '*' | readonly string[];
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly CompiledCondition[];
}

function statementApplies(statement: CompiledStatement, request: ResourcePolicyRequest): boolean {
  return (
    principalMatches(statement.principals, request.principalArn) &&
    statement.actions.some((pattern) => wildcardMatch(pattern, request.action, true)) &&
    statement.resources.some((pattern) =>
      wildcardMatch(expandResource(pattern, request.apiArnPrefix), request.resourceArn, false),
    ) &&
    statement.conditions.every((condition) => conditionHolds(condition, request.principalArn))
  );
}

function compilePolicy(policy: unknown): CompiledStatement[] {
  if (!isRecord(policy)) throw new MalformedPolicyError('policy must be an object');
  if (!SUPPORTED_VERSIONS.has(policy['Version'] as string)) {
    throw new MalformedPolicyError('Version must be "2012-10-17" or "2008-10-17"');
  }
  const raw = policy['Statement'];
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.map((statement, index) => compileStatement(statement, `Statement[${index}]`));
}

function compileStatement(statement: unknown, at: string): CompiledStatement {
  if (!isRecord(statement)) throw new MalformedPolicyError(`${at} must be an object`);
  for (const key of Object.keys(statement)) {
    if (UNSUPPORTED_STATEMENT_KEYS.has(key)) throw new UnsupportedPolicyFeatureError(`${at}.${key} is not supported`);
    if (!STATEMENT_KEYS.has(key)) throw new MalformedPolicyError(`${at} has an unknown element "${key}"`);
  }
  const effect = statement['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') throw new MalformedPolicyError(`${at}.Effect must be "Allow" or "Deny"`);
  const resources = stringList(statement['Resource'], `${at}.Resource`);
  resources.forEach((resource) => rejectPolicyVariables(resource, `${at}.Resource`));
  return {
    effect,
    principals: compilePrincipal(statement['Principal'], `${at}.Principal`),
    actions: stringList(statement['Action'], `${at}.Action`),
    resources,
    conditions: compileConditions(statement['Condition'], `${at}.Condition`),
  };
}

function compilePrincipal(principal: unknown, at: string): '*' | string[] {
  if (principal === undefined) throw new MalformedPolicyError(`${at} is required in a resource policy`);
  if (principal === '*') return '*';
  if (!isRecord(principal)) throw new MalformedPolicyError(`${at} must be "*" or an object`);
  for (const key of Object.keys(principal)) {
    if (key !== 'AWS') throw new UnsupportedPolicyFeatureError(`${at}.${key} is not supported`);
  }
  const entries = stringList(principal['AWS'], `${at}.AWS`);
  entries.forEach((entry) => rejectPolicyVariables(entry, `${at}.AWS`));
  return entries.includes('*') ? '*' : entries;
}

function compileConditions(condition: unknown, at: string): CompiledCondition[] {
  if (condition === undefined) return [];
  if (!isRecord(condition)) throw new MalformedPolicyError(`${at} must be an object`);
  return Object.entries(condition).flatMap(([operatorName, keys]) => {
    const operator = CONDITION_OPERATORS[operatorName];
    if (operator === undefined) {
      throw new UnsupportedPolicyFeatureError(`${at}: condition operator "${operatorName}" is not supported`);
    }
    if (!isRecord(keys)) throw new MalformedPolicyError(`${at}.${operatorName} must be an object`);
    return Object.entries(keys).map(([key, values]) => {
      const keyAt = `${at}.${operatorName}.${key}`;
      if (key.toLowerCase() !== PRINCIPAL_ARN_KEY) {
        throw new UnsupportedPolicyFeatureError(`${at}.${operatorName}: condition key "${key}" is not supported`);
      }
      const patterns = stringList(values, keyAt);
      for (const pattern of patterns) {
        rejectPolicyVariables(pattern, keyAt);
        if (operator.matcher === 'arn' && splitArn(pattern) === undefined) {
          throw new MalformedPolicyError(`${keyAt}: "${pattern}" is not an ARN`);
        }
      }
      return { matcher: operator.matcher, negated: operator.negated, patterns };
    });
  });
}

function principalMatches(principals: '*' | readonly string[], principalArn: string): boolean {
  if (principals === '*') return true;
  return principals.some((entry) => {
    if (entry === principalArn) return true;
    const account = /^[0-9]{12}$/.test(entry) ? entry : /^arn:[^:]+:iam::([0-9]{12}):root$/.exec(entry)?.[1];
    return account !== undefined && accountOf(principalArn) === account;
  });
}

/** Values of one key are ORed; for a negated operator the result is their NOR. */
function conditionHolds(condition: CompiledCondition, principalArn: string): boolean {
  const anyMatch = condition.patterns.some((pattern) =>
    condition.matcher === 'arn' ? arnMatch(pattern, principalArn) : pattern === principalArn,
  );
  return condition.negated ? !anyMatch : anyMatch;
}

/** ArnEquals/ArnLike: both sides split into their six components, each compared with wildcards. */
function arnMatch(pattern: string, arn: string): boolean {
  const patternParts = splitArn(pattern) as string[];
  const arnParts = splitArn(arn);
  if (arnParts === undefined) return false;
  return patternParts.every((part, index) => wildcardMatch(part, arnParts[index] as string, false));
}

/** `arn:partition:service:region:account:resource`; the resource part may itself contain `:`. */
function splitArn(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function accountOf(arn: string): string | undefined {
  return splitArn(arn)?.[4];
}

function expandResource(pattern: string, apiArnPrefix: string): string {
  return pattern.startsWith(EXECUTE_API_SHORTHAND)
    ? `${apiArnPrefix}/${pattern.slice(EXECUTE_API_SHORTHAND.length)}`
    : pattern;
}

/** IAM glob: `*` is any run of characters (possibly empty), `?` exactly one; everything else is literal. */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '[\\s\\S]*' : char === '?' ? '[\\s\\S]' : char.replace(/[\\^$.|+()[\]{}/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function stringList(value: unknown, at: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item): item is string => typeof item === 'string')) {
    throw new MalformedPolicyError(`${at} must be a string or a non-empty array of strings`);
  }
  return list;
}

function rejectPolicyVariables(value: string, at: string): void {
  if (value.includes('${')) {
    throw new UnsupportedPolicyFeatureError(`${at}: policy variables and unresolved tokens are not supported`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
