import { executionFunctionArnFrom, HANDOFF_CONTEXT_KEYS, VERIFICATION_ENV } from '@slack-ai-app/stack-contract';

/** The synth context a local redeploy takes: the CDK context keys of apps/infra that tools/rollout changes. */
export interface RedeployContext {
  /** `executionApiPercentage`, 0–100. */
  readonly executionApiPercentage: number;
  /** `enableDirectInvokeFallback`. */
  readonly enableDirectInvokeFallback: boolean;
}

/** Thrown for a redeploy context the CDK app would refuse; names the key. */
export class RedeployContextError extends Error {
  override readonly name = 'RedeployContextError';
}

/**
 * The context of the next deploy: the keys given, the others as last deployed.
 *
 * @param current - what is deployed
 * @param change - the keys to change
 * @throws {@link RedeployContextError} for a percentage that is not a whole number from 0 to 100
 */
export function nextRedeployContext(current: RedeployContext, change: Partial<RedeployContext>): RedeployContext {
  const next = { ...current, ...change };
  if (!Number.isInteger(next.executionApiPercentage) || next.executionApiPercentage < 0 || next.executionApiPercentage > 100) {
    throw new RedeployContextError(`executionApiPercentage must be a whole number from 0 to 100, got ${String(next.executionApiPercentage)}`);
  }
  if (typeof next.enableDirectInvokeFallback !== 'boolean') throw new RedeployContextError('enableDirectInvokeFallback must be true or false');
  return next;
}

/**
 * The CDK context keys a redeploy passes to `cdk synth` (apps/infra reads them in `src/config.ts`; tools/rollout
 * passes the same to `cdk deploy`).
 */
export const REDEPLOY_CONTEXT_KEYS = {
  executionApiPercentage: HANDOFF_CONTEXT_KEYS.executionApiPercentage,
  enableDirectInvokeFallback: HANDOFF_CONTEXT_KEYS.enableDirectInvokeFallback,
} as const satisfies Record<keyof RedeployContext, string>;

/**
 * The hand-off a verification function's environment is deployed with, as the app reads it: the share of the
 * execution API (`USE_API_GATEWAY_PERCENTAGE`), and the direct path when `EXECUTION_FUNCTION_ARN` (or its alias) is set
 * (docs/contracts.md).
 *
 * @param environment - the function's environment variables
 */
export function handoffOf(environment: Readonly<Record<string, string>>): RedeployContext {
  const percentage = Number(environment[VERIFICATION_ENV.apiGatewayPercentage] ?? '0');
  return {
    executionApiPercentage: Number.isInteger(percentage) && percentage >= 0 && percentage <= 100 ? percentage : 0,
    enableDirectInvokeFallback: executionFunctionArnFrom(environment) !== undefined,
  };
}
