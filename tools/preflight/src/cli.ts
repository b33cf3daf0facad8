#!/usr/bin/env node
/**
 * Entry point of the preflight CLI (bundled to dist/tools/preflight/cli.js, run by `npx nx run infra:preflight`).
 * Wires the real process into {@link main}.
 */
import { createAwsDeps } from './aws-deps';
import { main } from './cli-main';

void main(process.argv.slice(2), {
  workspaceRoot: process.env.NX_WORKSPACE_ROOT ?? process.cwd(),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  deps: createAwsDeps,
}).then((code) => {
  process.exitCode = code;
});
