import { describeErrorLine } from '@slack-ai-app/errors';

/** The outcome of one check: `SKIP` when it cannot apply yet (e.g. before the first deploy). */
export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP';

/** The checks, in the order they run and print. */
export const CHECK_NAMES = [
  'credentials',
  'extension-layer',
  'bedrock-model',
  'bootstrap',
  'app-stack',
  'signing-secret',
  'bot-token',
  'check-auth',
] as const;

/** One check's name. */
export type CheckName = (typeof CHECK_NAMES)[number];

/** One line of the report. Never carries a secret value. */
export interface CheckResult {
  readonly name: CheckName;
  readonly status: CheckStatus;
  /** What was found (PASS), what is wrong (FAIL) or why the check does not apply (SKIP). */
  readonly detail: string;
  /** What to do about a FAIL, as a command or a short instruction. */
  readonly fix?: string;
}

/** Whether a report has a FAIL (the CLI then exits 1). */
export function hasFailure(results: readonly CheckResult[]): boolean {
  return results.some((result) => result.status === 'FAIL');
}

/**
 * One line, secret-free, for an error thrown by an AWS call: `Name: message`, whitespace collapsed, at most 300
 * characters (a report cell). The shared one-line form (`@slack-ai-app/errors`): the report's sentence already says
 * what failed, so the cause chain is left out.
 */
export function describeError(error: unknown): string {
  return describeErrorLine(error, 300);
}

/** The AWS error name of a thrown SDK error (`ResourceNotFoundException`, `AccessDeniedException`…): the shared helper. */
export { errorName } from '@slack-ai-app/errors';
