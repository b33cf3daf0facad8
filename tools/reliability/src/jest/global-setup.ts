import { rmSync } from 'node:fs';
import { collectorDir } from '../collector';

/** Empties the collector, so that the summary and the secrets scan see this run only. */
export default function globalSetup(): void {
  rmSync(collectorDir(), { recursive: true, force: true });
  process.env['RELIABILITY_RUN_STARTED_AT'] = String(Date.now());
}
