import { CDK_TOOLKIT_STACK_NAME } from '@slack-ai-app/stack-contract';
import { parseArgs, USAGE } from './args';
import { hasFailure } from './checks';
import { UsageError } from './errors';
import { resolveDeploySettings } from './deploy-settings';
import { formatJson, formatText } from './output';
import { runPreflight, type PreflightDeps } from './preflight';
import type { AwsDepsOptions } from './aws-deps';

/** Exit codes. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

/** What the CLI takes from its surroundings (the real process in `cli.ts`, fakes in tests). */
export interface CliRuntime {
  /** The repository root (for `apps/infra/cdk.json`). */
  readonly workspaceRoot: string;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Builds the AWS calls. */
  readonly deps: (options: AwsDepsOptions) => PreflightDeps & { destroy(): void };
}

/**
 * Runs preflight from the command line: one line per check (or one JSON object with `--json`) on stdout.
 *
 * @param argv - arguments after the script name
 * @param runtime - output and the AWS calls
 * @returns the exit code: 0 when nothing FAILs, 1 on a FAIL, 2 on a usage error
 */
export async function main(argv: readonly string[], runtime: CliRuntime): Promise<number> {
  let args;
  let settings;
  try {
    args = parseArgs(argv);
    settings = resolveDeploySettings(runtime.workspaceRoot, args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    runtime.stderr(`preflight: ${error.message}`);
    runtime.stderr(USAGE);
    return ExitCode.Usage;
  }
  if (args.help) {
    runtime.stdout(USAGE);
    return ExitCode.Ok;
  }
  const deps = runtime.deps({
    ...(args.region !== undefined ? { region: args.region } : {}),
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
  });
  try {
    const results = await runPreflight(deps, {
      ...settings,
      stackName: args.stackName,
      toolkitStackName: args.toolkitStackName,
      defaultToolkitStackName: args.toolkitStackName === CDK_TOOLKIT_STACK_NAME,
    });
    if (args.json) runtime.stdout(formatJson(results));
    else for (const line of formatText(results)) runtime.stdout(line);
    return hasFailure(results) ? ExitCode.Failed : ExitCode.Ok;
  } finally {
    deps.destroy();
  }
}
