import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The suite's shared collector: every spec file runs in its own module registry (and possibly its own process), so
 * what must outlive one file (the figures of the summary, the log lines of every stack, the credentials the clients
 * sent) goes through files under `<workspace>/tmp/reliability/`. The summary reporter empties the folder when a run
 * starts and reads it when the run completes.
 */

/** The areas of the summary, one line each. */
export type Area = 'faults' | 'load' | 'hostile' | 'secrets';

/** One figure record: what one scenario, run or property contributed to its area. */
export interface FigureRecord {
  readonly area: Area;
  /** The spec file (or scenario group) that produced it. */
  readonly suite: string;
  /** e.g. the scenario name, `clean run`, `execution API`. */
  readonly label: string;
  /** Counts, summed per area by the reporter (names are per area, see `src/report.ts`). */
  readonly counts: Readonly<Record<string, number>>;
}

/** The workspace root (the folder holding `nx.json`): this file is at `tools/reliability/src/`. */
export const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');

/** Where the collector keeps its files; `RELIABILITY_TMP_DIR` overrides it (tests of the collector itself). */
export function collectorDir(): string {
  return process.env['RELIABILITY_TMP_DIR'] ?? join(WORKSPACE_ROOT, 'tmp', 'reliability');
}

const FIGURES_FILE = 'figures.jsonl';
const SENT_SECRETS_FILE = 'sent-credentials.jsonl';
const LOGS_DIR = 'logs';

function ensureDir(dir: string): string {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Records the figures of one scenario, run or property.
 *
 * @param record - area, suite, label and counts
 */
export function recordFigures(record: FigureRecord): void {
  appendFileSync(join(ensureDir(collectorDir()), FIGURES_FILE), `${JSON.stringify(record)}\n`);
}

/** Every figure recorded since the run started, in order. */
export function readFigures(): FigureRecord[] {
  return readJsonLines<FigureRecord>(join(collectorDir(), FIGURES_FILE));
}

/**
 * Remembers a credential value one of the suite's own clients put on the wire (an `Authorization` header, a Slack
 * signature), so that the secrets scan looks for the exact value in every log line.
 *
 * @param kind - what it is, e.g. `authorization`, `x-slack-signature`
 * @param value - the exact value sent
 */
export function recordSentCredential(kind: string, value: string): void {
  appendFileSync(join(ensureDir(collectorDir()), SENT_SECRETS_FILE), `${JSON.stringify({ kind, value })}\n`);
}

/** Every credential value the suite's clients sent, de-duplicated. */
export function readSentCredentials(): Array<{ kind: string; value: string }> {
  const seen = new Map<string, { kind: string; value: string }>();
  for (const entry of readJsonLines<{ kind: string; value: string }>(join(collectorDir(), SENT_SECRETS_FILE))) seen.set(entry.value, entry);
  return [...seen.values()];
}

/** One gathered log line, with where it came from. */
export interface GatheredLine {
  readonly suite: string;
  /** `function:<role>/<stream>` (role: `verification` or `execution`) for a Lambda line, `stack` for the stack's own output. */
  readonly source: string;
  readonly line: string;
}

/**
 * Appends the log lines of one stack to the suite's log file.
 *
 * @param suite - the spec file's name
 * @param lines - the lines and their sources
 */
export function appendLogLines(suite: string, lines: readonly GatheredLine[]): void {
  if (lines.length === 0) return;
  const file = join(ensureDir(join(collectorDir(), LOGS_DIR)), `${suite.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`);
  appendFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

/** Every log line gathered from every stack of the run, by suite file. */
export function readLogLines(): GatheredLine[] {
  const dir = join(collectorDir(), LOGS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readJsonLines<GatheredLine>(join(dir, name)));
}

function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}
