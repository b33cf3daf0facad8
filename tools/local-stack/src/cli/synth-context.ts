import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CROSS_ACCOUNT_CONTEXT_KEYS } from '@slack-ai-app/stack-contract';
import { LOCAL_REGION, LOCAL_TWO_ACCOUNT_API_ID } from '../constants';

/** Thrown for command-line arguments `npm start` cannot use, or a synth that failed; the message says which. */
export class SynthContextError extends Error {
  override readonly name = 'SynthContextError';
}

/**
 * Reads CDK context from `npm start` arguments, as `cdk` takes it: `-c key=value`, `--context key=value` or
 * `--context=key=value`, repeatable.
 *
 * @param argv - the arguments after the script name
 * @returns the context pairs
 * @throws SynthContextError for any other argument, or a pair without `=`
 */
export function parseContextArgs(argv: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const inline = arg.startsWith('--context=') ? arg.slice('--context='.length) : undefined;
    const pair = inline ?? (arg === '-c' || arg === '--context' ? argv[(i += 1)] : undefined);
    if (pair === undefined) throw new SynthContextError(`unknown argument ${JSON.stringify(arg)}: npm start takes only CDK context, e.g. npm start -- -c executionApiPercentage=10`);
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new SynthContextError(`context ${JSON.stringify(pair)} is not key=value`);
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return context;
}

/**
 * Synthesizes the CDK app with extra context into its own cloud assembly under `tmp/local-stack/` (git-ignored), as
 * `nx run infra:synth` does with `cdk synth` in `apps/infra`.
 *
 * @param workspaceRoot - the repository root
 * @param context - the context pairs
 * @returns the assembly directory
 * @throws SynthContextError when `cdk synth` fails (its own output has been shown)
 */
export function synthesizeWithContext(workspaceRoot: string, context: Readonly<Record<string, string>>): string {
  const synth = synthCommand(workspaceRoot, context);
  const result = spawnSync('npx', synth.args, { ...synth.options, stdio: 'inherit' });
  if (result.status !== 0) throw new SynthContextError(`${synth.describe} failed (exit ${String(result.status ?? result.signal)})`);
  return synth.output;
}

/** The `cdk synth` command line of {@link synthesizeWithContext}, its output directory, and a description for errors. */
function synthCommand(workspaceRoot: string, context: Readonly<Record<string, string>>) {
  const pairs = Object.entries(context).sort(([a], [b]) => a.localeCompare(b));
  const output = join(workspaceRoot, 'tmp', 'local-stack', `assembly-${createHash('sha256').update(JSON.stringify(pairs)).digest('hex').slice(0, 12)}`);
  return {
    output,
    args: ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', output, ...pairs.flatMap(([key, value]) => ['-c', `${key}=${value}`])],
    options: { cwd: join(workspaceRoot, 'apps', 'infra'), env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } },
    describe: `cdk synth with ${pairs.map(([k, v]) => `-c ${k}=${v}`).join(' ')}`,
  };
}

/**
 * The context of the two-account layout as the local stack deploys it: when an account key is given, the execution
 * API's id is the local one ({@link LOCAL_TWO_ACCOUNT_API_ID}, so the verification stack is built in the same synth)
 * and the Region is the local one, unless given. Any other context is returned as is.
 *
 * @param context - the context pairs, e.g. from `npm start -- -c verificationAccount=111111111111 -c executionAccount=222222222222`
 * @returns the context to synthesize with
 */
export function withLocalTwoAccountContext(context: Readonly<Record<string, string>>): Record<string, string> {
  const K = CROSS_ACCOUNT_CONTEXT_KEYS;
  if (context[K.verificationAccount] === undefined && context[K.executionAccount] === undefined) return { ...context };
  const region = context[K.executionRegion] ?? context[K.verificationRegion] ?? LOCAL_REGION;
  return { [K.executionApiId]: LOCAL_TWO_ACCOUNT_API_ID, [K.executionRegion]: region, [K.verificationRegion]: region, ...context };
}
