import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BundleSize } from '../report/types';

/**
 * The bundles the cold-start phase compares that the benchmark builds itself: the empty module (the baseline) and the
 * naive reference bundle.
 */

/** Where the naive reference's source lives, relative to the workspace root. */
export const NAIVE_ENTRY = 'tools/bench/src/cold-start/naive-handler.ts';

/**
 * Builds the naive reference bundle exactly as the Lambdas are built (esbuild, platform node, target node24, CommonJS,
 * bundled and minified, no externals).
 *
 * @param workspaceRoot - the repository root
 * @param outDir - a temporary directory
 * @returns the bundle's path
 * @throws the esbuild error when the build fails
 */
export async function buildNaiveBundle(workspaceRoot: string, outDir: string): Promise<string> {
  const outfile = join(outDir, 'naive', 'main.js');
  await build({
    absWorkingDir: workspaceRoot,
    entryPoints: [join(workspaceRoot, NAIVE_ENTRY)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * Writes the baseline: a module that exports a handler and does nothing else.
 *
 * @param outDir - a temporary directory
 * @returns the module's path
 */
export function writeEmptyModule(outDir: string): string {
  const dir = join(outDir, 'empty');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'main.js');
  writeFileSync(path, "'use strict';\nexports.handler = async () => ({ statusCode: 200 });\n", { flag: 'w' });
  return path;
}

/**
 * Measures a bundle on disk: its entry file and the chunks next to it in `lazy/` (source maps excluded).
 *
 * @param mainPath - the bundle's `main.js`
 */
export function bundleSize(mainPath: string): BundleSize {
  const lazyDir = join(mainPath, '..', 'lazy');
  const lazyBytes: Record<string, number> = {};
  if (existsSync(lazyDir)) {
    for (const name of readdirSync(lazyDir).sort()) {
      if (name.endsWith('.js')) lazyBytes[name] = statSync(join(lazyDir, name)).size;
    }
  }
  return { mainBytes: statSync(mainPath).size, lazyBytes };
}
