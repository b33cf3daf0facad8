import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The synthesized assemblies of a redeploy, by context, relative to the workspace root (git-ignored `tmp/`). */
export const ASSEMBLY_CACHE_DIRECTORY = join('tmp', 'local-stack', 'assemblies');

/** `cdk synth` failed or was not found. */
export class SynthesisError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SynthesisError';
  }
}

/** A new assembly cannot replace the running one, or the redeploy request is wrong (the message says why); nothing changed. */
export class RedeployError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RedeployError';
  }
}

/** Runs a command and resolves with its output, rejecting on a non-zero exit. */
export type CommandRunner = (command: string, args: readonly string[], cwd: string) => Promise<void>;

/** Runs a command with the AWS instance metadata lookups off (as `nx run infra:synth` does); stderr is kept for errors. */
export const spawnCommand: CommandRunner = (command, args, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`))));
  });

/**
 * The `cdk synth` arguments for a context: the same `-c key=value` pairs `cdk deploy` gets, in key order.
 *
 * @param context - context key to value
 * @param outputDirectory - where the assembly goes
 */
export function synthArguments(context: Readonly<Record<string, string>>, outputDirectory: string): string[] {
  const pairs = Object.entries(context).sort(([a], [b]) => a.localeCompare(b));
  return ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', outputDirectory, ...pairs.flatMap(([key, value]) => ['--context', `${key}=${value}`])];
}

/**
 * What the code of an assembly is: a hash of its asset manifests (`*.assets.json`, which name every asset by the hash
 * of its content), so that a cached assembly is reused only for the same code.
 *
 * @param assemblyDirectory - a synthesized assembly
 */
export function assemblyCodeKey(assemblyDirectory: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(assemblyDirectory).filter((file) => file.endsWith('.assets.json')).sort()) {
    hash.update(name).update(readFileSync(join(assemblyDirectory, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Synthesizes the infra app with a context into a cached cloud assembly: `npx cdk synth -c …` in `apps/infra`, written
 * to a temporary directory and renamed into place, so a cached assembly is always complete. The same context gives the
 * same directory without a second synth, as long as the code is the same (`codeKey`).
 *
 * @param options - the workspace root, the context, the code's identity ({@link assemblyCodeKey}), the command runner
 * @returns the assembly directory
 * @throws SynthesisError when the synth fails
 */
export async function synthesizeAssembly(options: {
  workspaceRoot: string;
  context: Readonly<Record<string, string>>;
  codeKey: string;
  run?: CommandRunner;
}): Promise<string> {
  const key = createHash('sha256')
    .update(options.codeKey)
    .update(JSON.stringify(Object.entries(options.context).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex')
    .slice(0, 16);
  const cache = join(options.workspaceRoot, ASSEMBLY_CACHE_DIRECTORY);
  const directory = join(cache, key);
  if (existsSync(join(directory, 'manifest.json'))) return directory;
  mkdirSync(cache, { recursive: true });
  const partial = `${directory}.${process.pid}.${Date.now()}.partial`;
  try {
    await (options.run ?? spawnCommand)('npx', synthArguments(options.context, partial), join(options.workspaceRoot, 'apps', 'infra'));
    if (existsSync(directory)) rmSync(partial, { recursive: true, force: true });
    else renameSync(partial, directory);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw new SynthesisError(`cdk synth with ${JSON.stringify(options.context)} failed: ${(error as Error).message}`, { cause: error });
  }
  return directory;
}
