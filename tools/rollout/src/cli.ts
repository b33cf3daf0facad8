#!/usr/bin/env node
/**
 * Entry point of the rollout CLI (bundled to dist/tools/rollout/cli.js). Wires the real process into {@link main}:
 * the system clock, stdout/stderr, and a terminal prompt when stdin is a TTY.
 */
import * as readline from 'node:readline/promises';
import { systemClock } from './clock';
import { main } from './cli-main';

async function ask(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

void main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  clock: systemClock,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  ask: process.stdin.isTTY ? ask : undefined,
}).then((code) => {
  process.exitCode = code;
});
