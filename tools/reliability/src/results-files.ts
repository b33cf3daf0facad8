import { join } from 'node:path';
import { envFlag } from './seed';

/** Every complete run's figures: git-ignored, so that `npm test` leaves the checkout clean. */
export const RUN_RESULTS_FILE = join(__dirname, '..', 'results', 'runs', 'latest.md');

/** The recorded figures, committed and quoted in the READMEs: written only on request (`nx run reliability:record`). */
export const RECORDED_RESULTS_FILE = join(__dirname, '..', 'results', 'latest.md');

/** Set to `1` to record a complete run's figures over {@link RECORDED_RESULTS_FILE} (the `record` target sets it). */
export const RECORD_ENV = 'RELIABILITY_RECORD';

/** What a finished run covered, and whether its figures are to be recorded. */
export interface FinishedRun {
  /** A file or test-name filter was given. */
  readonly filtered: boolean;
  /** Every area reported figures. */
  readonly complete: boolean;
  /** {@link RECORD_ENV} is on. */
  readonly record: boolean;
}

/** Where a finished run's figures go, and the line that says so. */
export interface ResultsPlan {
  readonly files: readonly string[];
  readonly message: string;
}

/**
 * Decides where a run's figures are written: nowhere for a partial run (filtered, or an area missing), the ignored
 * run file for a complete one, and also the committed file when recording was asked for.
 *
 * @param run - what the run covered
 */
export function planResults(run: FinishedRun): ResultsPlan {
  if (run.filtered || !run.complete) {
    return { files: [], message: `[reliability] partial run: no figures written${run.record ? ', nothing recorded' : ''}` };
  }
  if (run.record) return { files: [RUN_RESULTS_FILE, RECORDED_RESULTS_FILE], message: `[reliability] figures recorded in ${RECORDED_RESULTS_FILE}` };
  return { files: [RUN_RESULTS_FILE], message: `[reliability] figures in ${RUN_RESULTS_FILE} (record them with: npx nx run reliability:record)` };
}

/**
 * Whether this run's figures are to be recorded.
 *
 * @param env - the environment (default `process.env`)
 * @throws `ReliabilityConfigError` (./seed) when {@link RECORD_ENV} is neither on nor off
 */
export function recordRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return envFlag(RECORD_ENV, env);
}
