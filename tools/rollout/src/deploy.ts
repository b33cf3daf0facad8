import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { DeployError, describeError } from './errors';
import type { DeployExtras } from './plan';
import { HANDOFF_CONTEXT_KEYS } from '@slack-ai-app/stack-contract';

/** The three context values the tool controls. */
export interface DeployTarget {
  /** `executionApiPercentage`, 0–100. */
  readonly percentage: number;
  /** `useApiGateway`. */
  readonly useApiGateway: boolean;
  /** `enableDirectInvokeFallback`; `false` removes `BEDROCK_PROCESSOR_ARN` and the invoke grant. */
  readonly enableDirectInvokeFallback: boolean;
}

/** One deploy: the target context plus why it is made (shown to the operator). */
export interface DeployRequest extends DeployTarget {
  /** Why, e.g. `stage 2/3 (50 %)` or `rollback: 5XX rate 0.4% > 0.1%`. */
  readonly reason: string;
  /** Extra context and arguments of the run. */
  readonly extras: DeployExtras;
}

/** Changes the deployed stack. The only way the tool changes anything in AWS. */
export interface DeployStep {
  /**
   * Says what {@link deploy} would do, without doing it; what `--dry-run` prints.
   *
   * @param request - the deploy
   * @returns one line, e.g. the command that would run
   */
  describe(request: DeployRequest): string;
  /**
   * Deploys the stack with the requested context and resolves once the deploy has finished.
   *
   * @param request - the context to deploy
   * @throws DeployError when the deploy fails
   */
  deploy(request: DeployRequest): Promise<void>;
}

/** Settings shared by every deploy of one invocation of the tool. */
export interface DeployCommandOptions {
  /** The stack to deploy. */
  readonly stack: string;
  /** AWS profile, passed to cdk as `--profile`. */
  readonly profile?: string;
  /**
   * The command that runs the infra app's deploy target; the cdk arguments follow it.
   * @default ['npx', 'nx', 'run', 'infra:deploy', '--']
   */
  readonly command?: readonly string[];
}

/** The default command: the infra app's Nx deploy target, with everything after `--` forwarded to `cdk deploy`. */
export const DEFAULT_DEPLOY_COMMAND: readonly string[] = ['npx', 'nx', 'run', 'infra:deploy', '--'];

/**
 * Builds the `cdk deploy` arguments for one deploy: the stack, the three controlled context values, the run's extra
 * context, `--require-approval never`, `--profile` when given, then the run's extra arguments.
 *
 * @param options - stack and profile
 * @param request - the deploy
 * @returns the arguments, in order
 * @example
 * const request = { percentage: 10, useApiGateway: false, enableDirectInvokeFallback: true, reason: '', extras: { context: {}, args: [] } };
 * deployArguments({ stack: 'SlackBedrockStack' }, request);
 * // ['SlackBedrockStack', '--context', 'executionApiPercentage=10', '--context', 'useApiGateway=false',
 * //  '--context', 'enableDirectInvokeFallback=true', '--require-approval', 'never']
 */
export function deployArguments(options: DeployCommandOptions, request: DeployRequest): string[] {
  const context: Array<[string, string]> = [
    [HANDOFF_CONTEXT_KEYS.executionApiPercentage, String(request.percentage)],
    [HANDOFF_CONTEXT_KEYS.useApiGateway, String(request.useApiGateway)],
    [HANDOFF_CONTEXT_KEYS.enableDirectInvokeFallback, String(request.enableDirectInvokeFallback)],
    ...Object.entries(request.extras.context).sort(([a], [b]) => a.localeCompare(b)),
  ];
  return [
    options.stack,
    ...context.flatMap(([key, value]) => ['--context', `${key}=${value}`]),
    '--require-approval',
    'never',
    ...(options.profile ? ['--profile', options.profile] : []),
    ...request.extras.args,
  ];
}

/**
 * Quotes a command line for display (POSIX shell rules), e.g. for `--dry-run`.
 *
 * @param argv - the command and its arguments
 * @returns a single line that a shell would split back into `argv`
 */
export function formatCommand(argv: readonly string[]): string {
  return argv.map((arg) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The subset of `child_process.spawn` that {@link CommandDeployStep} uses; injectable for tests. */
export type SpawnFunction = (command: string, args: readonly string[], options: SpawnOptions) => SpawnedProcess;

/** The subset of `ChildProcess` that {@link CommandDeployStep} listens to. */
export interface SpawnedProcess {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

/** Options of {@link CommandDeployStep}. */
export interface CommandDeployStepOptions extends DeployCommandOptions {
  /** Working directory: the workspace root. */
  readonly cwd: string;
  /** Environment of the deploy; `AWS_REGION`/`AWS_DEFAULT_REGION` are set from `region` when given. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Region, exported to the deploy as `AWS_REGION` and `AWS_DEFAULT_REGION`. */
  readonly region?: string;
  /** Send the deploy's stdout to this process's stderr (keeps stdout clean for `--json`). @default false */
  readonly stdoutToStderr?: boolean;
  /** Called with the command line before it starts. */
  readonly onStart?: (commandLine: string) => void;
  /** @default child_process.spawn */
  readonly spawn?: SpawnFunction;
}

/**
 * Deploys by running the infra app's deploy target (default `npx nx run infra:deploy -- <cdk args>`) as a child process
 * with inherited output, and checks its exit code. CDK context is the only input, so the deployed stack always matches
 * what the infra code builds from that context.
 */
export class CommandDeployStep implements DeployStep {
  /** @param options - command, stack, profile, region, working directory */
  constructor(private readonly options: CommandDeployStepOptions) {}

  /**
   * @param request - the deploy
   * @returns the command line that {@link deploy} runs
   */
  describe(request: DeployRequest): string {
    return formatCommand(this.argv(request));
  }

  /**
   * @param request - the deploy
   * @throws DeployError when the command cannot start, is killed, or exits non-zero
   */
  async deploy(request: DeployRequest): Promise<void> {
    const argv = this.argv(request);
    this.options.onStart?.(formatCommand(argv));
    const env: NodeJS.ProcessEnv = { ...(this.options.env ?? process.env) };
    if (this.options.region) {
      env.AWS_REGION = this.options.region;
      env.AWS_DEFAULT_REGION = this.options.region;
    }
    const spawn = this.options.spawn ?? (nodeSpawn as unknown as SpawnFunction);
    await new Promise<void>((resolve, reject) => {
      let child;
      try {
        child = spawn(argv[0] as string, argv.slice(1), {
          cwd: this.options.cwd,
          env,
          // stdin is closed: a deploy must never wait for input.
          stdio: ['ignore', this.options.stdoutToStderr ? 2 : 'inherit', 'inherit'],
        });
      } catch (error) {
        reject(new DeployError(`cannot start the deploy (${argv[0]}): ${describeError(error)}`, undefined, { cause: error }));
        return;
      }
      child.on('error', (error) =>
        reject(new DeployError(`cannot start the deploy (${argv[0]}): ${describeError(error)}`, undefined, { cause: error })),
      );
      child.on('close', (code, signal) => {
        if (code === 0) resolve();
        else if (code === null) reject(new DeployError(`the deploy was killed by ${signal ?? 'a signal'}`));
        else reject(new DeployError(`the deploy exited with code ${code}`, code));
      });
    });
  }

  private argv(request: DeployRequest): string[] {
    return [...(this.options.command ?? DEFAULT_DEPLOY_COMMAND), ...deployArguments(this.options, request)];
  }
}
