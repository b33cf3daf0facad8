import { MalformedPolicyError, UnsupportedPolicyFeatureError } from './errors';

/** True for a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads an IAM "string or list of strings" element (Action, Resource, a principal list...).
 *
 * @param value - the element
 * @param at - where it is, for messages
 * @throws MalformedPolicyError unless it is a string or a non-empty list of strings
 * @throws UnsupportedPolicyFeatureError for a policy variable or an unresolved `${Token[...]}`
 */
export function stringList(value: unknown, at: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item): item is string => typeof item === 'string')) {
    throw new MalformedPolicyError(`${at} must be a string or a non-empty array of strings`);
  }
  for (const item of list) {
    if (item.includes('${')) {
      throw new UnsupportedPolicyFeatureError(`${at}: policy variables and unresolved tokens are not supported ("${item}")`);
    }
  }
  return list;
}
