/**
 * Entry point of the verification Lambda (Function URL, payload format 2.0): `handler`.
 *
 * Everything is built once per container, at module scope: the logger and the parsed configuration. Heavy modules
 * (the SigV4 signer, `@aws-sdk/client-lambda`) are loaded on first use by the path that needs them.
 */
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { type AppLogger, createLogger, LogEvent, LoggerConfigError } from '@slack-ai-app/logging';
import { buildDependencies, type Dependencies } from './dependencies';
import { errorResponse, type FunctionUrlResponse } from './function-url';
import { handleSlackRequest } from './handle-slack-request';

const BASE = { service: 'verification' };

function createModuleLogger(): AppLogger {
  try {
    return createLogger({ base: BASE });
  } catch (error) {
    if (!(error instanceof LoggerConfigError)) throw error;
    const fallback = createLogger({ base: BASE, level: 'info' });
    fallback.event(LogEvent.ConfigInvalid, { variables: ['LOG_LEVEL'], error: error.message, fallback_level: 'info' }, 'warn');
    return fallback;
  }
}

const logger = createModuleLogger();
const built: Dependencies = buildDependencies(process.env, logger);
if (!built.ok) {
  logger.event(LogEvent.ConfigInvalid, { variables: built.error.variables, error: built.error.message }, 'error');
}

/**
 * The Lambda handler. With a valid configuration it delegates to {@link handleSlackRequest}. With an invalid one it
 * fails closed: every request gets 401 `{"error":"service misconfigured; request cannot be verified"}` and a
 * `config_invalid` log line naming the variables (see README, "When the configuration is invalid").
 *
 * @param event - the Function URL event
 * @param context - the Lambda context
 * @returns the Function URL response; never throws
 */
export async function handler(event: LambdaFunctionURLEvent, context: Context): Promise<FunctionUrlResponse> {
  if (!built.ok) {
    logger
      .forInvocation(context, context?.awsRequestId)
      .event(LogEvent.ConfigInvalid, { variables: built.error.variables, error: built.error.message }, 'error');
    return errorResponse(401, 'service misconfigured; request cannot be verified');
  }
  return handleSlackRequest(event, context, built.deps);
}
