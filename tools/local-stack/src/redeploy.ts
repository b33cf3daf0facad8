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
