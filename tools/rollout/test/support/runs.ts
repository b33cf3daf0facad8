/** Shared by the rollout command specs: the stack, the run options and a traffic model that follows the deployment. */
import type { TimeWindow } from '../../src/metrics';
import type { RunOptions } from '../../src/rollout';
import { type FakeDeployment, MINUTE, type Traffic } from './fakes';

export const STACK = 'SlackBedrockStack';
export const POLL = 5 * MINUTE;
export const RUN: RunOptions = { stack: STACK, pollIntervalMs: POLL, rollbackRetry: { attempts: 3, delayMs: MINUTE } };
export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Traffic split by the deployed percentage: `total` hand-offs a minute, `percentage` % of them through the API.
 * `stage` adds per-minute faults for a given percentage.
 */
export function byPercentage(total: number, faults: Record<number, Partial<Traffic>> = {}) {
  return (_window: TimeWindow, deployment: FakeDeployment): Traffic => {
    const percentage = deployment.routing.effectivePercentage ?? 0;
    const api = (total * percentage) / 100;
    return { apiHandoffsPerMinute: api, directHandoffsPerMinute: total - api, apiP95Ms: 200, directP95Ms: 200, ...faults[percentage] };
  };
}
