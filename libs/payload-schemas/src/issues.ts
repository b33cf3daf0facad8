import type { core } from 'zod/mini';
import { PayloadValidationError, type ParseResult, type PayloadIssue } from './errors';

/** The part of a zod/mini schema this module needs: `safeParse` with a per-call error map. */
interface SafeParser<T> {
  safeParse(
    data: unknown,
    params?: core.ParseContext<core.$ZodIssue>,
  ): { success: true; data: T } | { success: false; error: { issues: core.$ZodIssue[] } };
}

/**
 * Parses `input` with `schema` and turns zod's issues into {@link PayloadIssue}s with our own wording.
 *
 * The messages come from {@link describeIssue}, which sees the input but never copies it into a message, so a
 * failed parse of a payload holding a token or user text yields an error that is safe to log. Checks that carry
 * their own message (patterns) keep it; those messages are static strings in the schema.
 */
export function parseWith<T>(schema: SafeParser<T>, subject: string, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input, { error: describeIssue });
  if (result.success) return { ok: true, value: result.data };
  const issues: PayloadIssue[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  return { ok: false, error: new PayloadValidationError(subject, issues) };
}

/** Builds the failure for a check made outside zod (for example a discriminator). */
export function failure(subject: string, path: string, message: string): ParseResult<never> {
  return { ok: false, error: new PayloadValidationError(subject, [{ path, message }]) };
}

/** Re-roots issues found while parsing a nested value (`channel` inside `event` becomes `event.channel`). */
export function prefixIssues(prefix: string, error: PayloadValidationError, subject: string): PayloadValidationError {
  return new PayloadValidationError(
    subject,
    error.issues.map((issue) => ({ path: issue.path === '' ? prefix : `${prefix}.${issue.path}`, message: issue.message })),
  );
}

/** Renders a zod path as `a.b[0].c`. Keys come from our schemas (unknown keys are stripped, not reported). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Names the JSON type of a value without revealing the value. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * zod error map used for every parse in this package. Must not interpolate `issue.input`: it is the payload.
 * Returns `undefined` only for issue kinds our schemas never raise, letting zod fall back to "Invalid input".
 */
function describeIssue(issue: core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${issue.expected}, received ${describeType(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      }
      return `must have at least ${issue.minimum} items`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : `must have at most ${issue.maximum} items`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return 'has an invalid format';
    default:
      return 'is invalid';
  }
}
