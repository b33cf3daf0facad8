/**
 * Entry point of the execution Lambda (`dist/apps/execution-lambda/main.js`, export `handler`).
 *
 * Configuration is parsed and clients are created once, at cold start. An invalid configuration is logged as
 * `config_invalid` (naming the variables, never their values) and fails the init, so every event stays with Lambda's
 * async retries and then its failure destination until the configuration is fixed.
 */
import { ConfigError, errorName } from '@slack-ai-app/errors';
import { createLogger, LogEvent } from '@slack-ai-app/logging';
import { buildDependencies } from './dependencies';
import { createHandler, type ExecutionHandler } from './handler';
import type { ExecutionDeps } from './run';

const logger = createLogger({ base: { service: 'execution' } });

function init(): ExecutionDeps {
  try {
    return buildDependencies(process.env, logger);
  } catch (error) {
    logger.event(
      LogEvent.ConfigInvalid,
      {
        error: errorName(error),
        variables: error instanceof ConfigError ? error.variables : undefined,
        message: error instanceof ConfigError ? error.message : undefined,
      },
      'error',
    );
    throw error;
  }
}

/** The Lambda handler: detects the event shape (API Gateway or direct invoke) and processes it. */
export const handler: ExecutionHandler = createHandler(init());
