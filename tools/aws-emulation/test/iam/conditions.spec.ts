/**
 * Every condition operator, through `authorize`. Source: IAM User Guide, "Condition operators"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html) and
 * "Conditions with multiple context keys or values"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html).
 */
import { MalformedPolicyError, SUPPORTED_CONDITION_OPERATORS, UnsupportedPolicyFeatureError, authorize, type PolicyCondition, type RequestContext } from '../../src';
import { OWNER, policy, roleSession } from '../support/principals';

const caller = roleSession(OWNER, 'caller');

/** True when an Allow with this condition (and nothing else) allows the request with this context. */
function holds(condition: PolicyCondition, context: RequestContext): boolean {
  const decision = authorize({
    principal: caller,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::bucket/key',
    resourceAccountId: OWNER,
    identityPolicies: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: condition })],
    context,
  }).decision;
  return decision === 'allow';
}

type Row = [operator: string, policyValue: string | boolean | number | string[], contextValue: string, expected: boolean];
const K = 'test:Key';

describe('operators on a present key', () => {
  it.each<Row>([
    ['StringEquals', 'Abc', 'Abc', true],
    ['StringEquals', 'Abc', 'abc', false],
    ['StringEquals', ['x', 'Abc'], 'Abc', true],
    ['StringNotEquals', 'Abc', 'Abc', false],
    ['StringNotEquals', ['x', 'y'], 'Abc', true],
    ['StringEqualsIgnoreCase', 'ABC', 'abc', true],
    ['StringEqualsIgnoreCase', 'ABC', 'abd', false],
    ['StringNotEqualsIgnoreCase', 'ABC', 'abc', false],
    ['StringNotEqualsIgnoreCase', 'ABC', 'abd', true],
    ['StringLike', 'a*c?', 'abbbcd', true],
    ['StringLike', 'a*c?', 'Abbbcd', false],
    ['StringLike', 'a.c', 'abc', false],
    ['StringNotLike', 'a*', 'abc', false],
    ['StringNotLike', 'a*', 'bac', true],
    ['NumericEquals', 10, '10.0', true],
    ['NumericEquals', '10', '11', false],
    ['NumericEquals', '10', 'ten', false],
    ['NumericNotEquals', '10', '11', true],
    ['NumericLessThan', '10', '9', true],
    ['NumericLessThan', '10', '10', false],
    ['NumericLessThanEquals', '10', '10', true],
    ['NumericGreaterThan', '10', '10', false],
    ['NumericGreaterThan', '10', '11', true],
    ['NumericGreaterThanEquals', '10', '10', true],
    ['DateEquals', '2026-01-01T00:00:00Z', '1767225600', true],
    ['DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', true],
    ['DateLessThan', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', true],
    ['DateLessThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
    ['DateLessThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
    ['DateGreaterThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', true],
    ['DateGreaterThanEquals', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', false],
    ['DateGreaterThan', '2026-01-01T00:00:00Z', 'not a date', false],
    ['Bool', 'false', 'false', true],
    ['Bool', 'false', 'true', false],
    ['Bool', true, 'TRUE', true],
    ['ArnEquals', 'arn:aws:sns:*:111111111111:topic', 'arn:aws:sns:us-east-1:111111111111:topic', true],
    ['ArnLike', 'arn:aws:execute-api:us-east-1:111111111111:api/*', 'arn:aws:execute-api:us-east-1:111111111111:api/prod/POST/x', true],
    // A wildcard never crosses a component: a plain glob would match here.
    ['ArnLike', 'arn:aws:sns:*:111111111111:topic', 'arn:aws:sns:us-east-1:x:111111111111:topic', false],
    ['ArnLike', 'arn:aws:*:us-east-1:111111111111:topic', 'arn:aws:sns:us-east-1:111111111111:topic', true],
    ['ArnLike', 'arn:aws:sns:us-east-1:111111111111:*', 'not-an-arn', false],
    ['ArnNotEquals', 'arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/a', false],
    ['ArnNotEquals', 'arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/b', true],
    ['ArnNotLike', 'arn:aws:iam::111111111111:role/*', 'arn:aws:iam::111111111111:role/b', false],
    ['ArnNotLike', 'arn:aws:iam::111111111111:role/*', 'arn:aws:iam::222222222222:role/b', true],
  ])('%s %j against %j → %s', (operator, policyValue, contextValue, expected) => {
    expect(holds({ [operator]: { [K]: policyValue } }, { [K]: contextValue })).toBe(expected);
  });

  it('condition key names are case-insensitive', () => {
    expect(holds({ StringEquals: { 'TEST:KEY': 'v' } }, { 'test:key': 'v' })).toBe(true);
  });

  it('operators, and keys within one operator, are ANDed', () => {
    const condition = { StringEquals: { 'k:a': '1', 'k:b': '2' }, Bool: { 'k:c': 'true' } };
    expect(holds(condition, { 'k:a': '1', 'k:b': '2', 'k:c': 'true' })).toBe(true);
    expect(holds(condition, { 'k:a': '1', 'k:b': '3', 'k:c': 'true' })).toBe(false);
    expect(holds(condition, { 'k:a': '1', 'k:b': '2', 'k:c': 'false' })).toBe(false);
  });
});

describe('absent keys', () => {
  it.each<[string, boolean]>([
    ['StringEquals', false],
    ['StringLike', false],
    ['NumericLessThan', false],
    ['DateGreaterThan', false],
    ['Bool', false],
    ['ArnLike', false],
    ['StringNotEquals', true],
    ['StringNotLike', true],
    ['ArnNotEquals', true],
    ['NumericNotEquals', true],
    ['StringEqualsIfExists', true],
    ['ArnLikeIfExists', true],
    ['BoolIfExists', true],
    ['ForAllValues:StringEquals', true],
    ['ForAnyValue:StringEquals', false],
  ])('%s on an absent key → %s', (operator, expected) => {
    const value = operator.includes('Arn') ? 'arn:aws:iam::111111111111:role/a' : operator.includes('Numeric') ? '1' : operator.includes('Date') ? '2026-01-01T00:00:00Z' : 'true';
    expect(holds({ [operator]: { [K]: value } }, {})).toBe(expected);
  });

  it('...IfExists tests the key normally when it is present', () => {
    expect(holds({ StringEqualsIfExists: { [K]: 'a' } }, { [K]: 'a' })).toBe(true);
    expect(holds({ StringEqualsIfExists: { [K]: 'a' } }, { [K]: 'b' })).toBe(false);
  });

  it('Null: "true" holds when the key is absent, "false" when present', () => {
    expect(holds({ Null: { [K]: 'true' } }, {})).toBe(true);
    expect(holds({ Null: { [K]: 'true' } }, { [K]: 'x' })).toBe(false);
    expect(holds({ Null: { [K]: 'false' } }, { [K]: 'x' })).toBe(true);
    expect(holds({ Null: { [K]: false } }, {})).toBe(false);
  });
});

describe('multivalued keys and set operators', () => {
  it('ForAnyValue: one context value matching one policy value is enough', () => {
    expect(holds({ 'ForAnyValue:StringEquals': { [K]: ['a', 'b'] } }, { [K]: ['z', 'b'] })).toBe(true);
    expect(holds({ 'ForAnyValue:StringEquals': { [K]: ['a', 'b'] } }, { [K]: ['z', 'y'] })).toBe(false);
  });

  it('ForAllValues: every context value must match; an empty list holds', () => {
    expect(holds({ 'ForAllValues:StringLike': { [K]: ['a*', 'b*'] } }, { [K]: ['ax', 'by'] })).toBe(true);
    expect(holds({ 'ForAllValues:StringLike': { [K]: ['a*', 'b*'] } }, { [K]: ['ax', 'cy'] })).toBe(false);
    expect(holds({ 'ForAllValues:StringLike': { [K]: ['a*'] } }, { [K]: [] })).toBe(true);
  });

  it('a plain operator on a list matches when any value does; a negated one when none does', () => {
    expect(holds({ StringEquals: { [K]: 'b' } }, { [K]: ['a', 'b'] })).toBe(true);
    expect(holds({ StringNotEquals: { [K]: 'b' } }, { [K]: ['a', 'b'] })).toBe(false);
    expect(holds({ StringNotEquals: { [K]: 'c' } }, { [K]: ['a', 'b'] })).toBe(true);
  });
});

describe('what is refused', () => {
  const run = (condition: unknown) => (): unknown => holds(condition as PolicyCondition, {});

  it.each(['IpAddress', 'NotIpAddress', 'BinaryEquals', 'StringMatches', 'NullIfExists', 'ForAnyValue:Null'])(
    'operator %s throws UnsupportedPolicyFeatureError naming it, even if the key is absent',
    (operator) => {
      expect(run({ [operator]: { [K]: 'x' } })).toThrow(
        new UnsupportedPolicyFeatureError(`identity policy 0 Statement[0].Condition.${operator}.${K}: condition operator "${operator}" is not supported`),
      );
    },
  );

  it('a policy variable throws UnsupportedPolicyFeatureError', () => {
    expect(run({ StringEquals: { [K]: '${aws:username}' } })).toThrow(UnsupportedPolicyFeatureError);
  });

  it.each<[string, unknown, string]>([
    ['a non-number for a Numeric operator', { NumericEquals: { [K]: 'ten' } }, '"ten" is not a number'],
    ['a non-date for a Date operator', { DateLessThan: { [K]: 'tomorrow' } }, '"tomorrow" is not a date (ISO 8601 or epoch seconds)'],
    ['a non-boolean for Bool', { Bool: { [K]: 'yes' } }, 'Bool takes "true" or "false", not "yes"'],
    ['a non-ARN for an Arn operator', { ArnLike: { [K]: 'role/x' } }, '"role/x" is not an ARN'],
    ['an empty value list', { StringEquals: { [K]: [] } }, 'must have at least one value'],
    ['an object value', { StringEquals: { [K]: { a: 1 } } }, 'values must be strings, numbers or booleans'],
    ['an operator that is not an object', { StringEquals: 'x' }, 'Condition.StringEquals must be an object'],
  ])('%s throws MalformedPolicyError', (_label, condition, message) => {
    expect(run(condition)).toThrow(MalformedPolicyError);
    expect(run(condition)).toThrow(message);
  });

  it('lists the supported operators', () => {
    expect([...SUPPORTED_CONDITION_OPERATORS].sort()).toEqual(
      [
        'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Bool', 'DateEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
        'DateLessThan', 'DateLessThanEquals', 'DateNotEquals', 'Null', 'NumericEquals', 'NumericGreaterThan',
        'NumericGreaterThanEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericNotEquals', 'StringEquals',
        'StringEqualsIgnoreCase', 'StringLike', 'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike',
      ].sort(),
    );
  });
});
