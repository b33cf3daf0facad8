import { basename, resolve } from 'node:path';
import { CROSS_ACCOUNT_CONTEXT_KEYS, HANDOFF_CONTEXT_KEYS } from '@slack-ai-app/stack-contract';
import type { PlannedDeployment } from '../assembly/accounts';
import type { LocalDeployment } from '../assembly/deployment';
import { RedeployError, assemblyCodeKey, synthesizeAssembly } from '../assembly/synthesize';
import type { LocalEnvironmentInput } from '../app-environment';
import { localEnvironment } from '../app-environment';
import { withLocalTwoAccountContext } from '../cli/synth-context';
import type { FunctionRole } from '../constants';
import type { LambdaFunction } from '../lambda/function';
import { REDEPLOY_CONTEXT_KEYS, handoffOf, nextRedeployContext, type RedeployContext } from '../redeploy';
import type { StackContext } from './context';
import { mergeEnvironment } from './functions';
import { apiGatewayMayInvoke, functionPolicies, rolePrincipal, systemWiring, type SystemWiring } from './system-wiring';
import type { RedeployResult } from './types';

/** The local redeploy of a running stack (`LocalStack.redeploy`, `redeployAssembly` and `POST /_local/deployments`). */
export interface Redeployer {
  /** The deployment now running. */
  readonly deployment: LocalDeployment;
  /** The assembly it was deployed from. */
  readonly assemblyDirectory: string;
  /** The hand-off settings last deployed. */
  readonly handoff: RedeployContext;
  /** {@link LocalStack.redeploy}. */
  redeploy(context: Partial<RedeployContext>): Promise<RedeployContext>;
  /** {@link LocalStack.redeployAssembly}. */
  redeployAssembly(directory: string): Promise<RedeployResult>;
  /** `POST /_local/deployments`: `{ context }` or `{ assemblyDirectory }`. */
  route(body: unknown): Promise<RedeployResult>;
}

/**
 * Creates the redeploy of a running stack: it re-synthesizes or reads a new assembly, validates all of it, then swaps
 * the changed function environments and the function and role policies in one event-loop turn. One redeploy runs at a
 * time, in call order.
 *
 * @param plan - reads an assembly directory as a deployment
 * @param assemblyDirectory - the assembly the stack started from
 */
export function createRedeployer(
  ctx: StackContext,
  functions: Readonly<Record<FunctionRole, LambdaFunction>>,
  environmentInput: LocalEnvironmentInput,
  plan: (directory: string) => PlannedDeployment,
  assemblyDirectory: string,
): Redeployer {
  const { options, root, deployment, accounts, wiring, principalsByName, executeMethodArn, live } = ctx;
  let handoff = handoffOf(functions.verification.configuration.environment);
  // Every redeploy synthesizes the same layout: in the two-account layout, both stacks in the same two accounts.
  const layoutContext: Readonly<Record<string, string>> = accounts.crossAccount
    ? withLocalTwoAccountContext({ [CROSS_ACCOUNT_CONTEXT_KEYS.verificationAccount]: accounts.verification, [CROSS_ACCOUNT_CONTEXT_KEYS.executionAccount]: accounts.execution })
    : {};
  let current = { deployment, assemblyDirectory, context: layoutContext };
  // A cached re-synth is reused only for the code running now.
  const codeKey = assemblyCodeKey(assemblyDirectory);
  let redeploying: Promise<unknown> = Promise.resolve();
  const deployAssembly = async (directory: string, context: Readonly<Record<string, string>>): Promise<RedeployResult> => {
    // Validate the whole new assembly before anything changes.
    let next: LocalDeployment;
    let nextWiring: SystemWiring;
    try {
      next = plan(directory).deployment;
      nextWiring = systemWiring(next);
    } catch (error) {
      throw new RedeployError(`the assembly in ${directory} cannot be deployed: ${(error as Error).message}`, { cause: error });
    }
    const environments = {} as Record<FunctionRole, Record<string, string>>;
    for (const role of ['verification', 'execution'] as const) {
      const template = nextWiring.functions[role];
      const running = wiring.functions[role];
      if (template.name !== running.name || basename(template.codeDirectory) !== basename(running.codeDirectory) || template.handlerExport !== running.handlerExport) {
        throw new RedeployError(`the ${role} function's name or code changed (${running.name} → ${template.name}); the local stack redeploys configuration only: restart it`);
      }
      // The template decides the routing now: the start options' percentage and fallback overrides no longer apply.
      const input = { ...environmentInput, apiGatewayPercentage: undefined, directInvokeFallback: true };
      environments[role] = mergeEnvironment(localEnvironment(template, role, input), options.functions?.[role]?.environment);
    }
    const nextPolicies = functionPolicies(next);
    const nextPermitted = apiGatewayMayInvoke(next, nextWiring.functions.execution, executeMethodArn);
    // The roles' identity policies (e.g. the verification role's invoke grant) as the new template attaches them.
    const nextIdentity = (['verification', 'execution'] as const).map((role) => {
      const principal = rolePrincipal(next, nextWiring.functions[role], role);
      if (principal.principalArn !== principalsByName[role].principalArn) throw new RedeployError(`the ${role} function's role changed; restart the local stack`);
      return { role, identityPolicies: principal.identityPolicies };
    });
    // Swap everything in this one turn of the event loop: no request sees half of it.
    live.functionPolicies = nextPolicies;
    live.integrationPermitted = nextPermitted;
    // The principals are shared by the directory and the functions' configurations: update them in place.
    for (const { role, identityPolicies } of nextIdentity) Object.assign(principalsByName[role], { identityPolicies });
    const changed = (['verification', 'execution'] as const).filter((role) => !sameEnvironment(functions[role].configuration.environment, environments[role]));
    const updates = changed.map((role) => functions[role].updateConfiguration({ environment: environments[role] }));
    current = { deployment: next, assemblyDirectory: directory, context };
    await Promise.all(updates);
    return { assemblyDirectory: directory, context, updatedFunctions: changed.map((role) => functions[role].name) };
  };
  // One redeploy at a time, in call order.
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = redeploying.then(work, work);
    redeploying = run.catch(() => undefined);
    return run;
  };
  const redeployValues = (values: Readonly<Record<string, string>>): Promise<RedeployResult> =>
    serialized(async () => {
      const context = { ...current.context, ...values };
      const result = await deployAssembly(await synthesizeAssembly({ workspaceRoot: root, context, codeKey }), context);
      handoff = handoffOf(functions.verification.configuration.environment);
      return result;
    });
  const route = async (body: unknown): Promise<RedeployResult> => {
    const parsed = body as { context?: unknown; assemblyDirectory?: unknown };
    if (typeof parsed?.assemblyDirectory === 'string') {
      const directory = resolve(root, parsed.assemblyDirectory);
      const result = await serialized(() => deployAssembly(directory, current.context));
      handoff = handoffOf(functions.verification.configuration.environment);
      return result;
    }
    return redeployValues(redeployContextValues((parsed?.context ?? {}) as Record<string, unknown>));
  };
  return {
    get deployment() {
      return current.deployment;
    },
    get assemblyDirectory() {
      return current.assemblyDirectory;
    },
    get handoff() {
      return handoff;
    },
    redeploy: async (context) => {
      const next = nextRedeployContext(handoff, context);
      await redeployValues({
        [REDEPLOY_CONTEXT_KEYS.executionApiPercentage]: String(next.executionApiPercentage),
        [REDEPLOY_CONTEXT_KEYS.enableDirectInvokeFallback]: String(next.enableDirectInvokeFallback),
      });
      return handoff;
    },
    redeployAssembly: (directory) => serialized(() => deployAssembly(resolve(root, directory), current.context)),
    route,
  };
}

/**
 * The context values of a redeploy, as `cdk deploy -c key=value` passes them (strings).
 *
 * @throws RedeployError for a value out of range or of the wrong type
 */
function redeployContextValues(change: Readonly<Record<string, unknown>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(change ?? {})) {
    if (key === HANDOFF_CONTEXT_KEYS.executionApiPercentage) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) throw new RedeployError(`executionApiPercentage must be an integer from 0 to 100, not ${JSON.stringify(value)}`);
    } else if (key === HANDOFF_CONTEXT_KEYS.useApiGateway || key === HANDOFF_CONTEXT_KEYS.enableDirectInvokeFallback) {
      if (typeof value !== 'boolean') throw new RedeployError(`${key} must be true or false, not ${JSON.stringify(value)}`);
    } else {
      throw new RedeployError(`${key} is not a context value a redeploy changes (executionApiPercentage, useApiGateway, enableDirectInvokeFallback)`);
    }
    values[key] = String(value);
  }
  return values;
}

function sameEnvironment(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
