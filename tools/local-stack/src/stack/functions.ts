import type { LocalEnvironmentInput } from '../app-environment';
import { localEnvironment } from '../app-environment';
import { LOCAL_API_ID, LOCAL_REGION, accountOfArn, type FunctionRole } from '../constants';
import { AsyncInvoker } from '../lambda/async-invoker';
import { queueDestination } from '../lambda/destinations';
import { DEFAULT_MAX_CONTAINERS, LambdaFunction, type FunctionConfiguration } from '../lambda/function';
import type { FunctionRegistry } from '../lambda/registry';
import { startSecretsExtension, type SecretsExtension } from '../lambda/secrets-extension';
import type { FunctionOverrides } from '../options';
import type { StackContext } from './context';
import { principalOf } from './system-wiring';

/** Lambda's default number of asynchronous retries (AWS::Lambda::EventInvokeConfig MaximumRetryAttempts). */
const MAXIMUM_ASYNC_RETRIES = 2;
/** Local waits before the asynchronous retries (Lambda waits about a minute, then two). */
const DEFAULT_ASYNC_RETRY_DELAYS_MS = [200, 400] as const;


/**
 * What the functions' environments are made from: the local endpoints, and the start options' routing overrides.
 *
 * @param awsOrigin - the local AWS endpoint
 * @param slackApiUrl - the Slack Web API stand-in
 */
export function environmentInputOf(ctx: StackContext, awsOrigin: string, slackApiUrl: string): LocalEnvironmentInput {
  const { options, deployment } = ctx;
  return {
    awsOrigin,
    apiId: deployment.restApi?.id ?? LOCAL_API_ID,
    region: LOCAL_REGION,
    slackApiUrl: options.slack?.apiUrl ?? slackApiUrl,
    localWorkspace: options.slack?.apiUrl === undefined,
    apiGatewayPercentage: options.useApiGatewayPercentage === 'template' ? undefined : (options.useApiGatewayPercentage ?? 100),
    directInvokeFallback: options.directInvokeFallback ?? true,
  };
}

/**
 * Starts the two functions as the template configures them (with the start options' overrides): each with its secrets
 * extension, its asynchronous invoker and its on-failure destination, registered for the Lambda API.
 *
 * @param bundles - each function's deployed bundle
 * @returns the functions by role
 */
export async function startFunctions(
  ctx: StackContext,
  registry: FunctionRegistry,
  environmentInput: LocalEnvironmentInput,
  bundles: Readonly<Record<FunctionRole, string>>,
  awsEndpointUrl: string,
): Promise<Record<FunctionRole, LambdaFunction>> {
  const { options, now, accounts, wiring, principalsByName, lifecycle } = ctx;
  const { activity, logs, trace, deadLetters, queues, authorizeQueue, faults } = ctx.stores;
  const functions = {} as Record<FunctionRole, LambdaFunction>;
  for (const role of ['verification', 'execution'] as const) {
    const overrides: FunctionOverrides = options.functions?.[role] ?? {};
    const template = wiring.functions[role];
    const config: FunctionConfiguration = {
      name: template.name,
      accountId: accountOfArn(template.arn) ?? accounts.execution,
      bundlePath: bundles[role],
      handler: template.handlerExport,
      principal: principalOf(principalsByName, overrides.principal ?? role),
      environment: mergeEnvironment(localEnvironment(template, role, environmentInput), overrides.environment),
      memoryMb: overrides.memoryMb ?? template.memoryMb,
      timeoutSeconds: overrides.timeoutSeconds ?? template.timeoutSeconds,
      ...(template.runtime !== undefined ? { runtime: template.runtime } : {}),
      // As the template says: unreserved unless it sets ReservedConcurrentExecutions.
      reservedConcurrency: overrides.reservedConcurrency ?? template.reservedConcurrency,
      maxContainers: overrides.maxContainers ?? DEFAULT_MAX_CONTAINERS,
    };
    const current = { principal: config.principal };
    const extension: SecretsExtension = await startSecretsExtension({
      functionName: config.name,
      principal: () => current.principal,
      awsEndpointUrl,
      ...(options.secretsCacheTtlMs !== undefined ? { ttlMs: options.secretsCacheTtlMs } : {}),
      activity,
    });
    lifecycle.onStop(() => extension.close());
    const fn = new LambdaFunction(config, { awsEndpointUrl, extensionPort: extension.port }, {
      logs,
      trace,
      faults,
      faultTarget: role === 'verification' ? 'verificationFunction' : 'executionFunction',
      activity,
      now,
      // New sandboxes get the new role, and their extension starts with an empty cache.
      onConfigurationChange: (changed) => {
        current.principal = changed.principal;
        extension.resetCache();
      },
    });
    // The on-failure destination, when it is one of the template's queues: records go there, sent with the role.
    const destinationQueue = queues.find((queue) => queue.arn === template.eventInvokeConfig?.onFailureDestination);
    if (destinationQueue !== undefined) deadLetters.attach(destinationQueue);
    const asyncInvoker = new AsyncInvoker({
      functionName: config.name,
      functionArn: fn.arn,
      run: (request) => fn.invoke(request, true),
      deadLetters,
      ...(destinationQueue !== undefined
        ? { destination: queueDestination({ functionName: config.name, queue: destinationQueue, principal: () => current.principal, authorize: authorizeQueue, deadLetters, now }) }
        : {}),
      trace,
      activity,
      now,
      // The template's MaximumRetryAttempts, with local (short) waits before each retry.
      retryDelaysMs: (options.asyncRetryDelaysMs ?? DEFAULT_ASYNC_RETRY_DELAYS_MS).slice(0, template.eventInvokeConfig?.maximumRetryAttempts ?? MAXIMUM_ASYNC_RETRIES),
    });
    registry.register({ fn, async: asyncInvoker });
    functions[role] = fn;
    lifecycle.onStop(async () => {
      asyncInvoker.stop();
      await fn.shutdown();
    });
  }
  return functions;
}

/**
 * A function's environment with overrides applied: a value replaces the template's, `undefined` removes the variable.
 *
 * @param base - the environment from the template
 */
export function mergeEnvironment(base: Readonly<Record<string, string>>, overrides: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const merged: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

