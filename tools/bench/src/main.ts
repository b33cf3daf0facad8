/**
 * `npm run bench`: the benchmark suite. Runs, in this order and in one process, the signing micro-benchmark, the cold
 * starts (fresh `node` processes), and, through one local stack, the ack latency, the end-to-end latency and the
 * throughput; then the ack under a burst, on fresh stacks with the deployed concurrency settings; then prints the
 * markdown report and writes the results (see README.md for the method).
 *
 * Exit code: 0 when every phase completed and every integrity check passed (whatever the goals' verdicts: a missed
 * goal is a finding, reported in the table); 1 otherwise; 2 on bad arguments.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findWorkspaceRoot } from '@slack-ai-app/local-stack';
import { Budget } from './budget';
import { type BenchOptions, parseBenchArgs, recordedOptions, USAGE } from './cli/options';
import { runColdStart } from './cold-start/run-cold-start';
import { describeMachine, describeSource, loadAverage } from './env/machine';
import { evaluateGoals } from './report/goals';
import { renderReport } from './report/markdown';
import { type BenchResults, type IntegrityCheck, type PhaseError, RESULTS_SCHEMA_VERSION } from './report/types';
import { RECORDED_REPORT, RUNS_DIR, recordReport, writeResults } from './report/write-results';
import { runSigning } from './signing/run-signing';
import { type BenchStack, startBenchStack } from './stack/bench-stack';
import { runAck } from './stack/run-ack';
import { runAckConcurrency } from './stack/run-ack-concurrency';
import { runEndToEnd } from './stack/run-end-to-end';
import { runStreaming } from './stack/run-streaming';
import { runThroughput } from './stack/run-throughput';

/** Bound on waiting for the stack to finish the work of one event. */
const IDLE_TIMEOUT_MS = 30_000;
/** Bound on waiting for one end-to-end reply (the execution function's own retries included). */
const REPLY_TIMEOUT_MS = 20_000;

function log(line: string): void {
  process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

async function run(options: BenchOptions): Promise<number> {
  const root = findWorkspaceRoot(__dirname);
  const startedAt = new Date();
  const machine = describeMachine();
  const source = describeSource(root);
  const total = new Budget(options.totalBudgetMs);
  const errors: PhaseError[] = [];
  const checks: IntegrityCheck[] = [];
  const notes: string[] = [];
  const phase = async <T>(name: string, body: () => Promise<T>): Promise<T | undefined> => {
    log(`${name}: start`);
    try {
      const value = await body();
      log(`${name}: done`);
      return value;
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      errors.push({ phase: name, message });
      log(`${name}: FAILED: ${message}`);
      return undefined;
    }
  };
  const has = (name: Parameters<BenchOptions['phases']['has']>[0]) => options.phases.has(name);

  const signing = has('signing')
    ? await phase('signing', async () => {
        const { result, checks: found } = await runSigning({ ...options.signing, budget: total.sub(options.signing.budgetMs), seed: options.seed });
        checks.push(...found);
        return result;
      })
    : undefined;

  const tmpDir = mkdtempSync(join(tmpdir(), 'slack-ai-app-bench-'));
  const needsStack = has('cold-start') || has('ack') || has('e2e') || has('stream') || has('throughput');
  const concurrency = Math.max(options.endToEnd.concurrency, options.stream.concurrency, ...options.throughput.levels.map((l) => l.concurrency));
  let bench: BenchStack | undefined;
  let coldStart, ack, endToEnd, streaming, throughput;
  try {
    bench = needsStack
      ? await phase('local stack', () => startBenchStack({ workspaceRoot: root, reservedConcurrency: concurrency, modelLatencyMs: 0 }))
      : undefined;
    if (has('cold-start')) {
      coldStart = await phase('cold start', async () => {
        const childScript = join(__dirname, 'cold-start-child.js');
        if (!existsSync(childScript)) throw new Error(`${childScript} is missing; build the tool with: npx nx run bench:build`);
        if (bench !== undefined) bench.stack.modelLatencyMs = 0;
        else notes.push('cold start: the execution bundle was not measured (no local stack for its stand-ins)');
        const result = await runColdStart({
          workspaceRoot: root,
          childScript,
          tmpDir: join(tmpDir, 'cold-start'),
          rounds: options.coldStart.rounds,
          warmupRounds: options.coldStart.warmupRounds,
          stack: bench,
          budget: total.sub(options.coldStart.budgetMs),
          seed: options.seed,
          log,
        });
        if (result.roundsRun < 10 && !options.quick) notes.push(`cold start: only ${result.roundsRun} rounds fitted in the time budget (the method asks for at least 10)`);
        for (const variant of result.variants) {
          checks.push({
            name: `cold start: every run of "${variant.label}" did its first invocation correctly`,
            ok: variant.failedRuns === 0 && variant.validRuns > 0,
            detail: `${variant.validRuns}/${variant.validRuns + variant.failedRuns}.${variant.failures.length > 0 ? ` First failure: ${variant.failures[0]}` : ''}`,
          });
        }
        return result;
      });
    }
    const stack = bench;
    if (has('ack') && stack !== undefined) {
      ack = await phase('ack latency', async () => {
        const { result, checks: found } = await runAck(stack, { ...options.ack, modelLatencyMs: 0, budget: total.sub(options.ack.budgetMs), seed: options.seed, idleTimeoutMs: IDLE_TIMEOUT_MS, log });
        checks.push(...found);
        return result;
      });
    }
    if (has('e2e') && stack !== undefined) {
      endToEnd = await phase('end to end', async () => {
        const { result, checks: found } = await runEndToEnd(stack, {
          ...options.endToEnd,
          replyTimeoutMs: REPLY_TIMEOUT_MS,
          idleTimeoutMs: IDLE_TIMEOUT_MS * 2,
          budget: total.sub(options.endToEnd.budgetMs),
          seed: options.seed,
          log,
        });
        checks.push(...found);
        return result;
      });
    }
    if (has('stream') && stack !== undefined) {
      streaming = await phase('streamed answers', async () => {
        const { result, checks: found } = await runStreaming(stack, {
          ...options.stream,
          replyTimeoutMs: REPLY_TIMEOUT_MS,
          idleTimeoutMs: IDLE_TIMEOUT_MS * 2,
          budget: total.sub(options.stream.budgetMs),
          seed: options.seed,
          log,
        });
        checks.push(...found);
        if (result.truncated) notes.push(`streamed answers: the time budget was reached after ${result.streamed.answers} streamed and ${result.posted.answers} posted answers`);
        return result;
      });
    }
    if (has('throughput') && stack !== undefined) {
      throughput = await phase('throughput', async () => {
        const { result, checks: found, notes: said } = await runThroughput(stack, {
          levels: options.throughput.levels,
          modelLatencyMs: options.throughput.modelLatencyMs,
          levelBudgetMs: options.throughput.levelBudgetMs,
          idleTimeoutMs: IDLE_TIMEOUT_MS * 2,
          replyTimeoutMs: REPLY_TIMEOUT_MS,
          budget: total.sub(options.throughput.budgetMs),
          log,
        });
        checks.push(...found);
        notes.push(...said);
        for (const level of result.levels) {
          const slow = level.ackMs?.samples.filter((ms) => ms >= 3000).length ?? 0;
          if (slow > 0) {
            notes.push(
              `throughput c=${level.concurrency}: ${slow} of ${level.acked} acks took 3 s or more (max ${Math.round(level.ackMs?.summary.max ?? 0)} ms): ` +
                'the local stack is saturated at this concurrency on this machine (all containers share its CPUs; Lambda gives each its own)',
            );
          }
        }
        return result;
      });
    }
  } finally {
    await bench?.stop().catch((error: unknown) => notes.push(`stopping the local stack failed: ${String(error)}`));
    rmSync(tmpDir, { recursive: true, force: true });
  }
  // Its own stacks, one per level, with the deployed concurrency settings: started once the shared stack is stopped.
  const ackConcurrency = has('ack-concurrency')
    ? await phase('ack under concurrency', async () => {
        const { result, checks: found, notes: said } = await runAckConcurrency({
          workspaceRoot: root,
          levels: options.ackConcurrency.levels,
          events: options.ackConcurrency.events,
          idleTimeoutMs: IDLE_TIMEOUT_MS * 2,
          budget: total.sub(options.ackConcurrency.budgetMs),
          log,
        });
        checks.push(...found);
        notes.push(...said);
        return result;
      })
    : undefined;
  if (bench !== undefined) {
    checks.push({
      name: 'local stack: no emulator reported an internal error',
      ok: bench.internalErrors.length === 0,
      detail: bench.internalErrors.length === 0 ? 'none.' : bench.internalErrors.slice(0, 3).join('; '),
    });
  }
  if (total.exceeded()) notes.push(`the total time budget (${options.totalBudgetMs / 1000} s) was reached; later phases ran shorter`);
  if (options.quick) notes.push('--quick run: sample counts too small for the figures to be read as results');

  const finishedAt = new Date();
  const results: BenchResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    run: { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - startedAt.getTime(), options: recordedOptions(options) },
    machine: { ...machine, loadAverageAtEnd: loadAverage() },
    source,
    goals: evaluateGoals({ coldStart, ack, endToEnd, streaming }),
    coldStart,
    ack,
    endToEnd,
    signing,
    throughput,
    streaming,
    ackConcurrency,
    integrity: checks,
    errors,
    notes,
  };
  const markdown = renderReport(results);
  process.stdout.write(markdown);
  if (options.write) {
    const dir = resolve(root, options.outDir ?? RUNS_DIR);
    const written = writeResults(dir, results, markdown);
    log(`results: ${written.timestamped}, ${written.latestJson}, ${written.latestMarkdown}`);
  }
  const ok = errors.length === 0 && checks.every((check) => check.ok);
  if (options.record) {
    // A run with a failed phase or check is not the project's figures: the committed report stays as it was.
    const recorded = resolve(root, RECORDED_REPORT);
    if (ok) recordReport(recorded, markdown);
    log(ok ? `recorded: ${recorded}` : `not recorded (a phase or an integrity check failed): ${recorded} unchanged`);
  }
  return ok ? 0 : 1;
}

const parsed = parseBenchArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(`${USAGE}\n`);
} else if (parsed.kind === 'error') {
  process.stderr.write(`${parsed.message}\n\n${USAGE}\n`);
  process.exitCode = 2;
} else {
  run(parsed.options).then(
    (code) => {
      process.exitCode = code;
      // Everything is stopped by now; should a stray handle keep the loop alive, do not hang the caller.
      setTimeout(() => process.exit(code), 5000).unref();
    },
    (error: unknown) => {
      process.stderr.write(`the benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
