import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { findWorkspaceRoot } from '../stack/workspace';

export type { InvokeMessage, RuntimeError, RuntimeMessage, RuntimeWorkerData } from './runtime/protocol';

/**
 * The entry of the runtime each Lambda container runs (`./runtime/worker.ts`), from the workspace root: the library
 * runs from its sources (ts-jest) and from the CLI bundle in `dist/`, and both are inside the workspace.
 */
const RUNTIME_ENTRY = ['tools', 'local-stack', 'src', 'lambda', 'runtime', 'worker.ts'] as const;

/** Thrown when the runtime's TypeScript cannot be compiled. */
export class RuntimeBootstrapError extends Error {
  override readonly name = 'RuntimeBootstrapError';
}

let compiled: string | undefined;

/**
 * The container's source (run with `new Worker(runtimeBootstrapSource(), { eval: true })`): `./runtime/worker.ts`
 * and what it imports, bundled by esbuild into one CommonJS script in memory. Compiled once per process; nothing is
 * written to disk.
 *
 * @throws RuntimeBootstrapError when esbuild fails
 */
export function runtimeBootstrapSource(): string {
  compiled ??= compileRuntime(join(findWorkspaceRoot(__dirname), ...RUNTIME_ENTRY));
  return compiled;
}

/**
 * Bundles a runtime entry into one CommonJS script for Node.js 20 (Node's built-in modules stay `require`s).
 *
 * @param entry - the TypeScript entry
 * @throws RuntimeBootstrapError when esbuild fails
 */
export function compileRuntime(entry: string): string {
  try {
    const result = buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent', legalComments: 'none' });
    const [output] = result.outputFiles;
    if (output === undefined) throw new Error('esbuild wrote no output');
    return output.text;
  } catch (error) {
    throw new RuntimeBootstrapError(`could not compile the Lambda runtime ${entry}: ${(error as Error).message}`, { cause: error });
  }
}
