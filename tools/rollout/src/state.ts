import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ConcurrentModificationError, describeError, StateFileError } from './errors';
import type { GateResult, LatencyBaseline } from './gates';
import type { HandoffCounts } from './metrics';
import type { RolloutPlan } from './plan';

/**
 * Where a rollout stands.
 *
 * - `deploying`: the current stage's deploy was started (or is about to be); a resumed run deploys it again (idempotent).
 * - `baking`: the current stage is deployed since `bakeStartedAt`; a resumed run bakes for the time that remains.
 * - `held`: a stage's bake ended but a gate had too few samples even after the extension; nothing was changed.
 * - `completed`: every stage baked with all gates green.
 * - `rolling_back` → `rolled_back`: 0 % was (being) deployed, with the fallback on; `breach` says why.
 * - `cleaning_up` → `cleaned_up`: the fallback was (being) removed after a completed 100 % rollout.
 */
export type RolloutStatus =
  | 'deploying'
  | 'baking'
  | 'held'
  | 'completed'
  | 'rolling_back'
  | 'rolled_back'
  | 'cleaning_up'
  | 'cleaned_up';

/** A stage whose gates were all green at the end of its bake. */
export interface StageRecord {
  /** Stage index in the plan. */
  readonly index: number;
  /** Its percentage. */
  readonly percentage: number;
  /** When its bake started (deploy finished), ISO. */
  readonly bakeStartedAt: string;
  /** When its gates were evaluated as final, ISO. */
  readonly evaluatedAt: string;
  /** The final gate results. */
  readonly gates: readonly GateResult[];
  /** The share the stack's configuration sent through the API when the bake started (absent in older state files). */
  readonly deployedPercentage?: number;
  /** The stage's hand-offs by chosen path at the final evaluation (absent in older state files). */
  readonly handoffs?: HandoffCounts;
}

/** Why a rollout was rolled back. */
export interface Breach {
  /** `gate`: a gate failed; `manual`: the `rollback` command. */
  readonly kind: 'gate' | 'manual';
  /** When, ISO. */
  readonly at: string;
  /** The stage that was live, if a stage was. */
  readonly stageIndex: number | undefined;
  /** Its percentage. */
  readonly percentage: number | undefined;
  /** The failing gates (kind `gate`), with their numbers. */
  readonly gates: readonly GateResult[];
  /** One line for the operator. */
  readonly message: string;
}

/** One recorded transition. */
export interface HistoryEntry {
  /** When, ISO. */
  readonly at: string;
  /** The status entered. */
  readonly status: RolloutStatus;
  /** The stage index at that moment. */
  readonly stageIndex: number;
  /** What happened. */
  readonly note: string;
}

/** The persisted state of one stack's rollout. Every write increments `revision`. */
export interface RolloutState {
  /** Schema version. */
  readonly version: 1;
  /** Stack name. */
  readonly stack: string;
  /** Region the run was started in, if one was given. */
  readonly region: string | undefined;
  /** Incremented on every write; a writer that finds another revision than it expects stops. */
  readonly revision: number;
  /** Identifies one run from its start to its end (a `--restart` begins a new one). */
  readonly runId: string;
  /** When the run started, ISO. */
  readonly startedAt: string;
  /** When the state was last written, ISO. */
  readonly updatedAt: string;
  /** The plan the run follows. */
  readonly plan: RolloutPlan;
  /** The direct-path latency baseline measured when the run started. */
  readonly baseline: LatencyBaseline | undefined;
  /** Where the run stands. */
  readonly status: RolloutStatus;
  /** The current stage (the last one for `completed`). */
  readonly stageIndex: number;
  /** When the current stage's bake started, ISO; set in `baking` and `held`. */
  readonly bakeStartedAt: string | undefined;
  /** When the current stage's current wait for samples started (after the bake, or on resuming a `held` run), ISO. */
  readonly extensionStartedAt: string | undefined;
  /** The latest gate results of the current stage. */
  readonly lastGates: readonly GateResult[] | undefined;
  /** What the stack's configuration sent through the API when the current stage's bake started (absent in older files). */
  readonly deployedPercentage?: number;
  /** The current stage's hand-offs by chosen path at the latest poll, read with `lastGates` (absent in older files). */
  readonly lastHandoffs?: HandoffCounts;
  /** Stages that passed. */
  readonly completedStages: readonly StageRecord[];
  /** Why the run was rolled back, when it was. */
  readonly breach: Breach | undefined;
  /** Every transition, oldest first. */
  readonly history: readonly HistoryEntry[];
}

/** Reads and writes one stack's {@link RolloutState}. */
export interface StateStore {
  /** Where the state lives, for messages (a file path). */
  readonly location: string;
  /**
   * @returns the state, or undefined when none was ever written
   * @throws StateFileError when it exists but cannot be read or is not a valid state
   */
  load(): Promise<RolloutState | undefined>;
  /**
   * Writes `state` if the stored revision is still `expectedRevision` (undefined: nothing stored yet).
   *
   * @param state - the new state; its `revision` should be `expectedRevision + 1`
   * @param expectedRevision - the revision the writer last saw
   * @throws ConcurrentModificationError when the stored revision differs
   * @throws StateFileError when it cannot be written
   */
  save(state: RolloutState, expectedRevision: number | undefined): Promise<void>;
}

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO date');
const nonNegativeInt = z.number().int().min(0);
const gateResultSchema = z.object({
  id: z.enum(['auth_errors', 'api_5xx_rate', 'fallback_rate', 'p95_ratio']),
  status: z.enum(['pass', 'fail', 'insufficient_data']),
  value: z.number().optional(),
  threshold: z.number(),
  numerator: z.number().optional(),
  denominator: z.number().optional(),
  samples: z.number(),
  minSamples: z.number(),
  reference: z.enum(['live', 'baseline']).optional(),
  detail: z.string(),
});
const handoffCountsSchema = z.object({ api: z.number().min(0), direct: z.number().min(0) });
const statusSchema = z.enum([
  'deploying',
  'baking',
  'held',
  'completed',
  'rolling_back',
  'rolled_back',
  'cleaning_up',
  'cleaned_up',
]);
const stateSchema = z.object({
  version: z.literal(1),
  stack: z.string().min(1),
  region: z.string().optional(),
  revision: nonNegativeInt,
  runId: z.string().min(1),
  startedAt: isoDate,
  updatedAt: isoDate,
  plan: z.object({
    stages: z.array(z.object({ percentage: z.number().int().min(1).max(100), bakeMs: nonNegativeInt })).min(1),
    gates: z.object({
      maxAuthErrors: nonNegativeInt,
      max5xxRate: z.number().min(0).max(1),
      maxFallbackRate: z.number().min(0).max(1),
      maxP95Ratio: z.number().min(1),
      minSamples: z.number().int().min(1),
    }),
    metricsDelayMs: nonNegativeInt,
    maxExtensionMs: nonNegativeInt,
    baselineWindowMs: nonNegativeInt,
    earlyAbort: z.boolean(),
    deploy: z.object({ context: z.record(z.string(), z.string()), args: z.array(z.string()) }),
    metricPeriodMs: z.number().int().min(1_000).optional(),
  }),
  baseline: z
    .object({
      directP95Ms: z.number().optional(),
      samples: z.number(),
      window: z.object({ start: isoDate, end: isoDate }),
    })
    .optional(),
  status: statusSchema,
  stageIndex: nonNegativeInt,
  bakeStartedAt: isoDate.optional(),
  extensionStartedAt: isoDate.optional(),
  lastGates: z.array(gateResultSchema).optional(),
  deployedPercentage: z.number().int().min(0).max(100).optional(),
  lastHandoffs: handoffCountsSchema.optional(),
  completedStages: z.array(
    z.object({
      index: nonNegativeInt,
      percentage: z.number().int(),
      bakeStartedAt: isoDate,
      evaluatedAt: isoDate,
      gates: z.array(gateResultSchema),
      deployedPercentage: z.number().int().min(0).max(100).optional(),
      handoffs: handoffCountsSchema.optional(),
    }),
  ),
  breach: z
    .object({
      kind: z.enum(['gate', 'manual']),
      at: isoDate,
      stageIndex: nonNegativeInt.optional(),
      percentage: z.number().int().optional(),
      gates: z.array(gateResultSchema),
      message: z.string(),
    })
    .optional(),
  history: z.array(z.object({ at: isoDate, status: statusSchema, stageIndex: nonNegativeInt, note: z.string() })),
});

/**
 * Parses and validates a state document (JSON already parsed). `undefined` fields may be absent or `null`.
 *
 * @param value - the parsed JSON
 * @param location - where it came from, for the error
 * @returns the state
 * @throws StateFileError listing every invalid field
 */
export function parseState(value: unknown, location: string): RolloutState {
  const result = stateSchema.safeParse(stripNulls(value));
  if (!result.success) {
    throw new StateFileError(location, `not a valid rollout state:\n${z.prettifyError(result.error)}`);
  }
  const state = result.data;
  if (state.stageIndex >= state.plan.stages.length) {
    throw new StateFileError(location, `stageIndex ${state.stageIndex} is beyond the plan's ${state.plan.stages.length} stages`);
  }
  // JSON has no `undefined`: a field that is undefined in memory is absent on disk, which the schema allows as optional.
  return state as RolloutState;
}

function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, entry]) => entry !== null)
        .map(([key, entry]) => [key, stripNulls(entry)]),
    );
  }
  return value;
}

/** Options of {@link FileStateStore}. */
export interface FileStateStoreOptions {
  /** Also write a `.gitignore` containing `*` into the state's directory when it has none (for the default `.rollout/`). */
  readonly gitignoreDirectory?: boolean;
}

/**
 * Keeps the state in a JSON file. Writes are atomic: the new state goes to a temporary file in the same directory, is
 * flushed to disk, then renamed over the old one, so a crash leaves either the old or the new state, never half of one.
 */
export class FileStateStore implements StateStore {
  /** The state file. */
  readonly location: string;

  /**
   * @param filePath - the state file (its directory is created on first write)
   * @param options - see {@link FileStateStoreOptions}
   */
  constructor(
    filePath: string,
    private readonly options: FileStateStoreOptions = {},
  ) {
    this.location = filePath;
  }

  /** @inheritdoc */
  async load(): Promise<RolloutState | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateFileError(this.location, `cannot read: ${describeError(error)}`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new StateFileError(this.location, `is not JSON: ${describeError(error)}`, { cause: error });
    }
    return parseState(json, this.location);
  }

  /** @inheritdoc */
  async save(state: RolloutState, expectedRevision: number | undefined): Promise<void> {
    const current = await this.load();
    if (current?.revision !== expectedRevision) {
      throw new ConcurrentModificationError(expectedRevision ?? -1, current?.revision ?? -1);
    }
    const directory = path.dirname(this.location);
    const temporary = path.join(directory, `.${path.basename(this.location)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.mkdir(directory, { recursive: true });
      if (this.options.gitignoreDirectory) await this.ensureGitignore(directory);
      const handle = await fs.open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, this.location);
    } catch (error) {
      await fs.rm(temporary, { force: true }).catch(() => undefined);
      throw new StateFileError(this.location, `cannot write: ${describeError(error)}`, { cause: error });
    }
  }

  private async ensureGitignore(directory: string): Promise<void> {
    const file = path.join(directory, '.gitignore');
    try {
      await fs.writeFile(file, '# rollout state: local to this machine\n*\n', { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Keeps the state in memory (a deep copy on every read and write); for tests and `--dry-run`. */
export class MemoryStateStore implements StateStore {
  /** Always `memory`. */
  readonly location = 'memory';
  private stored: string | undefined;

  /** @param initial - a state to start with */
  constructor(initial?: RolloutState) {
    this.stored = initial === undefined ? undefined : JSON.stringify(initial);
  }

  /** @inheritdoc */
  async load(): Promise<RolloutState | undefined> {
    return this.stored === undefined ? undefined : parseState(JSON.parse(this.stored), this.location);
  }

  /** @inheritdoc */
  async save(state: RolloutState, expectedRevision: number | undefined): Promise<void> {
    const current = await this.load();
    if (current?.revision !== expectedRevision) {
      throw new ConcurrentModificationError(expectedRevision ?? -1, current?.revision ?? -1);
    }
    this.stored = JSON.stringify(state);
  }
}
