import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFigures } from '../collector';
import { AREAS, summaryLines, summaryMarkdown } from '../report';
import { heavy } from '../seed';

/** Where the figures of the latest complete run are written (quoted in the README). */
export const LATEST_RESULTS = join(__dirname, '..', '..', 'results', 'latest.md');

interface GlobalConfigLike {
  readonly testNamePattern?: string;
  readonly testPathPatterns?: { readonly patterns?: readonly string[] };
}

/**
 * Prints one summary line per area, and writes `results/latest.md` when the run covered every area with no file or
 * test filter (a partial run prints its lines but leaves the published figures alone).
 */
export default function globalTeardown(globalConfig: GlobalConfigLike): void {
  const figures = readFigures();
  const lines = summaryLines(figures);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  const filtered = (globalConfig.testPathPatterns?.patterns?.length ?? 0) > 0 || (globalConfig.testNamePattern ?? '') !== '';
  const complete = AREAS.every((area) => figures.some((f) => f.area === area));
  if (filtered || !complete) {
    process.stdout.write('[reliability] partial run: results/latest.md left unchanged\n');
    return;
  }
  const started = Number(process.env['RELIABILITY_RUN_STARTED_AT'] ?? Date.now());
  mkdirSync(join(LATEST_RESULTS, '..'), { recursive: true });
  writeFileSync(
    LATEST_RESULTS,
    summaryMarkdown(figures, {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      durationSeconds: (Date.now() - started) / 1000,
      heavy: heavy(),
      seed: process.env['RELIABILITY_SEED'] ?? 'fixed',
    }),
  );
}
