/**
 * The two-account layout of the CDK app (`apps/infra`, README "Two accounts"): its context keys, its two stacks, and the
 * fixed names each stack uses to name the other's resources before they exist. The template-driven local stack and
 * `tools/rollout` name the same things.
 */

/** The context keys of the two-account layout (`-c key=value`); without both account keys the app is one stack. */
export const CROSS_ACCOUNT_CONTEXT_KEYS = {
  verificationAccount: 'verificationAccount',
  executionAccount: 'executionAccount',
  verificationRegion: 'verificationRegion',
  executionRegion: 'executionRegion',
  executionApiId: 'executionApiId',
} as const;

/** The stack names of the two-account layout, in deploy order. */
export const CROSS_ACCOUNT_STACKS = {
  /** The execution account's stack: API, execution Lambda, idempotency table, DLQ, bot-token secret, monitoring. */
  execution: 'SlackAiExecution',
  /** The verification account's stack: the Function URL Lambda, its role, the signing secret, monitoring. */
  verification: 'SlackAiVerification',
} as const;

/** The execution stack's output that the verification deploy takes as `-c executionApiId=…`. */
export const EXECUTION_API_ID_OUTPUT = 'ExecutionApiId';

/** The execution API's name in the two-account layout (the `ApiName` dimension of its metrics), known to both stacks. */
export const CROSS_ACCOUNT_EXECUTION_API_NAME = `${CROSS_ACCOUNT_STACKS.execution}-execution-api`;

/** The execution function's fixed name, so the verification stack can grant `lambda:InvokeFunction` on its ARN. */
export const EXECUTION_FUNCTION_NAME = 'slack-ai-app-execution';

/**
 * The verification role's fixed name, so the execution stack can name the role before it exists. IAM role names are
 * per account (not per Region), hence the Region in it.
 *
 * @param region - the verification Region, e.g. `us-east-1`
 * @returns e.g. `slack-ai-app-verification-us-east-1`
 */
export function verificationRoleName(region: string): string {
  return `slack-ai-app-verification-${region}`;
}
