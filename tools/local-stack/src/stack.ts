import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  DEFAULT_EXECUTION_RESERVED_CONCURRENCY,
  EXECUTION_API_METHOD,
  EXECUTION_API_PATH,
  EXECUTION_API_STAGE,
  IDEMPOTENCY_TABLE,
  executeApiArnPrefix,
  executionApiResourcePolicy,
  methodArn,
} from '@slack-ai-app/execution-api-contract';
import { executionRequestJsonSchema } from '@slack-ai-app/payload-schemas';
import { STACK_OUTPUTS } from '@slack-ai-app/stack-contract';
import { ActivityTracker } from './activity';
import { appEnvironments } from './app-environment';
import { createExecuteApiHandler } from './apigw/execute-api';
import { createBedrockHandler } from './aws/bedrock';
import { startLocalDynamo, type LocalDynamo } from './aws/dynamodb';
import { createAwsEndpointHandler } from './aws/endpoint';
import { createLambdaApiHandler } from './aws/lambda-api';
import { createReadOnlyRoutes } from './aws/read-only-routes';
import { SecretStore, createSecretsManagerHandler } from './aws/secrets-manager';
import {
  DEFAULT_PORTS,
  FUNCTION_NAMES,
  IDEMPOTENCY_TABLE_NAME,
  LOCAL_ACCOUNT_ID,
  LOCAL_API_ID,
  LOCAL_REGION,
  SECRET_NAMES,
  SLACK_IDS,
  type FunctionRole,
} from './constants';
import { FaultController } from './faults';
import { startHttpServer, type LocalHttpServer } from './http/server';
import type { HttpHandler, HttpRequestData } from './http/types';
import { jsonReply } from './http/types';
import { LOCAL_PRINCIPALS, type LocalPrincipal, type PrincipalName } from './iam/principals';
import { AsyncInvoker } from './lambda/async-invoker';
import { DeadLetterStore } from './lambda/dead-letters';
import { DEFAULT_MAX_CONTAINERS, LambdaFunction, type FunctionConfiguration } from './lambda/function';
import { fromFunctionUrlResult, toFunctionUrlEvent } from './lambda/function-url';
import { FunctionRegistry } from './lambda/registry';
import { startSecretsExtension, type SecretsExtension } from './lambda/secrets-extension';
import { createLocalRoutes } from './local-routes';
import { LogStore } from './logs';
import type { FunctionOverrides, LocalStackOptions, ModelStreamOptions } from './options';
import { nextRedeployContext, type RedeployContext } from './redeploy';
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
  readonly accountId: string;
  readonly principals: Readonly<Record<PrincipalName, LocalPrincipal>>;
  readonly slack: { readonly signingSecret: string; readonly botToken: string; readonly signingSecretArn: string; readonly botTokenArn: string };
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
  /** The local model's latency, in ms (read and write). */
  modelLatencyMs: number;
  /** The hand-off settings last deployed (at start, then by {@link LocalStack.redeploy}). */
  readonly handoff: RedeployContext;
  /**
   * Redeploys with new synth context, as `cdk deploy -c executionApiPercentage=… -c enableDirectInvokeFallback=…`
   * would: the verification function's configuration is rebuilt from it (new containers get it; warm ones are
   * retired, as after UpdateFunctionConfiguration).
   *
   * @param context - the keys to change; the others keep their deployed values
   * @throws RedeployContextError for a percentage outside 0–100
   */
  redeploy(context: Partial<RedeployContext>): Promise<RedeployContext>;
  /** How the local model streams (ConverseStream): time to first token, tokens per second, answer length. */
  modelStream: ModelStreamOptions;
  /**
   * Resolves once nothing is in flight (requests, invocations, retries) for a few event-loop turns.
   *
   * @throws IdleTimeoutError after `timeoutMs`
   */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Stops everything: workers terminated, servers closed, dynalite stopped. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when a Lambda bundle is missing. */
export class BundleNotFoundError extends Error {
  override readonly name = 'BundleNotFoundError';
}

const APPS: Readonly<Record<FunctionRole, string>> = { verification: 'verification-lambda', execution: 'execution-lambda' };
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
 * URL), the local AWS endpoint (execute-api, Lambda, Bedrock, DynamoDB, Secrets Manager), the Slack Web API
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
  const now = options.now ?? (() => new Date());
  const root = options.workspaceRoot ?? findWorkspaceRoot();
  const bundles = {
    verification: options.functions?.verification?.bundlePath ?? join(root, 'dist', 'apps', APPS.verification, 'main.js'),
    execution: options.functions?.execution?.bundlePath ?? join(root, 'dist', 'apps', APPS.execution, 'main.js'),
  };
  for (const [role, path] of Object.entries(bundles)) {
    if (!existsSync(path)) {
      throw new BundleNotFoundError(`the ${role} Lambda bundle ${path} does not exist; build it with: npx nx run ${APPS[role as FunctionRole]}:build`);
    }
  }
  // "Deploy" each bundle: run a snapshot, so that a rebuild while the stack runs changes nothing until the next start.
  const deployDir = mkdtempSync(join(tmpdir(), 'slack-ai-app-local-stack-'));
  provideRuntimeModules(root, deployDir);
  const deployed: Record<FunctionRole, string> = {
    verification: deployBundle(bundles.verification, join(deployDir, FUNCTION_NAMES.verification)),
    execution: deployBundle(bundles.execution, join(deployDir, FUNCTION_NAMES.execution)),
  };

  const activity = new ActivityTracker();
  const logs = new LogStore();
  const trace = new TraceStore();
  const deadLetters = new DeadLetterStore();
  const faults = new FaultController();
  const secrets = new SecretStore(now);
  const stopping = new AbortController();
  const onInternalError = options.onInternalError ?? ((error, where) => process.stderr.write(`[local-stack] internal error in ${where}: ${String((error as Error)?.stack ?? error)}\n`));
  if (options.onLog !== undefined) logs.subscribe(options.onLog);

  const signingSecret = options.slack?.signingSecret ?? LOCAL_SLACK_SECRETS.signingSecret;
  const botToken = options.slack?.botToken ?? LOCAL_SLACK_SECRETS.botToken;
  const signingSecretArn = secrets.put(SECRET_NAMES.signingSecret, signingSecret).arn;
  const botTokenArn = secrets.put(SECRET_NAMES.botToken, botToken).arn;
  let modelLatencyMs = options.modelLatencyMs ?? 300;
  let modelStream: ModelStreamOptions = { ...options.modelStream };

  const cleanups: Array<() => Promise<void>> = [async () => rmSync(deployDir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((error) => onInternalError(error, 'stop'));
  };
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
      tables: [{ name: IDEMPOTENCY_TABLE_NAME, partitionKey: IDEMPOTENCY_TABLE.partitionKey, ttlAttribute: IDEMPOTENCY_TABLE.ttlAttribute }],
    });
    cleanups.push(() => dynamo.close());

    const registry = new FunctionRegistry();
    const functions = {} as Record<FunctionRole, LambdaFunction>;
    const registered = (role: FunctionRole) => {
      const lookup = registry.resolve(FUNCTION_NAMES[role]);
      if (!lookup.ok) throw new Error(`the ${role} function is not registered`);
      return lookup.entry;
    };
    const apiArnPrefix = executeApiArnPrefix({ region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, apiId: LOCAL_API_ID });
    const executeMethodArn = methodArn(apiArnPrefix, EXECUTION_API_STAGE, EXECUTION_API_METHOD, EXECUTION_API_PATH);

    // Handlers reach the functions at request time; `whenReady` answers 503 until everything below is wired.
    const aws = await serve(
      'aws',
      options.ports?.aws ?? DEFAULT_PORTS.aws,
      createAwsEndpointHandler({
        now,
        executeApi: createExecuteApiHandler({
          // The very document apps/infra deploys, naming the role the verification function runs as in production.
          resourcePolicy: executionApiResourcePolicy({ allowedPrincipalArn: LOCAL_PRINCIPALS.verification.principalArn }),
          apiArnPrefix,
          methodArn: executeMethodArn,
          requestSchema: executionRequestJsonSchema as Readonly<Record<string, unknown>>,
          invokeAsync: (event) => registered('execution').async.enqueue(event, 'execute_api'),
          faults,
          trace,
          now,
        }),
        services: {
          lambda: { protocol: 'rest-json', handle: createLambdaApiHandler({ functions: registry, faults, trace, logs, now }) },
          bedrock: {
            protocol: 'rest-json',
            handle: createBedrockHandler({
              latencyMs: () => modelLatencyMs,
              stream: () => ({ ...modelStream, ttftMs: modelStream.ttftMs ?? modelLatencyMs, tokensPerSecond: modelStream.tokensPerSecond ?? 0 }),
              faults,
              signal: stopping.signal,
              ...(options.bedrockUpstream !== undefined ? { upstream: options.bedrockUpstream } : {}),
            }),
          },
          dynamodb: { protocol: 'aws-json', handle: dynamo.handler },
          secretsmanager: { protocol: 'aws-json', handle: createSecretsManagerHandler(secrets, faults) },
        },
        // The read-only calls of tools/preflight; the app stack's outputs are what this stack serves.
        routes: createReadOnlyRoutes({
          region: LOCAL_REGION,
          deployedAt: now(),
          appStackOutputs: () => ({
            [STACK_OUTPUTS.slackEventsUrl]: urls.slackEvents,
            [STACK_OUTPUTS.executionApiUrl]: `${urls.executionApiStage}/`,
            [STACK_OUTPUTS.verificationFunctionName]: FUNCTION_NAMES.verification,
            [STACK_OUTPUTS.signingSecretArn]: signingSecretArn,
            [STACK_OUTPUTS.botTokenSecretArn]: botTokenArn,
          }),
        }),
        local: createLocalRoutes({ deadLetters, trace, logs, faults, health: () => ({ urls }), waitForIdle: (timeoutMs) => activity.whenIdle(timeoutMs) }),
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

    const awsEndpointUrl = aws.origin;
    const stageUrl = `${aws.origin}/${EXECUTION_API_STAGE}`;
    const slackApiUrl = `${slackApi.origin}/api/`;
    const urls: LocalStackUrls = {
      slackEvents: slack.eventsUrl,
      slackApi: slackApiUrl,
      aws: awsEndpointUrl,
      executionApiStage: stageUrl,
      executeApi: `${stageUrl}/${EXECUTION_API_PATH}`,
      deadLetters: `${awsEndpointUrl}/_local/dead-letters`,
      slackCalls: `${slackApi.origin}/_local/calls`,
    };

    let handoff: RedeployContext = {
      executionApiPercentage: options.useApiGatewayPercentage ?? 100,
      enableDirectInvokeFallback: options.directInvokeFallback ?? true,
    };
    const environmentsFor = (context: RedeployContext) =>
      appEnvironments({
        stageUrl,
        slackApiUrl: options.slack?.apiUrl ?? slackApiUrl,
        localWorkspace: options.slack?.apiUrl === undefined,
        signingSecretArn,
        botTokenArn,
        apiGatewayPercentage: context.executionApiPercentage,
        directInvokeFallback: context.enableDirectInvokeFallback,
      });
    const environments = environmentsFor(handoff);
    const defaults: Record<FunctionRole, { env: Record<string, string>; principal: PrincipalName; timeoutSeconds: number }> = {
      verification: { env: environments.verification, principal: 'verification', timeoutSeconds: 10 },
      execution: { env: environments.execution, principal: 'execution', timeoutSeconds: 120 },
    };

    for (const role of ['verification', 'execution'] as const) {
      const overrides: FunctionOverrides = options.functions?.[role] ?? {};
      const config: FunctionConfiguration = {
        name: FUNCTION_NAMES[role],
        bundlePath: deployed[role],
        handler: 'handler',
        principal: LOCAL_PRINCIPALS[overrides.principal ?? defaults[role].principal],
        environment: mergeEnvironment(defaults[role].env, overrides.environment),
        memoryMb: overrides.memoryMb ?? 512,
        timeoutSeconds: overrides.timeoutSeconds ?? defaults[role].timeoutSeconds,
        // As apps/infra: the verification function is unreserved, the execution function has the shared default.
        reservedConcurrency: overrides.reservedConcurrency ?? (role === 'execution' ? DEFAULT_EXECUTION_RESERVED_CONCURRENCY : undefined),
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
      const asyncInvoker = new AsyncInvoker({
        functionName: config.name,
        functionArn: fn.arn,
        run: (request) => fn.invoke(request, true),
        deadLetters,
        trace,
        activity,
        now,
        ...(options.asyncRetryDelaysMs !== undefined ? { retryDelaysMs: options.asyncRetryDelaysMs } : {}),
      });
      registry.register({ fn, async: asyncInvoker });
      functions[role] = fn;
      cleanups.push(async () => {
        asyncInvoker.stop();
        await fn.shutdown();
      });
    }

    if (options.prewarm === true) await Promise.all([functions.verification.prewarm(1), functions.execution.prewarm(1)]);
    ready = true;

    let stopped: Promise<void> | undefined;
    return {
      urls,
      credentials: {
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
        principals: LOCAL_PRINCIPALS,
        slack: { signingSecret, botToken, signingSecretArn, botTokenArn },
      },
      slack,
      deadLetters,
      faults,
      logs,
      trace,
      secrets,
      functions,
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
        const environment = mergeEnvironment(environmentsFor(next).verification, options.functions?.verification?.environment);
        await functions.verification.updateConfiguration({ environment });
        handoff = next;
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

