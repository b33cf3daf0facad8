import { parseArgs } from 'node:util';
import type { LevelSpec } from '../stack/run-throughput';

/** The measurements, in the order they run. */
export const PHASES = ['signing', 'cold-start', 'ack', 'e2e', 'stream', 'throughput', 'ack-concurrency'] as const;

/** One measurement. */
export type Phase = (typeof PHASES)[number];

/**
 * The phases a run without `--only` does. `ack-concurrency` (thousands of mentions, minutes) runs only when named:
 * `npm run bench -- --only ack-concurrency`.
 */
export const DEFAULT_PHASES: readonly Phase[] = PHASES.filter((phase) => phase !== 'ack-concurrency');

/** Everything a run is configured with. */
export interface BenchOptions {
  readonly phases: ReadonlySet<Phase>;
  /** Small counts, for checking that the suite works (figures too noisy to read). */
  readonly quick: boolean;
  /** Seed of every random choice (path order, bootstrap). */
  readonly seed: number;
  /** Results directory; `undefined` means `tools/bench/results/runs` (git-ignored). */
  readonly outDir: string | undefined;
  /** Write the results files. */
  readonly write: boolean;
  /** Also replace the committed report, `tools/bench/results/latest.md` (a full run only). */
  readonly record: boolean;
  /** Bound on all phases together (the build before them is not counted). */
  readonly totalBudgetMs: number;
  readonly signing: { readonly batchSize: number; readonly batches: number; readonly warmupBatches: number; readonly budgetMs: number };
  readonly coldStart: { readonly rounds: number; readonly warmupRounds: number; readonly budgetMs: number };
  readonly ack: { readonly perPath: number; readonly warmupPerPath: number; readonly budgetMs: number };
  readonly endToEnd: { readonly perPath: number; readonly concurrency: number; readonly modelLatencyMs: number; readonly budgetMs: number };
  readonly throughput: { readonly levels: readonly LevelSpec[]; readonly modelLatencyMs: number; readonly levelBudgetMs: number; readonly budgetMs: number };
  /** Signed mentions sent back to back by `levels[i]` senders, each level on a fresh stack with the deployed settings. */
  readonly ackConcurrency: { readonly levels: readonly number[]; readonly events: number; readonly budgetMs: number };
  /** Streamed against posted answers (issue 16): the model workload, answers per mode, concurrency. */
  readonly stream: {
    readonly workload: { readonly ttftMs: number; readonly tokensPerSecond: number; readonly answerTokens: number };
    readonly perMode: number;
    readonly concurrency: number;
    readonly budgetMs: number;
  };
}

/** The outcome of {@link parseBenchArgs}. */
export type ParsedArgs = { readonly kind: 'run'; readonly options: BenchOptions } | { readonly kind: 'help' } | { readonly kind: 'error'; readonly message: string };

/** The usage text. */
export const USAGE = `Usage: npm run bench -- [options]

Runs the benchmark suite (signing, cold start, ack latency, end to end, streamed answers, throughput), prints a markdown report and
writes tools/bench/results/runs/<timestamp>.json, latest.json and latest.md (git-ignored). Only --record changes
the committed figures, tools/bench/results/latest.md. The ack under a burst of signed mentions, at concurrency 32 and
64 with the deployed concurrency settings, runs only when named: --only ack-concurrency.

Options:
  --quick                 small sample counts: checks that everything works; figures too noisy to read
  --only <phases>         comma-separated subset of: ${PHASES.join(', ')}
  --seed <n>              seed of the path order and the bootstrap (default 7)
  --rounds <n>            cold-start rounds, each running every variant once (default 15, at least 10 for a report)
  --ack-samples <n>       ack samples per path (default 150)
  --e2e-samples <n>       end-to-end samples per path (default 80)
  --burst-events <n>      signed mentions per level of ack-concurrency (default 1000)
  --model-latency <ms>    local model latency of the end-to-end phase (default 1500)
  --out <dir>             results directory (default tools/bench/results/runs, git-ignored)
  --no-write              print the report only
  --record                also replace the committed report, tools/bench/results/latest.md (full runs only:
                          not with --quick, --only or --no-write)
  --help                  this text`;

/** The issue's workload for the streaming phase: first token after 800 ms, then 50 tokens/s, 400 tokens. */
const STREAM_WORKLOAD = { ttftMs: 800, tokensPerSecond: 50, answerTokens: 400 } as const;

const FULL: Omit<BenchOptions, 'phases' | 'quick' | 'seed' | 'outDir' | 'write' | 'record'> = {
  totalBudgetMs: 350_000,
  signing: { batchSize: 200, batches: 60, warmupBatches: 10, budgetMs: 10_000 },
  coldStart: { rounds: 15, warmupRounds: 1, budgetMs: 70_000 },
  ack: { perPath: 150, warmupPerPath: 10, budgetMs: 40_000 },
  endToEnd: { perPath: 80, concurrency: 8, modelLatencyMs: 1500, budgetMs: 55_000 },
  throughput: {
    levels: [
      { concurrency: 1, count: 60 },
      { concurrency: 8, count: 240 },
      { concurrency: 32, count: 640 },
    ],
    modelLatencyMs: 0,
    levelBudgetMs: 12_000,
    budgetMs: 60_000,
  },
  ackConcurrency: { levels: [32, 64], events: 1000, budgetMs: 220_000 },
  stream: { workload: STREAM_WORKLOAD, perMode: 30, concurrency: 6, budgetMs: 120_000 },
};

const QUICK: typeof FULL = {
  totalBudgetMs: 180_000,
  signing: { batchSize: 100, batches: 16, warmupBatches: 4, budgetMs: 5_000 },
  coldStart: { rounds: 3, warmupRounds: 1, budgetMs: 30_000 },
  ack: { perPath: 15, warmupPerPath: 3, budgetMs: 15_000 },
  endToEnd: { perPath: 8, concurrency: 4, modelLatencyMs: 1500, budgetMs: 20_000 },
  throughput: {
    levels: [
      { concurrency: 1, count: 10 },
      { concurrency: 8, count: 24 },
      { concurrency: 32, count: 64 },
    ],
    modelLatencyMs: 0,
    levelBudgetMs: 5_000,
    budgetMs: 30_000,
  },
  ackConcurrency: { levels: [32, 64], events: 128, budgetMs: 30_000 },
  stream: { workload: STREAM_WORKLOAD, perMode: 4, concurrency: 2, budgetMs: 60_000 },
};

function positiveInteger(name: string, raw: string | undefined, min = 1): number | string | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) return `--${name} must be an integer of at least ${min}, got ${JSON.stringify(raw)}`;
  return Number(raw);
}

/**
 * Parses the command line.
 *
 * @param argv - the arguments after the script (`process.argv.slice(2)`)
 * @returns the options, a request for help, or an error message naming the bad option
 * @example
 * parseBenchArgs(['--quick', '--only', 'ack,e2e']);
 */
export function parseBenchArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        seed: { type: 'string' },
        rounds: { type: 'string' },
        'ack-samples': { type: 'string' },
        'e2e-samples': { type: 'string' },
        'burst-events': { type: 'string' },
        'model-latency': { type: 'string' },
        out: { type: 'string' },
        'no-write': { type: 'boolean' },
        record: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values['help'] === true) return { kind: 'help' };
  const quick = values['quick'] === true;
  const base = quick ? QUICK : FULL;

  let phases: Set<Phase> = new Set(DEFAULT_PHASES);
  if (typeof values['only'] === 'string') {
    const names = values['only'].split(',').map((name) => name.trim()).filter((name) => name !== '');
    const unknown = names.filter((name) => !(PHASES as readonly string[]).includes(name));
    if (unknown.length > 0 || names.length === 0) return { kind: 'error', message: `--only takes a comma-separated list of ${PHASES.join(', ')}; got ${JSON.stringify(values['only'])}` };
    phases = new Set(names as Phase[]);
  }
  if (values['record'] === true) {
    const partial = (['quick', 'only', 'no-write'] as const).filter((name) => values[name] !== undefined);
    if (partial.length > 0) return { kind: 'error', message: `--record records a full run only; drop ${partial.map((name) => `--${name}`).join(', ')}` };
  }
  const numbers: Record<string, number | undefined> = {};
  for (const [name, min] of [['seed', 0], ['rounds', 1], ['ack-samples', 1], ['e2e-samples', 1], ['burst-events', 1], ['model-latency', 0]] as const) {
    const parsed = positiveInteger(name, values[name] as string | undefined, min);
    if (typeof parsed === 'string') return { kind: 'error', message: parsed };
    numbers[name] = parsed;
  }
  return {
    kind: 'run',
    options: {
      ...base,
      phases,
      quick,
      seed: numbers['seed'] ?? 7,
      outDir: typeof values['out'] === 'string' ? values['out'] : undefined,
      write: values['no-write'] !== true,
      record: values['record'] === true,
      coldStart: { ...base.coldStart, rounds: numbers['rounds'] ?? base.coldStart.rounds },
      ack: { ...base.ack, perPath: numbers['ack-samples'] ?? base.ack.perPath },
      endToEnd: {
        ...base.endToEnd,
        perPath: numbers['e2e-samples'] ?? base.endToEnd.perPath,
        modelLatencyMs: numbers['model-latency'] ?? base.endToEnd.modelLatencyMs,
      },
      ackConcurrency: { ...base.ackConcurrency, events: numbers['burst-events'] ?? base.ackConcurrency.events },
    },
  };
}

/**
 * The options as recorded in the results file (sets become arrays).
 *
 * @param options - the parsed options
 */
export function recordedOptions(options: BenchOptions): Record<string, unknown> {
  return { ...options, phases: PHASES.filter((phase) => options.phases.has(phase)) };
}
