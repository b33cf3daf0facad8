import * as path from 'node:path';
import { startLocalStack, type LocalStack } from '../../src';

/** A Lambda bundle that does nothing (`exports.handler` answers 200 with an empty body). */
export const IDLE_BUNDLE = path.join(__dirname, '..', 'fixtures', 'idle-lambda', 'main.js');

/**
 * Starts the local stack on free ports with both functions running {@link IDLE_BUNDLE}: for the tests of other tools
 * whose calls never reach a function (preflight, rollout's check-auth), so they do not depend on the apps' builds.
 * Shared as `@slack-ai-app/local-stack/testing` (tests only).
 */
export function startIdleLocalStack(): Promise<LocalStack> {
  return startLocalStack({
    ports: { slack: 0, slackApi: 0, aws: 0 },
    functions: { verification: { bundlePath: IDLE_BUNDLE }, execution: { bundlePath: IDLE_BUNDLE } },
  });
}
