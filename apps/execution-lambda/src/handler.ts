import type { Context } from 'aws-lambda';
import { processExecutionEvent } from './process-event';
import type { ExecutionDeps, ExecutionOutcome } from './run';

/** The Lambda handler's signature: any of the accepted event shapes, and the Lambda context. */
export type ExecutionHandler = (event: unknown, context: Context) => Promise<ExecutionOutcome>;

/**
 * Create the thin Lambda handler over {@link processExecutionEvent}, with dependencies built once per container.
 *
 * @example
 * export const handler = createHandler(buildDependencies(process.env, logger));
 */
export function createHandler(deps: ExecutionDeps): ExecutionHandler {
  return (event, context) => processExecutionEvent(event, context, deps);
}
