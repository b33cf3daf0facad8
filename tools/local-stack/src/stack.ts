import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { authorize, expandExecuteApiShorthand } from '@slack-ai-app/aws-emulation';
import { INTEGRATION_REQUEST_TEMPLATE, executeApiArnPrefix, methodArn } from '@slack-ai-app/execution-api-contract';
import { CROSS_ACCOUNT_CONTEXT_KEYS, CROSS_ACCOUNT_STACKS, EXECUTION_API_ID_OUTPUT, STACK_OUTPUTS } from '@slack-ai-app/stack-contract';
import { ActivityTracker } from './activity';
import { localEnvironment } from './app-environment';
import { planLocalDeployment, type DeploymentAccounts } from './assembly/accounts';
import { handlerModulePath, type DeployedFunction, type DeployedMethod, type LocalDeployment } from './assembly/deployment';
import { createExecuteApiHandler } from './apigw/execute-api';
import { createBedrockHandler } from './aws/bedrock';
import { startAlarmEvaluation } from './aws/alarm-evaluation';
import { AlarmStore, createCloudWatchHandler } from './aws/cloudwatch';
import { MetricStore, apiGatewayDatums, emfDatums } from './aws/metric-store';
import { feedServiceMetrics } from './aws/local-metrics';
import { createFunctionConfigurationRoute } from './aws/lambda-configuration';
import { RedeployError, assemblyCodeKey, synthesizeAssembly } from './assembly/synthesize';
import { startLocalDynamo, type LocalDynamo } from './aws/dynamodb';
import { createAwsEndpointHandler } from './aws/endpoint';
import { createLambdaApiHandler } from './aws/lambda-api';
import { withBedrockIam, withDynamoDbIam, type ActionAuthorizer } from './aws/service-iam';
import { LocalQueue, createSqsHandler, type QueueAuthorizer } from './aws/sqs';
import { createReadOnlyRoutes } from './aws/read-only-routes';
import { SecretStore, createSecretsManagerHandler, localSecretArn } from './aws/secrets-manager';
import { DEFAULT_PORTS, LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION, SLACK_IDS, accountOfArn, type FunctionRole } from './constants';
import { FaultController } from './faults';
import { startHttpServer, type LocalHttpServer } from './http/server';
import type { HttpHandler, HttpRequestData } from './http/types';
import { jsonReply } from './http/types';
import { PrincipalDirectory, deployedRolePrincipal, localTestPrincipals, otherAccountRolePrincipal, type AnyPrincipalName, type LocalPrincipal, type LocalPrincipals } from './iam/principals';
import { AsyncInvoker } from './lambda/async-invoker';
import { DeadLetterStore } from './lambda/dead-letters';
import { queueDestination } from './lambda/destinations';
import { DEFAULT_MAX_CONTAINERS, LambdaFunction, type FunctionConfiguration } from './lambda/function';
import { fromFunctionUrlResult, toFunctionUrlEvent } from './lambda/function-url';
import { FunctionRegistry } from './lambda/registry';
import { startSecretsExtension, type SecretsExtension } from './lambda/secrets-extension';
import { authorizeCaller, servicePrincipal } from './iam/authorization';
import { functionPolicy } from './iam/function-policy';
import { createLocalRoutes } from './local-routes';
import { LogStore } from './logs';
import type { FunctionOverrides, LocalStackOptions, ModelStreamOptions } from './options';
import { REDEPLOY_CONTEXT_KEYS, handoffOf, nextRedeployContext, type RedeployContext } from './redeploy';
import { withLocalTwoAccountContext } from './cli/synth-context';
import { SlackStandIn } from './slack/stand-in';
import { createSlackApiHandler } from './slack/web-api';
import { SlackWorkspace } from './slack/workspace';
import { TraceStore } from './trace';

/** The local, obviously fake Slack secrets (printed at startup; they work only here). */
export const LOCAL_SLACK_SECRETS = {
  signingSecret: 'local-signing-secret-not-a-real-secret',
  botToken: 'xoxb-local-0000000000-not-a-real-token',
} as const;

/** Every URL of a running stack. */
export interface LocalStackUrls {
  /** The Slack ingress: the verification function's local Function URL, `…/slack/events`. */
  readonly slackEvents: string;
  /** The Slack Web API stand-in base URL (`SLACK_API_URL`), `…/api/`. */
  readonly slackApi: string;
  /** The local AWS endpoint (`AWS_ENDPOINT_URL`). */
  readonly aws: string;
  /** The execution API's stage URL (`EXECUTION_API_URL`), `…/prod`. */
  readonly executionApiStage: string;
  /** `POST …/prod/execute` */
  readonly executeApi: string;
  /** `GET` the dead-letter store. */
  readonly deadLetters: string;
  /** `GET` the Slack stand-in's recorded calls. */
  readonly slackCalls: string;
}

/** The credentials of a running stack (local values; a real secret passed in options is never printed by the CLI). */
export interface LocalStackCredentials {
  readonly region: string;
  /** The execution API's account (the only account in the one-account layout). */
  readonly accountId: string;
  /** The verification function's and the execution API's accounts; `crossAccount` in the two-account layout (always set by `startLocalStack`). */
  readonly accounts?: DeploymentAccounts;
  readonly principals: LocalPrincipals;
  readonly slack: {
    readonly signingSecret: string;
    readonly botToken: string;
    readonly signingSecretArn: string;
    readonly botTokenArn: string;
    /** The secrets' names (from the template). */
    readonly signingSecretName: string;
    readonly botTokenName: string;
  };
}

/** A running local stack. */
export interface LocalStack {
  readonly urls: LocalStackUrls;
  readonly credentials: LocalStackCredentials;
  /** Slack: the Web API stand-in's recorded calls and workspace, and the event sender. */
  readonly slack: SlackStandIn;
  /** Async events whose retries were exhausted (on-failure destination records). */
  readonly deadLetters: DeadLetterStore;
  /** Fault injection. */
  readonly faults: FaultController;
  /** Every log line the Lambda runtimes wrote. */
  readonly logs: LogStore;
  /** What crossed each boundary, by Slack `event_id`. */
  readonly trace: TraceStore;
  /** The secrets served by Secrets Manager and the extensions (`put` rotates one). */
  readonly secrets: SecretStore;
  /** The two functions (configuration updates, prewarming, container counts). */
  readonly functions: Readonly<Record<FunctionRole, LambdaFunction>>;
  /** The template's CloudWatch alarms: state, history, and what their actions published. */
  readonly alarms: AlarmStore;
  /** The local CloudWatch metrics: the functions' EMF data and API Gateway's own, as `GetMetricData` reads them. */
  readonly metrics: MetricStore;
  /** What was deployed from the cloud assembly: every resource, and the ones with no local counterpart. */
  readonly deployment: LocalDeployment;
  /** The cloud assembly it was deployed from. */
  readonly assemblyDirectory: string;
  /** Milliseconds from the call of `startLocalStack` to ready. */
  readonly startupMs: number;
  /** The local model's latency, in ms (read and write). */
  modelLatencyMs: number;
  /** The hand-off settings last deployed (at start, then by {@link LocalStack.redeploy}). */
  readonly handoff: RedeployContext;
  /**
   * Redeploys the running stack with a new context, as `cdk deploy -c …` would: the infra app is re-synthesized with the
   * context merged over the last one deployed (cached by context), the whole new assembly is validated, then every
   * function whose template changed gets its new configuration, and the function and role policies are swapped, all in
   * one event-loop turn (in-flight invocations finish on the old configuration). Nothing changes when validation fails.
   *
   * @param context - the keys to change; the others keep their deployed values
   * @returns the hand-off now deployed
   * @throws RedeployContextError for a bad value; SynthesisError when the synth fails; RedeployError when the new
   *   assembly cannot replace the running one
   */
  redeploy(context: Partial<RedeployContext>): Promise<RedeployContext>;
  /** How the local model streams (ConverseStream): time to first token, tokens per second, answer length. */
  modelStream: ModelStreamOptions;
  /** {@link redeploy} from an assembly directory already synthesized. */
  redeployAssembly(assemblyDirectory: string): Promise<RedeployResult>;
  /**
   * Resolves once nothing is in flight (requests, invocations, retries) for a few event-loop turns.
   *
   * @throws IdleTimeoutError after `timeoutMs`
   */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Stops everything: workers terminated, servers closed, dynalite stopped. Safe to call twice. */
  stop(): Promise<void>;
}

/** What a redeploy did. */
export interface RedeployResult {
  /** The assembly now deployed. */
  readonly assemblyDirectory: string;
  /** The context it was synthesized with. */
  readonly context: Readonly<Record<string, string>>;
  /** The functions whose configuration changed. */
  readonly updatedFunctions: readonly string[];
}

/** Thrown when a Lambda bundle is missing. */
export class BundleNotFoundError extends Error {
  override readonly name = 'BundleNotFoundError';
}

/** Thrown when the template does not wire the system the way the local stack can run it (the message says how). */
export class UnsupportedTemplateError extends Error {
  override readonly name = 'UnsupportedTemplateError';
}

/** Where `nx run infra:synth` writes the cloud assembly, relative to the workspace root. */
export const DEFAULT_ASSEMBLY_DIRECTORY = join('apps', 'infra', 'cdk.out');

/** The variable that points the stack at another cloud assembly. */
export const ASSEMBLY_ENV = 'LOCAL_STACK_ASSEMBLY';
/** Bound on the walk up from this file to the workspace root. */
const MAX_PARENT_DIRECTORIES = 12;

/**
 * Finds the repository root (the directory holding `nx.json`) from a starting directory.
 *
 * @param from - where to start
 * @throws Error when no `nx.json` is found within a few levels
 */
export function findWorkspaceRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (let level = 0; level < MAX_PARENT_DIRECTORIES; level += 1) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`could not find the workspace root (nx.json) above ${from}; pass workspaceRoot`);
}

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
  // One stack into the local account, or the two-account layout's two stacks into their two accounts.
  const plan = (directory: string) =>
    planLocalDeployment(directory, {
      functionUrl: () => {
        if (ingressUrl === undefined) throw new UnsupportedTemplateError('a resource reads a Function URL before the local ingress is listening');
        return ingressUrl;
      },
      secretArn: localSecretArn,
    });
  const { deployment, accounts } = plan(assemblyDirectory);
  // Bound once the functions run: `POST /_local/deployments` answers 503 until then (every route does).
  const redeployRoute: { handler: (body: unknown) => Promise<RedeployResult> } = {
    handler: async () => {
      throw new RedeployError('the local stack is still starting');
    },
  };
  const wiring = systemWiring(deployment);
  const bundles: Record<FunctionRole, string> = {
    verification: options.functions?.verification?.bundlePath ?? handlerModulePath(wiring.functions.verification),
    execution: options.functions?.execution?.bundlePath ?? handlerModulePath(wiring.functions.execution),
  };
  for (const [role, path] of Object.entries(bundles)) {
    if (!existsSync(path)) throw new BundleNotFoundError(`the ${role} function's code ${path} does not exist; synthesize the assembly with: npx nx run infra:synth`);
  }
  // "Deploy" each bundle: run a snapshot, so that a rebuild while the stack runs changes nothing until the next start.
  const deployDir = mkdtempSync(join(tmpdir(), 'slack-ai-app-local-stack-'));
  provideRuntimeModules(root, deployDir);
  const deployed: Record<FunctionRole, string> = {
    verification: deployBundle(bundles.verification, join(deployDir, wiring.functions.verification.name)),
    execution: deployBundle(bundles.execution, join(deployDir, wiring.functions.execution.name)),
  };
  const principalsByName: LocalPrincipals = {
    verification: rolePrincipal(deployment, wiring.functions.verification, 'verification'),
    execution: rolePrincipal(deployment, wiring.functions.execution, 'execution'),
    ...localTestPrincipals(accounts),
    ...(accounts.crossAccount ? { otherAccountRole: otherAccountRolePrincipal(accounts.execution) } : {}),
  };
  const principals = new PrincipalDirectory(principalsByName);

  const activity = new ActivityTracker();
  const logs = new LogStore();
  const trace = new TraceStore();
  const deadLetters = new DeadLetterStore();
  const queues = deployment.queues.map((queue) => new LocalQueue(queue, now));
  const authorizeQueue: QueueAuthorizer = (principal, action, queue) => authorizeCaller(principal, action, queue.arn, queue.policy);
  const faults = new FaultController();
  const secrets = new SecretStore(now);
  const alarms = new AlarmStore(deployment.alarms, { topics: deployment.topics, keys: deployment.keys, accountId: accounts.execution }, now);
  const stopping = new AbortController();
  const onInternalError = options.onInternalError ?? ((error, where) => process.stderr.write(`[local-stack] internal error in ${where}: ${String((error as Error)?.stack ?? error)}\n`));
  if (options.onLog !== undefined) logs.subscribe(options.onLog);
  // The functions' EMF lines become metrics, as CloudWatch Logs extracts them.
  const metrics = new MetricStore();
  logs.subscribe((entry) => {
    if (entry.json !== undefined) metrics.put(emfDatums(entry.json));
  });
  // AWS/Lambda, AWS/SQS and the template's metric filters, as AWS publishes them.
  const serviceMetrics = feedServiceMetrics(metrics, { deployment, logs, trace, queues, now, periodScale: options.alarmEvaluation?.periodScale ?? 1 });

  const signingSecret = options.slack?.signingSecret ?? LOCAL_SLACK_SECRETS.signingSecret;
  const botToken = options.slack?.botToken ?? LOCAL_SLACK_SECRETS.botToken;
  // Names and ARNs come from the template; only the values are local. Each function reads its secret by the ARN in
  // its environment: the ingress function's is the signing secret, the execution function's the bot token.
  const signingSecretName = wiring.secretReadBy(wiring.functions.verification).name;
  const botTokenName = wiring.secretReadBy(wiring.functions.execution).name;
  for (const secret of deployment.secrets) secrets.put(secret.name, `local-value-of-${secret.logicalId}`, secret.arn);
  const signingSecretArn = secrets.put(signingSecretName, signingSecret).arn;
  const botTokenArn = secrets.put(botTokenName, botToken).arn;
  let modelLatencyMs = options.modelLatencyMs ?? 300;
  let modelStream: ModelStreamOptions = { ...options.modelStream };

  const cleanups: Array<() => Promise<void>> = [async () => rmSync(deployDir, { recursive: true, force: true }), async () => serviceMetrics.stop()];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((error) => onInternalError(error, 'stop'));
  };
  // The template's alarms evaluated over the local metrics, when asked (the timer is unref'd and cleared on stop).
  if (options.alarmEvaluation !== undefined) {
    const evaluation = startAlarmEvaluation(alarms, metrics, now, options.alarmEvaluation);
    cleanups.push(async () => evaluation.stop());
  }
  // Requests that arrive while the stack is still being wired get 503.
  let ready = false;
  const whenReady = (name: string, handler: HttpHandler): HttpHandler => async (request: HttpRequestData) =>
    ready ? handler(request) : jsonReply(503, { message: `the local stack (${name}) is still starting` });
  const serve = async (name: string, port: number, handler: HttpHandler): Promise<LocalHttpServer> => {
    const server = await startHttpServer({ name, port, handler: whenReady(name, handler), activity, onHandlerError: (error) => onInternalError(error, name) });
    cleanups.push(() => server.close());
    return server;
  };

  try {
    const dynamo: LocalDynamo = await startLocalDynamo({
      faults,
      tables: deployment.tables.map((table) => {
        if (table.sortKey !== undefined) throw new UnsupportedTemplateError(`table ${table.logicalId}: sort keys are not emulated`);
        return { name: table.name, partitionKey: table.partitionKey, ...(table.ttlAttribute !== undefined ? { ttlAttribute: table.ttlAttribute } : {}) };
      }),
    });
    cleanups.push(() => dynamo.close());

    const registry = new FunctionRegistry();
    const functions = {} as Record<FunctionRole, LambdaFunction>;
    const registered = (role: FunctionRole) => {
      const lookup = registry.resolve(wiring.functions[role].name);
      if (!lookup.ok) throw new Error(`the ${role} function is not registered`);
      return lookup.entry;
    };
    const apiArnPrefix = executeApiArnPrefix({ region: LOCAL_REGION, accountId: accounts.execution, apiId: deployment.restApi?.id ?? LOCAL_API_ID });
    const { method, stage } = wiring;
    const executeMethodArn = methodArn(apiArnPrefix, stage, method.httpMethod, method.path.slice(1));
    // Decided once per deployment (a redeploy swaps both): API Gateway's permission and each function's policy.
    let integrationPermitted = apiGatewayMayInvoke(deployment, wiring.functions.execution, executeMethodArn);
    // DynamoDB and Bedrock have no resource policy in the template: the caller's identity policies decide.
    // A table or inference profile named without an ARN is the caller's account's: the execution account's here.
    const placement = { region: LOCAL_REGION, accountId: accounts.execution };
    const authorizeIdentity: ActionAuthorizer = (principal, action, resource, context) => authorizeCaller(principal, action, resource, undefined, context);
    let functionPolicies = new Map(deployment.functions.map((fn) => [fn.arn, functionPolicy(fn.arn, deployment.permissions)]));

    // Handlers reach the functions at request time; `whenReady` answers 503 until everything below is wired.
    const aws = await serve(
      'aws',
      options.ports?.aws ?? DEFAULT_PORTS.aws,
      createAwsEndpointHandler({
        now,
        principals,
        executeApi: createExecuteApiHandler({
          // The API's resource policy as the template deploys it.
          resourcePolicy: deployment.restApi?.policy === undefined ? undefined : expandExecuteApiShorthand(deployment.restApi.policy, apiArnPrefix),
          methodArn: executeMethodArn,
          route: { stage, method: method.httpMethod, path: method.path.slice(1) },
          principals,
          integrationPermitted: () => integrationPermitted,
          requestSchema: wiring.requestSchema,
          invokeAsync: (event) => registered('execution').async.enqueue(event, 'execute_api'),
          faults,
          trace,
          now,
          onAnswered: ({ status, latencyMs, integrationLatencyMs }) =>
            metrics.put(apiGatewayDatums({ apiName: deployment.restApi?.name ?? LOCAL_API_ID, stage, status, latencyMs, integrationLatencyMs, at: now() })),
        }),
        services: {
          lambda: {
            protocol: 'rest-json',
            handle: createLambdaApiHandler({
              functions: registry,
              faults,
              trace,
              logs,
              now,
              authorizeInvoke: (principal, functionArn) => authorizeCaller(principal, 'lambda:InvokeFunction', functionArn, functionPolicies.get(functionArn)),
            }),
          },
          bedrock: {
            protocol: 'rest-json',
            handle: withBedrockIam(createBedrockHandler({
              latencyMs: () => modelLatencyMs,
              stream: () => ({ ...modelStream, ttftMs: modelStream.ttftMs ?? modelLatencyMs, tokensPerSecond: modelStream.tokensPerSecond ?? 0 }),
              faults,
              signal: stopping.signal,
              ...(options.bedrockUpstream !== undefined ? { upstream: options.bedrockUpstream } : {}),
            }), placement, authorizeIdentity),
          },
          dynamodb: { protocol: 'aws-json', handle: withDynamoDbIam(dynamo.handler, placement, authorizeIdentity) },
          monitoring: { protocol: 'aws-json', handle: createCloudWatchHandler(alarms, metrics) },
          sqs: { protocol: 'aws-json', handle: createSqsHandler({ queues, authorize: authorizeQueue }) },
          secretsmanager: {
            protocol: 'aws-json',
            handle: createSecretsManagerHandler(secrets, faults, (principal, action, secretArn) =>
              authorizeCaller(principal, action, secretArn, deployment.secrets.find((s) => s.arn === secretArn)?.resourcePolicy),
            ),
          },
        },
        // Lambda's GetFunctionConfiguration (tools/rollout), and the read-only calls of tools/preflight; the app stack's
        // outputs are what this stack serves.
        routes: [
          createFunctionConfigurationRoute(registry),
          ...createReadOnlyRoutes({
            region: LOCAL_REGION,
            deployedAt: now(),
            authorize: authorizeCaller,
            appStackOutputs: () => ({
              [STACK_OUTPUTS.slackEventsUrl]: urls.slackEvents,
              [STACK_OUTPUTS.executionApiUrl]: `${urls.executionApiStage}/`,
              [STACK_OUTPUTS.executionApiName]: deployment.restApi?.name ?? LOCAL_API_ID,
              [STACK_OUTPUTS.verificationFunctionName]: wiring.functions.verification.name,
              [STACK_OUTPUTS.signingSecretArn]: signingSecretArn,
              [STACK_OUTPUTS.botTokenSecretArn]: botTokenArn,
            }),
            // The two-account layout: each stack with the outputs its template declares (apps/infra).
            ...(accounts.crossAccount
              ? {
                  appStacks: () => ({
                    [CROSS_ACCOUNT_STACKS.execution]: {
                      [EXECUTION_API_ID_OUTPUT]: deployment.restApi?.id ?? LOCAL_API_ID,
                      [STACK_OUTPUTS.executionApiUrl]: `${urls.executionApiStage}/`,
                      [STACK_OUTPUTS.executionApiName]: deployment.restApi?.name ?? '',
                      [STACK_OUTPUTS.botTokenSecretArn]: botTokenArn,
                    },
                    [CROSS_ACCOUNT_STACKS.verification]: {
                      [STACK_OUTPUTS.slackEventsUrl]: urls.slackEvents,
                      [STACK_OUTPUTS.executionApiUrl]: `${urls.executionApiStage}/`,
                      [STACK_OUTPUTS.verificationFunctionName]: wiring.functions.verification.name,
                      [STACK_OUTPUTS.signingSecretArn]: signingSecretArn,
                    },
                  }),
                }
              : {}),
          }),
        ],
        local: createLocalRoutes({
          deadLetters,
          trace,
          logs,
          faults,
          health: () => ({ urls }),
          waitForIdle: (timeoutMs) => activity.whenIdle(timeoutMs),
          redeploy: (body) => redeployRoute.handler(body),
          resources: () => deployment.resources.map((r) => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, ...(r.arn !== undefined ? { arn: r.arn } : {}) })),
          principals: () => Object.values(principalsByName).flatMap((p: LocalPrincipal | undefined) => (p === undefined ? [] : [principalView(p)])),
          notEmulated: () => deployment.notEmulated,
        }),
      }),
    );
    const ingress = await serve('slack', options.ports?.slack ?? DEFAULT_PORTS.slack, async (request) => {
      const requestId = randomUUID();
      const result = await functions.verification.invoke(
        { payload: toFunctionUrlEvent(request, requestId, now()), requestId, source: 'function_url', invocationType: 'RequestResponse', attempt: 1 },
        false,
      );
      return fromFunctionUrlResult(result);
    });

    const workspace = new SlackWorkspace({ ...SLACK_IDS, botToken, channels: [SLACK_IDS.channelId, SLACK_IDS.dmChannelId], now });
    if (options.onBotReply !== undefined) workspace.onBotReply(options.onBotReply);
    const slack = new SlackStandIn({
      workspace,
      eventsUrl: `${ingress.origin}/slack/events`,
      signingSecret,
      defaultChannel: SLACK_IDS.channelId,
      defaultUser: SLACK_IDS.userId,
      trace,
      now,
    });
    const slackApi = await serve('slack-api', options.ports?.slackApi ?? DEFAULT_PORTS.slackApi, createSlackApiHandler({ slack, faults, now, signal: stopping.signal }));

    ingressUrl = `${ingress.origin}/`;
    const awsEndpointUrl = aws.origin;
    const stageUrl = `${aws.origin}/${stage}`;
    const slackApiUrl = `${slackApi.origin}/api/`;
    const urls: LocalStackUrls = {
      slackEvents: slack.eventsUrl,
      slackApi: slackApiUrl,
      aws: awsEndpointUrl,
      executionApiStage: stageUrl,
      executeApi: `${stageUrl}${method.path}`,
      deadLetters: `${awsEndpointUrl}/_local/dead-letters`,
      slackCalls: `${slackApi.origin}/_local/calls`,
    };

    const environmentInput = {
      awsOrigin: aws.origin,
      apiId: deployment.restApi?.id ?? LOCAL_API_ID,
      region: LOCAL_REGION,
      slackApiUrl: options.slack?.apiUrl ?? slackApiUrl,
      localWorkspace: options.slack?.apiUrl === undefined,
      apiGatewayPercentage: options.useApiGatewayPercentage === 'template' ? undefined : (options.useApiGatewayPercentage ?? 100),
      directInvokeFallback: options.directInvokeFallback ?? true,
    };

    for (const role of ['verification', 'execution'] as const) {
      const overrides: FunctionOverrides = options.functions?.[role] ?? {};
      const template = wiring.functions[role];
      const config: FunctionConfiguration = {
        name: template.name,
        accountId: accountOfArn(template.arn) ?? accounts.execution,
        bundlePath: deployed[role],
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
      cleanups.push(() => extension.close());
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
      cleanups.push(async () => {
        asyncInvoker.stop();
        await fn.shutdown();
      });
    }

    let handoff = handoffOf(functions.verification.configuration.environment);
    if (options.prewarm === true) await Promise.all([functions.verification.prewarm(1), functions.execution.prewarm(1)]);

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
      const nextPolicies = new Map(next.functions.map((fn) => [fn.arn, functionPolicy(fn.arn, next.permissions)]));
      const nextPermitted = apiGatewayMayInvoke(next, nextWiring.functions.execution, executeMethodArn);
      // The roles' identity policies (e.g. the verification role's invoke grant) as the new template attaches them.
      const nextIdentity = (['verification', 'execution'] as const).map((role) => {
        const principal = rolePrincipal(next, nextWiring.functions[role], role);
        if (principal.principalArn !== principalsByName[role].principalArn) throw new RedeployError(`the ${role} function's role changed; restart the local stack`);
        return { role, identityPolicies: principal.identityPolicies };
      });
      // Swap everything in this one turn of the event loop: no request sees half of it.
      functionPolicies = nextPolicies;
      integrationPermitted = nextPermitted;
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
    redeployRoute.handler = async (body) => {
      const parsed = body as { context?: unknown; assemblyDirectory?: unknown };
      if (typeof parsed?.assemblyDirectory === 'string') {
        const directory = resolve(root, parsed.assemblyDirectory);
        const result = await serialized(() => deployAssembly(directory, current.context));
        handoff = handoffOf(functions.verification.configuration.environment);
        return result;
      }
      return redeployValues(redeployContextValues((parsed?.context ?? {}) as Record<string, unknown>));
    };
    ready = true;
    const startupMs = performance.now() - started;

    let stopped: Promise<void> | undefined;
    return {
      urls,
      credentials: {
        region: LOCAL_REGION,
        accountId: accounts.execution,
        accounts,
        principals: principalsByName,
        slack: { signingSecret, botToken, signingSecretArn, botTokenArn, signingSecretName, botTokenName },
      },
      slack,
      deadLetters,
      faults,
      logs,
      trace,
      secrets,
      functions,
      alarms,
      metrics,
      get deployment() {
        return current.deployment;
      },
      get assemblyDirectory() {
        return current.assemblyDirectory;
      },
      redeployAssembly: (directory: string) => serialized(() => deployAssembly(resolve(root, directory), current.context)),
      startupMs,
      get modelLatencyMs() {
        return modelLatencyMs;
      },
      set modelLatencyMs(value: number) {
        if (!Number.isFinite(value) || value < 0) throw new RangeError('modelLatencyMs must be a number >= 0');
        modelLatencyMs = value;
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
      get modelStream() {
        return modelStream;
      },
      set modelStream(value: ModelStreamOptions) {
        modelStream = { ...value };
      },
      waitForIdle: (timeoutMs?: number) => activity.whenIdle(timeoutMs),
      stop: () => {
        stopped ??= (async () => {
          ready = false;
          stopping.abort();
          await cleanup();
        })();
        return stopped;
      },
    };
  } catch (error) {
    stopping.abort();
    await cleanup();
    throw error;
  }
}

/**
 * Puts the AWS SDK for JavaScript v3 on the deployed functions' module path, as the Lambda Node.js runtime does (it
 * ships the SDK under /var/runtime/node_modules). A bundle that leaves an SDK package external (the verification
 * Lambda does so for `@aws-sdk/credential-provider-node`) then resolves it here as it would on Lambda; anything else
 * a bundle forgot to include still fails, as it would there.
 */
function provideRuntimeModules(workspaceRoot: string, deployDir: string): void {
  const modules = join(deployDir, 'node_modules');
  mkdirSync(modules);
  for (const scope of ['@aws-sdk', '@smithy']) symlinkSync(join(workspaceRoot, 'node_modules', scope), join(modules, scope), 'dir');
}

/**
 * Copies a bundle's directory (the bundle and its lazily loaded chunks, without source maps) to `target`.
 *
 * @returns the path of the copied bundle
 */
function deployBundle(bundlePath: string, target: string): string {
  cpSync(dirname(bundlePath), target, { recursive: true, filter: (source) => !source.endsWith('.map') });
  return join(target, basename(bundlePath));
}

function mergeEnvironment(base: Readonly<Record<string, string>>, overrides: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const merged: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}


/** Lambda's default number of asynchronous retries (AWS::Lambda::EventInvokeConfig MaximumRetryAttempts). */
const MAXIMUM_ASYNC_RETRIES = 2;
/** Local waits before the asynchronous retries (Lambda waits about a minute, then two). */
const DEFAULT_ASYNC_RETRY_DELAYS_MS = [200, 400] as const;

/** How the template wires the system: which function is which, the API method that hands off, and its pieces. */
interface SystemWiring {
  readonly functions: Readonly<Record<FunctionRole, DeployedFunction>>;
  readonly method: DeployedMethod;
  readonly stage: string;
  readonly requestSchema: Readonly<Record<string, unknown>>;
  /** The one template secret a function's environment names by ARN. */
  readonly secretReadBy: (fn: DeployedFunction) => { readonly name: string; readonly arn: string };
}

/**
 * Finds the system in the template by its structure, never by name: the ingress is the function behind the Function
 * URL; the execution function is the one the REST API's Lambda integration invokes.
 *
 * @throws UnsupportedTemplateError when the template is wired differently
 */
function systemWiring(deployment: LocalDeployment): SystemWiring {
  const ingress = deployment.functions.filter((fn) => fn.functionUrl !== undefined);
  if (ingress.length !== 1) throw new UnsupportedTemplateError(`expected one function behind an AWS::Lambda::Url, found ${ingress.length}`);
  const api = deployment.restApi;
  if (api === undefined) throw new UnsupportedTemplateError('the template has no AWS::ApiGateway::RestApi');
  const methods = api.methods.filter((m) => m.integration.functionArn !== undefined);
  if (methods.length !== 1) throw new UnsupportedTemplateError(`expected one API method with a Lambda integration, found ${methods.length}`);
  const method = methods[0] as DeployedMethod;
  const execution = deployment.functions.find((fn) => fn.arn === method.integration.functionArn);
  if (execution === undefined) throw new UnsupportedTemplateError(`the API integration invokes ${method.integration.functionArn}, which the template does not define`);
  const stage = api.stageNames[0];
  if (stage === undefined || api.stageNames.length !== 1) throw new UnsupportedTemplateError(`expected one API stage, found ${api.stageNames.length}`);
  const requestSchema = method.requestModels['application/json'];
  if (requestSchema === undefined) throw new UnsupportedTemplateError(`method ${method.logicalId} has no application/json request model`);
  // The local integration renders the contract's mapping template; a template that maps differently is refused.
  if (method.integration.requestTemplates['application/json'] !== INTEGRATION_REQUEST_TEMPLATE) {
    throw new UnsupportedTemplateError(`method ${method.logicalId}: its application/json request template differs from the contract's INTEGRATION_REQUEST_TEMPLATE, the only one the local integration renders`);
  }
  return {
    functions: { verification: ingress[0] as DeployedFunction, execution },
    method,
    stage,
    requestSchema,
    secretReadBy: (fn) => {
      const values = Object.values(fn.environment);
      const read = deployment.secrets.filter((secret) => values.includes(secret.arn));
      if (read.length !== 1) throw new UnsupportedTemplateError(`function ${fn.logicalId}: expected its environment to name one secret by ARN, found ${read.length}`);
      return read[0] as { name: string; arn: string };
    },
  };
}

function rolePrincipal(deployment: LocalDeployment, fn: DeployedFunction, name: 'verification' | 'execution'): LocalPrincipal {
  const role = deployment.roles.find((r) => r.arn === fn.roleArn);
  if (role === undefined) throw new UnsupportedTemplateError(`function ${fn.logicalId} runs as ${fn.roleArn}, which is not a role of the template`);
  return deployedRolePrincipal(name, role, fn.name);
}

/**
 * Whether a function's resource policy lets API Gateway invoke it for a method: `apigateway.amazonaws.com` calls
 * `lambda:InvokeFunction` with `aws:SourceArn` = the method ARN and `aws:SourceAccount` = the API's account.
 */
function apiGatewayMayInvoke(deployment: LocalDeployment, fn: DeployedFunction, methodArnValue: string): boolean {
  const accountId = deployment.placement.accountId;
  return (
    authorize({
      principal: servicePrincipal('apigateway.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      resource: fn.arn,
      resourceAccountId: accountId,
      identityPolicies: [],
      resourcePolicy: functionPolicy(fn.arn, deployment.permissions),
      context: { 'aws:SourceArn': methodArnValue, 'aws:SourceAccount': accountId },
    }).decision === 'allow'
  );
}

/**
 * A principal by name.
 *
 * @throws UnsupportedTemplateError for `otherAccountRole` in the one-account layout
 */
function principalOf(principals: LocalPrincipals, name: AnyPrincipalName): LocalPrincipal {
  const principal = principals[name];
  if (principal === undefined) throw new UnsupportedTemplateError(`there is no ${name} principal in the one-account layout`);
  return principal;
}

/** What `GET /_local/principals` shows of a principal (the keys are fake and work only here). */
function principalView(p: LocalPrincipal): Record<string, unknown> {
  return {
    name: p.name,
    description: p.description,
    account: p.accountId ?? LOCAL_ACCOUNT_ID,
    principalArn: p.principalArn,
    accessKeyId: p.accessKeyId,
    secretAccessKey: p.secretAccessKey,
    ...(p.sessionToken !== undefined ? { sessionToken: p.sessionToken } : {}),
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
    if (key === 'executionApiPercentage') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) throw new RedeployError(`executionApiPercentage must be an integer from 0 to 100, not ${JSON.stringify(value)}`);
    } else if (key === 'useApiGateway' || key === 'enableDirectInvokeFallback') {
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
