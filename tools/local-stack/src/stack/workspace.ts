import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
