import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchResults } from './types';

/** Where a run writes its results by default, relative to the workspace root (git-ignored). */
export const RUNS_DIR = join('tools', 'bench', 'results', 'runs');

/** The recorded report, relative to the workspace root: committed, quoted by the README, written only by `--record`. */
export const RECORDED_REPORT = join('tools', 'bench', 'results', 'latest.md');

/** The files one run writes. */
export interface WrittenResults {
  /** `<dir>/<timestamp>.json`: this run, kept (git-ignored). */
  readonly timestamped: string;
  /** `<dir>/latest.json`: the most recent run. */
  readonly latestJson: string;
  /** `<dir>/latest.md`: the most recent run's report. */
  readonly latestMarkdown: string;
}

/**
 * A file-name-safe timestamp: `2025-11-28T19-20-00-123Z`.
 *
 * @param iso - an ISO 8601 time
 */
export function timestampFileName(iso: string): string {
  return iso.replace(/:/g, '-').replace(/\./g, '-');
}

function writeAtomically(path: string, text: string): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}

/**
 * Writes a run's results: the timestamped JSON, `latest.json` and `latest.md` (each written to a temporary name and
 * renamed, so that an interrupted run never leaves a truncated file).
 *
 * @param dir - the results directory (created if missing)
 * @param results - the run's results
 * @param markdown - the rendered report
 * @returns the paths written
 */
export function writeResults(dir: string, results: BenchResults, markdown: string): WrittenResults {
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const written: WrittenResults = {
    timestamped: join(dir, `${timestampFileName(results.run.startedAt)}.json`),
    latestJson: join(dir, 'latest.json'),
    latestMarkdown: join(dir, 'latest.md'),
  };
  writeAtomically(written.timestamped, json);
  writeAtomically(written.latestJson, json);
  writeAtomically(written.latestMarkdown, markdown);
  return written;
}

/**
 * Records a run's report as the project's figures (`--record`): replaces the committed report, atomically.
 *
 * @param file - the recorded report's path (normally {@link RECORDED_REPORT} under the workspace root)
 * @param markdown - the rendered report
 */
export function recordReport(file: string, markdown: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeAtomically(file, markdown);
}
