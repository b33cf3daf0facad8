/** Compiled patterns; policies are few and fixed, so this stays small (cleared past a bound, for generated tests). */
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 10_000;

/**
 * IAM glob: `*` is any run of characters (possibly empty), `?` exactly one; everything else is literal. Used for
 * Action (case-insensitive), Resource and `StringLike` (case-sensitive).
 * Source: IAM User Guide, "IAM JSON policy elements: Action" / "Resource" and "Condition operators"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
 *
 * @param pattern - the policy's value
 * @param value - the request's value
 * @param ignoreCase - true for actions
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = compiled.get(cacheKey);
  if (regex === undefined) {
    const source = Array.from(pattern, (char) =>
      char === '*' ? '[\\s\\S]*' : char === '?' ? '[\\s\\S]' : char.replace(/[\\^$.|+()[\]{}/-]/g, '\\$&'),
    ).join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(cacheKey, regex);
  }
  return regex.test(value);
}

/**
 * Splits an ARN into its six components, `arn:partition:service:region:account:resource`; the resource part may
 * itself contain `:`.
 *
 * @returns the six components, or `undefined` when the value is not an ARN
 */
export function splitArn(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * `ArnEquals` / `ArnLike`: "each of the six colon-delimited components of the ARN is checked separately and each can
 * include multi-character match wildcards (*) or single-character match wildcards (?)", so a wildcard never crosses
 * a component. Source: IAM User Guide, "Condition operators", Amazon Resource Name (ARN) condition operators
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
 *
 * @param pattern - the policy's ARN (already checked to be an ARN)
 * @param value - the request's value; anything that is not an ARN does not match
 */
export function arnMatch(pattern: string, value: string): boolean {
  const patternParts = splitArn(pattern);
  const valueParts = splitArn(value);
  if (patternParts === undefined || valueParts === undefined) return false;
  return patternParts.every((part, index) => wildcardMatch(part, valueParts[index] as string, false));
}
