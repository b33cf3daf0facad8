import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { handlerModulePath } from '../assembly/deployment';
import type { FunctionRole } from '../constants';
import { runtimeBootstrapSource } from '../lambda/runtime-bootstrap';
import type { LocalStackOptions } from '../options';
import type { SystemWiring } from './system-wiring';

/** Thrown when a Lambda bundle is missing. */
export class BundleNotFoundError extends Error {
  override readonly name = 'BundleNotFoundError';
}

/** The functions' code as deployed: a snapshot of each bundle in a temporary directory. */
export interface DeployedCode {
  /** The deployed bundle of each function. */
  readonly bundles: Readonly<Record<FunctionRole, string>>;
  /** Deletes the snapshot. */
  remove(): Promise<void>;
}

/**
 * "Deploys" each function's bundle (the template's code asset, or the override's `bundlePath`): runs a snapshot, so
 * that a rebuild while the stack runs changes nothing until the next start. Compiles the Lambda runtime too.
 *
 * @throws BundleNotFoundError when a bundle has not been built
 * @throws RuntimeBootstrapError when the runtime cannot be compiled
 */
export function deployFunctionCode(root: string, wiring: SystemWiring, overrides: LocalStackOptions['functions']): DeployedCode {
  const bundles: Record<FunctionRole, string> = {
    verification: overrides?.verification?.bundlePath ?? handlerModulePath(wiring.functions.verification),
    execution: overrides?.execution?.bundlePath ?? handlerModulePath(wiring.functions.execution),
  };
  for (const [role, path] of Object.entries(bundles)) {
    if (!existsSync(path)) throw new BundleNotFoundError(`the ${role} function's code ${path} does not exist; synthesize the assembly with: npx nx run infra:synth`);
  }
  // The runtime the containers run, compiled now rather than in the first invocation.
  runtimeBootstrapSource();
  const deployDir = mkdtempSync(join(tmpdir(), 'slack-ai-app-local-stack-'));
  provideRuntimeModules(root, deployDir);
  return {
    bundles: {
      verification: deployBundle(bundles.verification, join(deployDir, wiring.functions.verification.name)),
      execution: deployBundle(bundles.execution, join(deployDir, wiring.functions.execution.name)),
    },
    remove: async () => rmSync(deployDir, { recursive: true, force: true }),
  };
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
