import type { ExecutionRequest } from '@slack-ai-app/payload-schemas';
import type { VerificationConfig } from '../../src/config';
import { parseConfig } from '../../src/config';
import type { ApiAttempt } from '../../src/handoff-outcome';
import type { DirectInvoker, ExecutionApiClient } from '../../src/handoff';
import type { SigningSecretProvider } from '../../src/signing-secret';

/** The signing secret the tests sign with. */
export const TEST_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

/** A pinned clock: epoch ms, advanced only by hand. */
export function pinnedClock(epochMs: number): { now: () => number; advance: (ms: number) => void } {
  let current = epochMs;
  return { now: () => current, advance: (ms) => void (current += ms) };
}

/** A secret provider serving fixed values; `refresh` moves to the next one (rotation). */
export function staticSecrets(...values: string[]): SigningSecretProvider & { gets: number; refreshes: number } {
  let index = 0;
  const provider = {
    gets: 0,
    refreshes: 0,
    get: async () => {
      provider.gets += 1;
      return values[index] as string;
    },
    refresh: async () => {
      provider.refreshes += 1;
      if (index + 1 >= values.length) return undefined;
      index += 1;
      return values[index];
    },
  };
  return provider;
}

/** A secret provider that always fails, as an unreachable extension would. */
export function failingSecrets(error: Error): SigningSecretProvider {
  return { get: async () => Promise.reject(error), refresh: async () => Promise.reject(error) };
}

/** A recording API path that answers the scripted attempts in order (the last one repeats). */
export function scriptedApi(...attempts: Array<ApiAttempt | number>): ExecutionApiClient & { calls: Array<{ request: ExecutionRequest; correlationId: string }> } {
  const calls: Array<{ request: ExecutionRequest; correlationId: string }> = [];
  return {
    calls,
    post: async (request, correlationId) => {
      calls.push({ request, correlationId });
      const next = attempts[Math.min(calls.length - 1, attempts.length - 1)] as ApiAttempt | number;
      return typeof next === 'number' ? { kind: 'response', status: next, body: `{"status":${next}}`, latencyMs: 42 } : next;
    },
  };
}

/** A recording direct path that answers 202, or throws when `fail` is set. */
export function recordingDirect(fail?: Error): DirectInvoker & { calls: ExecutionRequest[] } {
  const calls: ExecutionRequest[] = [];
  return {
    calls,
    invoke: async (request) => {
      calls.push(request);
      if (fail !== undefined) throw fail;
      return 202;
    },
  };
}

/** A configuration built through {@link parseConfig} from a test environment. */
export function testConfig(env: Record<string, string> = {}): VerificationConfig {
  return parseConfig({ SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:execution', AWS_REGION: 'us-east-1', ...env });
}
