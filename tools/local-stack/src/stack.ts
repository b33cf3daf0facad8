import { resolve } from 'node:path';
import { startAlarmEvaluation } from './aws/alarm-evaluation';
import { PrincipalDirectory } from './iam/principals';
import { FunctionRegistry } from './lambda/registry';
import type { LocalStackOptions } from './options';
import { startAwsEndpoint } from './stack/aws-endpoint';
import { deployFunctionCode } from './stack/bundles';
import { createStores, type StackContext } from './stack/context';
import { feedServiceMetrics } from './aws/local-metrics';
import { environmentInputOf, startFunctions } from './stack/functions';
import { localStackHandle } from './stack/handle';
import { StackLifecycle } from './stack/lifecycle';
import { createRedeployer } from './stack/redeployer';
import { deploySecrets } from './stack/slack-secrets';
import { startSlackServers } from './stack/slack-servers';
import { apiGatewayMayInvoke, assemblyPlanner, executeApiArns, functionPolicies, stackPrincipals, systemWiring } from './stack/system-wiring';
import type { LocalStack } from './stack/types';
import { stackUrls } from './stack/urls';
import { ASSEMBLY_ENV, DEFAULT_ASSEMBLY_DIRECTORY, findWorkspaceRoot } from './stack/workspace';

export { BundleNotFoundError } from './stack/bundles';
export { LOCAL_SLACK_SECRETS } from './stack/slack-secrets';
export { UnsupportedTemplateError } from './stack/system-wiring';
export type { LocalStack, LocalStackCredentials, LocalStackUrls, RedeployResult } from './stack/types';
export { ASSEMBLY_ENV, DEFAULT_ASSEMBLY_DIRECTORY, findWorkspaceRoot } from './stack/workspace';

/**
 * Starts the whole local system on loopback: the Slack ingress (the verification function behind a local Function
 * URL), the local AWS endpoint (execute-api, Lambda, Bedrock, DynamoDB, SQS, Secrets Manager), the Slack Web API
 * stand-in, the two Lambda runtimes and their secrets extensions.
 *
 * @param options - ports, routing percentage, function overrides, model latency, Slack settings…
 * @returns the running stack
 * @throws BundleNotFoundError when a Lambda bundle has not been built
 * @throws ServerStartError when a port is taken
 * @example
 * const stack = await startLocalStack({ ports: { slack: 0, slackApi: 0, aws: 0 }, modelLatencyMs: 0 });
 * const sent = await stack.slack.postUserMessage({ text: 'hello' });
 * await stack.waitForIdle();
 * stack.slack.botReplies({ threadTs: sent.threadTs });
 * await stack.stop();
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const root = options.workspaceRoot ?? findWorkspaceRoot();
  const assemblyDirectory = resolve(root, options.assembly ?? process.env[ASSEMBLY_ENV] ?? DEFAULT_ASSEMBLY_DIRECTORY);
  let ingressUrl: string | undefined;
  const plan = assemblyPlanner(() => ingressUrl);
  const { deployment, accounts } = plan(assemblyDirectory);
  const wiring = systemWiring(deployment);
  const code = deployFunctionCode(root, wiring, options.functions);
  const principalsByName = stackPrincipals(deployment, wiring, accounts);
  const stores = createStores(deployment, accounts, options, now);
  const onInternalError = options.onInternalError ?? ((error, where) => process.stderr.write(`[local-stack] internal error in ${where}: ${String((error as Error)?.stack ?? error)}\n`));
  const lifecycle = new StackLifecycle(stores.activity, onInternalError);
  lifecycle.onStop(code.remove);
  // AWS/Lambda, AWS/SQS and the template's metric filters, as AWS publishes them.
  const { logs, trace, queues, metrics } = stores;
  const serviceMetrics = feedServiceMetrics(metrics, { deployment, logs, trace, queues, now, periodScale: options.alarmEvaluation?.periodScale ?? 1 });
  lifecycle.onStop(async () => serviceMetrics.stop());
  const arns = executeApiArns(deployment, wiring, accounts.execution);
  const ctx: StackContext = {
    ...arns,
    options,
    now,
    root,
    deployment,
    accounts,
    wiring,
    principalsByName,
    stores,
    lifecycle,
    principals: new PrincipalDirectory(principalsByName),
    slackSecrets: deploySecrets(stores.secrets, deployment, wiring, options.slack),
    // Decided once per deployment (a redeploy swaps both): API Gateway's permission and each function's policy.
    live: {
      modelLatencyMs: options.modelLatencyMs ?? 300,
      modelStream: { ...options.modelStream },
      integrationPermitted: apiGatewayMayInvoke(deployment, wiring.functions.execution, arns.executeMethodArn),
      functionPolicies: functionPolicies(deployment),
    },
  };
  // The template's alarms evaluated over the local metrics, when asked (the timer is unref'd and cleared on stop).
  if (options.alarmEvaluation !== undefined) {
    const evaluation = startAlarmEvaluation(stores.alarms, stores.metrics, now, options.alarmEvaluation);
    lifecycle.onStop(async () => evaluation.stop());
  }

  try {
    const registry = new FunctionRegistry();
    // The handlers reach what is started after them at request time: every server answers 503 until the stack is ready.
    const aws = await startAwsEndpoint(ctx, registry, () => urls, (body) => redeployer.route(body));
    const slackServers = await startSlackServers(ctx, () => functions.verification);
    ingressUrl = `${slackServers.ingress.origin}/`;
    const urls = stackUrls(aws, slackServers, wiring);
    const environmentInput = environmentInputOf(ctx, aws.origin, urls.slackApi);
    const functions = await startFunctions(ctx, registry, environmentInput, code.bundles, aws.origin);
    if (options.prewarm === true) await Promise.all([functions.verification.prewarm(1), functions.execution.prewarm(1)]);
    const redeployer = createRedeployer(ctx, functions, environmentInput, plan, assemblyDirectory);
    lifecycle.ready = true;
    return localStackHandle(ctx, { urls, slack: slackServers.slack, functions, redeployer, startupMs: performance.now() - started });
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}
