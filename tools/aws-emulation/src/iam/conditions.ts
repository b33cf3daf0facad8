/**
 * The `Condition` element: operators, their matching rules, and what happens when a key is absent.
 *
 * Sources (IAM User Guide):
 * - "IAM JSON policy elements: Condition operators"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
 *   the operator list; "If the key that you specify in a policy condition is not present in the request context, the
 *   values do not match and the condition is false. If the policy condition requires that the key is not matched, such
 *   as StringNotLike or ArnNotLike, and the right key is not present, the condition is true. This logic applies to all
 *   condition operators except ...IfExists and Null check."
 * - "Conditions with multiple context keys or values"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html): operators and
 *   keys are ANDed; the values of one key are ORed, or NORed for a negated operator; `ForAllValues:` is true when the
 *   key is absent or empty, `ForAnyValue:` false.
 */
import { MalformedPolicyError, UnsupportedPolicyFeatureError } from './errors';
import { isRecord } from './json';
import { arnMatch, splitArn, wildcardMatch } from './wildcard';

/** Request context, keys lower-cased (IAM condition key names are case-insensitive). */
export type NormalizedContext = ReadonlyMap<string, readonly string[]>;

/** One operator-key pair of a statement's `Condition`, ready to test. */
export interface CompiledCondition {
  /** e.g. `ForAnyValue:StringLikeIfExists`, for messages. */
  readonly operator: string;
  /** The key, lower-cased. */
  readonly key: string;
  readonly holds: (context: NormalizedContext) => boolean;
}

interface BaseOperator {
  readonly negated: boolean;
  /** Checks a policy value when the policy is compiled; throws MalformedPolicyError naming it. */
  readonly check?: (policyValue: string, at: string) => void;
  /** The positive test of one context value against one policy value. */
  readonly matches: (policyValue: string, contextValue: string) => boolean;
}

const string = (negated: boolean, matches: BaseOperator['matches']): BaseOperator => ({ negated, matches });
const equalsIgnoreCase = (p: string, c: string): boolean => p.toLowerCase() === c.toLowerCase();
const globCaseSensitive = (p: string, c: string): boolean => wildcardMatch(p, c, false);

function numeric(negated: boolean, compare: (context: number, policy: number) => boolean): BaseOperator {
  return {
    negated,
    check: (value, at) => {
      if (parseNumber(value) === undefined) throw new MalformedPolicyError(`${at}: "${value}" is not a number`);
    },
    matches: (policyValue, contextValue) => {
      const context = parseNumber(contextValue);
      return context !== undefined && compare(context, parseNumber(policyValue) as number);
    },
  };
}

function date(negated: boolean, compare: (context: number, policy: number) => boolean): BaseOperator {
  return {
    negated,
    check: (value, at) => {
      if (parseDate(value) === undefined) throw new MalformedPolicyError(`${at}: "${value}" is not a date (ISO 8601 or epoch seconds)`);
    },
    matches: (policyValue, contextValue) => {
      const context = parseDate(contextValue);
      return context !== undefined && compare(context, parseDate(policyValue) as number);
    },
  };
}

const arn = (negated: boolean): BaseOperator => ({
  negated,
  check: (value, at) => {
    if (splitArn(value) === undefined) throw new MalformedPolicyError(`${at}: "${value}" is not an ARN`);
  },
  matches: arnMatch,
});

/** The operators emulated, without `IfExists` and set qualifiers. Anything else throws UnsupportedPolicyFeatureError. */
const OPERATORS: Readonly<Record<string, BaseOperator>> = {
  StringEquals: string(false, (p, c) => p === c),
  StringNotEquals: string(true, (p, c) => p === c),
  StringEqualsIgnoreCase: string(false, equalsIgnoreCase),
  StringNotEqualsIgnoreCase: string(true, equalsIgnoreCase),
  StringLike: string(false, globCaseSensitive),
  StringNotLike: string(true, globCaseSensitive),
  NumericEquals: numeric(false, (c, p) => c === p),
  NumericNotEquals: numeric(true, (c, p) => c === p),
  NumericLessThan: numeric(false, (c, p) => c < p),
  NumericLessThanEquals: numeric(false, (c, p) => c <= p),
  NumericGreaterThan: numeric(false, (c, p) => c > p),
  NumericGreaterThanEquals: numeric(false, (c, p) => c >= p),
  DateEquals: date(false, (c, p) => c === p),
  DateNotEquals: date(true, (c, p) => c === p),
  DateLessThan: date(false, (c, p) => c < p),
  DateLessThanEquals: date(false, (c, p) => c <= p),
  DateGreaterThan: date(false, (c, p) => c > p),
  DateGreaterThanEquals: date(false, (c, p) => c >= p),
  Bool: {
    negated: false,
    check: (value, at) => {
      if (!/^(true|false)$/i.test(value)) throw new MalformedPolicyError(`${at}: Bool takes "true" or "false", not "${value}"`);
    },
    matches: equalsIgnoreCase,
  },
  // IAM documents ArnEquals and ArnLike as the same test (wildcards allowed in each ARN component).
  ArnEquals: arn(false),
  ArnLike: arn(false),
  ArnNotEquals: arn(true),
  ArnNotLike: arn(true),
};

const SET_QUALIFIERS = ['ForAnyValue:', 'ForAllValues:'] as const;
type SetQualifier = (typeof SET_QUALIFIERS)[number] | undefined;

/** The operator names {@link compileConditions} accepts, with or without `IfExists` and a set qualifier (plus `Null`). */
export const SUPPORTED_CONDITION_OPERATORS: readonly string[] = [...Object.keys(OPERATORS), 'Null'];

/**
 * Compiles a statement's `Condition` block.
 *
 * @param condition - the block as found in the policy (`undefined`: no condition)
 * @param at - where it is, for messages (e.g. `resource policy Statement[1].Condition`)
 * @throws UnsupportedPolicyFeatureError naming an operator outside {@link SUPPORTED_CONDITION_OPERATORS}, or a policy variable
 * @throws MalformedPolicyError for a block that is not IAM JSON or a value the operator cannot take
 */
export function compileConditions(condition: unknown, at: string): CompiledCondition[] {
  if (condition === undefined) return [];
  if (!isRecord(condition)) throw new MalformedPolicyError(`${at} must be an object`);
  return Object.entries(condition).flatMap(([operatorName, keys]) => {
    if (!isRecord(keys)) throw new MalformedPolicyError(`${at}.${operatorName} must be an object`);
    return Object.entries(keys).map(([key, values]) => compileOne(operatorName, key, values, `${at}.${operatorName}.${key}`));
  });
}

function compileOne(operatorName: string, key: string, rawValues: unknown, at: string): CompiledCondition {
  const qualifier: SetQualifier = SET_QUALIFIERS.find((prefix) => operatorName.startsWith(prefix));
  let name = qualifier === undefined ? operatorName : operatorName.slice(qualifier.length);
  const ifExists = name.endsWith('IfExists') && name !== 'IfExists';
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  const values = conditionValues(rawValues, at);
  const lowerKey = key.toLowerCase();

  if (name === 'Null') {
    if (qualifier !== undefined || ifExists) {
      throw new UnsupportedPolicyFeatureError(`${at}: condition operator "${operatorName}" is not supported`);
    }
    const expectAbsent = values.map((value) => {
      if (!/^(true|false)$/i.test(value)) throw new MalformedPolicyError(`${at}: Null takes "true" or "false", not "${value}"`);
      return value.toLowerCase() === 'true';
    });
    // Null: true → the key must be absent (or empty); false → present. Several values are ORed.
    return { operator: operatorName, key: lowerKey, holds: (context) => expectAbsent.some((absent) => absent === !hasValues(context, lowerKey)) };
  }

  const operator = OPERATORS[name];
  if (operator === undefined) {
    throw new UnsupportedPolicyFeatureError(`${at}: condition operator "${operatorName}" is not supported`);
  }
  values.forEach((value) => operator.check?.(value, at));

  /** One context value against every policy value: OR, or NOR for a negated operator. */
  const single = (contextValue: string): boolean => {
    const any = values.some((policyValue) => operator.matches(policyValue, contextValue));
    return operator.negated ? !any : any;
  };
  const holds = (context: NormalizedContext): boolean => {
    const contextValues = context.get(lowerKey);
    const present = contextValues !== undefined && contextValues.length > 0;
    if (!present) {
      if (ifExists) return true;
      if (qualifier === 'ForAllValues:') return true;
      if (qualifier === 'ForAnyValue:') return false;
      return operator.negated;
    }
    if (qualifier === 'ForAllValues:') return contextValues.every(single);
    if (qualifier === 'ForAnyValue:') return contextValues.some(single);
    // A single-valued operator on a list: matches if a value matches; a negated one holds only if none does.
    return operator.negated ? contextValues.every(single) : contextValues.some(single);
  };
  return { operator: operatorName, key: lowerKey, holds };
}

function conditionValues(raw: unknown, at: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new MalformedPolicyError(`${at} must have at least one value`);
  return list.map((value) => {
    if (typeof value === 'boolean' || typeof value === 'number') return String(value);
    if (typeof value !== 'string') throw new MalformedPolicyError(`${at} values must be strings, numbers or booleans`);
    if (value.includes('${')) {
      throw new UnsupportedPolicyFeatureError(`${at}: policy variables and unresolved tokens are not supported ("${value}")`);
    }
    return value;
  });
}

function hasValues(context: NormalizedContext, key: string): boolean {
  const values = context.get(key);
  return values !== undefined && values.length > 0;
}

function parseNumber(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** IAM dates: ISO 8601 (`2026-01-01T00:00:00Z`) or epoch seconds. */
function parseDate(value: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
