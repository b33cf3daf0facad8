import { ConfigError } from '@slack-ai-app/errors';
import type { AppLogger } from '@slack-ai-app/logging';
import { type Environment, parseConfig } from './config';
import { createDirectInvoker } from './direct-invoker';
import { createExecutionApiClient } from './execution-api-client';
import type { VerificationDeps } from './handle-slack-request';
import { createCachedSecretProvider, secretReaderFor } from './signing-secret';

/**
 * The outcome of {@link buildDependencies}: the dependencies, or the configuration error that prevents them (the
 * handler then fails closed on every request instead of failing the init).
 */
export type Dependencies = { readonly ok: true; readonly deps: VerificationDeps } | { readonly ok: false; readonly error: ConfigError };

/**
 * Builds the verification core's dependencies from the environment, once per container. Cheap by design: it parses
 * the configuration and creates closures; the signing secret, the SigV4 signer and the Lambda client are all loaded on
 * first use.
 *
 * @param env - usually `process.env`
 * @param logger - the module-scope logger
 * @param now - clock, epoch milliseconds
 * @returns the dependencies, or the {@link ConfigError} naming the bad variables
 */
export function buildDependencies(env: Environment, logger: AppLogger, now: () => number = Date.now): Dependencies {
  let config;
  try {
    config = parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error };
    throw error;
  }
  const { handoff } = config;
  const api =
    handoff.executionApi.ok && handoff.region !== undefined
      ? createExecutionApiClient({ executeUrl: handoff.executionApi.executeUrl, region: handoff.region, timeoutMs: handoff.executionApiTimeoutMs, now })
      : undefined;
  const direct =
    handoff.bedrockProcessorArn === undefined ? undefined : createDirectInvoker({ functionName: handoff.bedrockProcessorArn, region: handoff.region });
  const secrets = createCachedSecretProvider(secretReaderFor(config.signingSecret, env), { now });
  return { ok: true, deps: { config, secrets, api, direct, logger, now } };
}
