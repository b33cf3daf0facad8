import { rmSync } from 'node:fs';
import { collectorDir } from '../collector';
import { recordRequested } from '../results-files';

/**
 * Empties the collector, so that the summary and the secrets scan see this run only; refuses a bad
 * `RELIABILITY_RECORD` before any suite runs.
 */
export default function globalSetup(): void {
  recordRequested();
  rmSync(collectorDir(), { recursive: true, force: true });
  process.env['RELIABILITY_RUN_STARTED_AT'] = String(Date.now());
}
