import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { defaultCredentials } from '@slack-ai-app/signing';
import { type CliOptions, parseCli, USAGE } from './args';
import { checkAuth, type CredentialProvider, executeUrl } from './check-auth';
import type { Clock } from './clock';
import { CloudWatchMetricsReader } from './cloudwatch-metrics';
import { CommandDeployStep, type DeployStep } from './deploy';
import { LocalDeployStep } from './local-deploy';
import { describeError, NotConfirmedError, StackReadError, UsageError } from './errors';
import type { Reporter } from './events';
import type { MetricsReader } from './metrics';
import { hasOverrides } from './plan';
import { formatCheckAuth, formatPlan, formatStatus, HumanReporter, JsonReporter } from './output';
import { cleanupRollout } from './cleanup';
import { stageTarget } from './deploy-retry';
import { rollbackNow } from './rollback';
import { resolvePlan, runRollout } from './rollout';
import type { RunResult } from './rollout-deps';
import { SplitAccountMetricsReader } from './split-metrics';
import { STACK_OUTPUTS } from '@slack-ai-app/stack-contract';
import { AwsStackReader, type DeployedState, describeStack, type StackReader } from './stack-reader';
import { FileStateStore } from './state';
import { readStatus } from './status';

/** Process exit codes of the CLI. */
export const ExitCode = {
  Ok: 0,
  Error: 1,
  Usage: 2,
  /** A gate breach rolled the stack back, or check-auth failed. */
  Breach: 3,
  /** A stage lacked samples after its extension. */
  Held: 4,
} as const;

/** Everything the CLI takes from its surroundings; `cli.ts` passes the real process, tests pass fakes. */
export interface CliRuntime {
  /** Working directory; the workspace root is searched from here. */
  readonly cwd: string;
  /** Environment (`NX_WORKSPACE_ROOT` is honoured). */
  readonly env: NodeJS.ProcessEnv;
  /** Time and waiting. */
  readonly clock: Clock;
  /** Writes one line of output (results, events). */
  readonly stdout: (line: string) => void;
  /** Writes one line of diagnostics (errors, prompts' context). */
  readonly stderr: (line: string) => void;
  /** Asks a question on the terminal and resolves with the answer; undefined when there is no terminal. */
  readonly ask: ((question: string) => Promise<string>) | undefined;
  /** Builds the deploy step. @default {@link CommandDeployStep} over `nx run infra:deploy` */
  readonly deployStep?: (options: DeployStepFactoryOptions) => DeployStep;
  /** Builds the caller's credentials for check-auth. @default the AWS default chain (with `--profile`) */
  readonly credentials?: (profile: string | undefined) => CredentialProvider;
}

/** What {@link CliRuntime.deployStep} gets. */
export interface DeployStepFactoryOptions {
  /** `--stack`. */
  readonly stack: string;
  /** `--region`. */
  readonly region: string | undefined;
  /** `--profile`. */
  readonly profile: string | undefined;
  /** The workspace root, where the deploy runs. */
  readonly workspaceRoot: string;
  /** Whether stdout is reserved for JSON (the deploy's output should then go to stderr). */
  readonly json: boolean;
}

/**
 * Finds the Nx workspace root: `NX_WORKSPACE_ROOT` when set (Nx sets it for its tasks), else the nearest directory at or
 * above `cwd` that holds an `nx.json`, else `cwd`.
 *
 * @param cwd - where to start
 * @param env - the environment
 * @returns the workspace root
 */
export function findWorkspaceRoot(cwd: string, env: NodeJS.ProcessEnv): string {
  if (env.NX_WORKSPACE_ROOT) return env.NX_WORKSPACE_ROOT;
  for (let directory = path.resolve(cwd); ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'nx.json'))) return directory;
    if (path.dirname(directory) === directory) return path.resolve(cwd);
  }
}

/**
 * The default state file of a stack: `<workspace>/.rollout/state.<stack>.json`.
 *
 * @param workspaceRoot - the workspace root
 * @param stack - the stack name
 * @returns the path
 */
export function defaultStateFile(workspaceRoot: string, stack: string): string {
  return path.join(workspaceRoot, '.rollout', `state.${stack}.json`);
}

function clientConfig(options: { region?: string | undefined; profile?: string | undefined }): { region?: string; profile?: string } {
  return { ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}) };
}

/**
 * The metrics reader: one account, or, when `--api-profile` or `--api-region` names the execution account (the
 * two-account layout), the hand-off metrics from the stack's account and the API's metrics from the execution account.
 */
function metricsReader(options: CliOptions, stack: StackReader): MetricsReader {
  const own = new StackMetricsReader(stack, new CloudWatchClient(clientConfig(options)), options.apiName, options.metricPeriodSeconds);
  if (options.apiProfile === undefined && options.apiRegion === undefined) return own;
  const apiAccount = clientConfig({ region: options.apiRegion ?? options.region, profile: options.apiProfile ?? options.profile });
  return new SplitAccountMetricsReader(own, new StackMetricsReader(stack, new CloudWatchClient(apiAccount), options.apiName, options.metricPeriodSeconds));
}

/**
 * Reads the stack once per command and again after each deploy; other reads reuse the answer (the tool changes the
 * stack only by deploying).
 */
class CachedStackReader implements StackReader {
  private cached: Promise<DeployedState> | undefined;

  constructor(private readonly inner: StackReader) {}

  read(): Promise<DeployedState> {
    this.cached ??= this.inner.read();
    return this.cached;
  }

  /** The deploy step, forgetting the cached answer once a deploy has run (whether it succeeded or not). */
  forgettingAfter(step: DeployStep): DeployStep {
    return {
      describe: (request) => step.describe(request),
      deploy: async (request) => {
        try {
          await step.deploy(request);
        } finally {
          this.cached = undefined;
        }
      },
    };
  }
}

/** Builds the metrics reader on first use, once the stack outputs name the API. */
class StackMetricsReader implements MetricsReader {
  private reader: CloudWatchMetricsReader | undefined;

  constructor(
    private readonly stack: StackReader,
    private readonly client: CloudWatchClient,
    private readonly apiName: string | undefined,
    private readonly periodSeconds: number,
  ) {}

  async read(window: Parameters<MetricsReader['read']>[0]) {
    if (!this.reader) {
      const apiName = this.apiName ?? (await this.stack.read()).outputs[STACK_OUTPUTS.executionApiName];
      if (!apiName) {
        throw new StackReadError(`the stack has no output ${STACK_OUTPUTS.executionApiName}; deploy the current infra app or pass --api-name`);
      }
      this.reader = new CloudWatchMetricsReader({ client: this.client, apiName, periodSeconds: this.periodSeconds });
    }
    return this.reader.read(window);
  }
}

function exitCodeFor(result: RunResult): number {
  if (result === 'rolled_back') return ExitCode.Breach;
  if (result === 'held') return ExitCode.Held;
  return ExitCode.Ok;
}

/**
 * Runs one CLI command and returns the process exit code. Errors are printed on stderr (never thrown): usage errors as
 * `error: <message>` (exit 2), other errors as `error: <name>: <message>` (exit 1); with `--json`, also as a
 * `{"type":"error"}` line on stdout.
 *
 * @param argv - arguments after the script
 * @param runtime - the surroundings
 * @returns the exit code, see {@link ExitCode}
 */
export async function main(argv: readonly string[], runtime: CliRuntime): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (error) {
    runtime.stderr(`error: ${(error as Error).message}`);
    runtime.stderr('Run with --help for the usage.');
    return ExitCode.Usage;
  }
  if (options.command === 'help') {
    runtime.stdout(USAGE);
    return ExitCode.Ok;
  }
  try {
    return await dispatch(options, runtime);
  } catch (error) {
    if (options.json) runtime.stdout(JSON.stringify({ type: 'error', name: (error as Error).name, message: (error as Error).message }));
    runtime.stderr(`error: ${describeError(error)}`);
    return error instanceof UsageError ? ExitCode.Usage : ExitCode.Error;
  }
}

async function dispatch(options: CliOptions, runtime: CliRuntime): Promise<number> {
  const workspaceRoot = findWorkspaceRoot(runtime.cwd, runtime.env);
  const stateFile = options.stateFile ? path.resolve(runtime.cwd, options.stateFile) : defaultStateFile(workspaceRoot, options.stack);
  const store = new FileStateStore(stateFile, { gitignoreDirectory: options.stateFile === undefined });
  const reporter: Reporter = options.json ? new JsonReporter(runtime.stdout, () => runtime.clock.now()) : new HumanReporter(runtime.stdout);
  const config = clientConfig(options);
  const cloudFormation = new CloudFormationClient(config);
  const stack = new CachedStackReader(
    new AwsStackReader({
      cloudFormation,
      lambda: new LambdaClient(config),
      stackName: options.stack,
      ...(options.functionName ? { functionName: options.functionName } : {}),
    }),
  );
  const metrics = metricsReader(options, stack);
  const endpointUrl = runtime.env['AWS_ENDPOINT_URL'];
  if (options.deployer === 'local' && !endpointUrl) throw new UsageError('--deployer local needs AWS_ENDPOINT_URL: the local stack\'s AWS endpoint');
  const deployFactory =
    runtime.deployStep ??
    (options.deployer === 'local' ? () => new LocalDeployStep(endpointUrl as string) : undefined) ??
    ((factory: DeployStepFactoryOptions) =>
      new CommandDeployStep({
        stack: factory.stack,
        ...(factory.profile ? { profile: factory.profile } : {}),
        ...(factory.region ? { region: factory.region } : {}),
        cwd: factory.workspaceRoot,
        stdoutToStderr: factory.json,
      }));
  const deploy = stack.forgettingAfter(
    deployFactory({ stack: options.stack, region: options.region, profile: options.profile, workspaceRoot, json: options.json }),
  );
  const confirm = async (question: string): Promise<boolean> => {
    if (options.yes) return true;
    if (!runtime.ask) throw new NotConfirmedError(`${question} There is no terminal to confirm on; pass --yes`);
    const answer = await runtime.ask(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  };
  const deps = { store, deploy, metrics, stack, clock: runtime.clock, reporter, confirm };
  const rollbackRetry = { attempts: options.rollbackAttempts, delayMs: options.rollbackRetryDelayMs };
  const extras = options.overrides.deploy
    ? { context: options.overrides.deploy.context ?? {}, args: options.overrides.deploy.args ?? [] }
    : undefined;
  const region = options.region;

  switch (options.command) {
    case 'plan': {
      const stored = await store.load();
      const plan = resolvePlan(stored, options.overrides);
      const source =
        (stored ? `the run in ${store.location} (${stored.status})` : 'the defaults') +
        (hasOverrides(options.overrides) ? ', with the flags given' : '');
      const commands = plan.stages.map((stage, index) =>
        deploy.describe({ ...stageTarget(stage.percentage), reason: `stage ${index + 1}`, extras: plan.deploy }),
      );
      if (options.json) {
        const origin = stored ? 'state' : 'defaults';
        runtime.stdout(JSON.stringify({ type: 'plan', stack: options.stack, source: origin, plan, deployCommands: commands }));
      } else {
        runtime.stdout(`Plan for ${options.stack} (from ${source}):`);
        for (const line of formatPlan(plan)) runtime.stdout(line);
        runtime.stdout('Deploy commands:');
        commands.forEach((command, index) => runtime.stdout(`  ${index + 1}. ${command}`));
      }
      return ExitCode.Ok;
    }
    case 'status': {
      const report = await readStatus({ stack, metrics, store, clock: runtime.clock }, options.stack);
      if (options.json) runtime.stdout(JSON.stringify({ type: 'status', ...report }));
      else for (const line of formatStatus(report)) runtime.stdout(line);
      return ExitCode.Ok;
    }
    case 'run': {
      const outcome = await runRollout(deps, {
        stack: options.stack,
        ...(region ? { region } : {}),
        overrides: options.overrides,
        pollIntervalMs: options.pollIntervalMs,
        restart: options.restart,
        dryRun: options.dryRun,
        rollbackRetry,
      });
      return exitCodeFor(outcome.result);
    }
    case 'rollback': {
      const outcome = await rollbackNow(deps, {
        stack: options.stack,
        ...(region ? { region } : {}),
        ...(options.reason ? { reason: options.reason } : {}),
        ...(extras ? { extras } : {}),
        dryRun: options.dryRun,
        retry: rollbackRetry,
      });
      return outcome.result === 'rolled_back' || outcome.result === 'dry_run' ? ExitCode.Ok : ExitCode.Error;
    }
    case 'cleanup': {
      const outcome = await cleanupRollout(deps, { stack: options.stack, ...(region ? { region } : {}), dryRun: options.dryRun });
      return exitCodeFor(outcome.result);
    }
    case 'check-auth':
      return checkAuthCommand(options, runtime, cloudFormation, reporter);
    default:
      throw new UsageError(`unknown command ${options.command as string}`);
  }
}

async function checkAuthCommand(
  options: CliOptions,
  runtime: CliRuntime,
  cloudFormation: CloudFormationClient,
  reporter: Reporter,
): Promise<number> {
  // Only the outputs: either stack of the two-account layout has ExecutionApiUrl, and only one has a verification function.
  const url = options.apiUrl ?? (await describeStack(cloudFormation, options.stack)).outputs[STACK_OUTPUTS.executionApiUrl];
  if (!url) throw new StackReadError(`the stack has no output ${STACK_OUTPUTS.executionApiUrl}; deploy the current infra app or pass --api-url`);
  if (options.dryRun) {
    const target = executeUrl(url);
    reporter.emit({ type: 'dry_run', action: `POST ${target} without a signature and expect 403` });
    reporter.emit({
      type: 'dry_run',
      action:
        `POST ${target} signed with your credentials${options.profile ? ` (profile ${options.profile})` : ''} ` +
        'and expect 403 AccessDeniedException (explicit deny)',
    });
    return ExitCode.Ok;
  }
  const credentials = (runtime.credentials ?? defaultCallerCredentials)(options.profile);
  const report = await checkAuth({ url, ...(options.region ? { region: options.region } : {}), credentials, timeoutMs: options.timeoutMs });
  if (options.json) runtime.stdout(JSON.stringify({ type: 'check_auth', ...report }));
  else for (const line of formatCheckAuth(report)) runtime.stdout(line);
  return report.pass ? ExitCode.Ok : ExitCode.Breach;
}

function defaultCallerCredentials(profile: string | undefined): CredentialProvider {
  return profile ? defaultProvider({ profile }) : defaultCredentials();
}
