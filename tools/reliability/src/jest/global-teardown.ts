import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readFigures } from '../collector';
import { AREAS, summaryLines, summaryMarkdown } from '../report';
import { planResults, recordRequested } from '../results-files';
import { heavy } from '../seed';

interface GlobalConfigLike {
  readonly testNamePattern?: string;
  readonly testPathPatterns?: { readonly patterns?: readonly string[] };
}

/**
 * Prints one summary line per area. A run that covered every area with no file or test filter writes its figures to
 * the git-ignored `results/runs/latest.md`, and to the committed `results/latest.md` only when recording was asked
 * for (`RELIABILITY_RECORD=1`, set by `nx run reliability:record`); a partial run writes nothing.
 */
export default function globalTeardown(globalConfig: GlobalConfigLike): void {
  const figures = readFigures();
  const lines = summaryLines(figures);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  const plan = planResults({
    filtered: (globalConfig.testPathPatterns?.patterns?.length ?? 0) > 0 || (globalConfig.testNamePattern ?? '') !== '',
    complete: AREAS.every((area) => figures.some((f) => f.area === area)),
    record: recordRequested(),
  });
  if (plan.files.length > 0) {
    const started = Number(process.env['RELIABILITY_RUN_STARTED_AT'] ?? Date.now());
    const markdown = summaryMarkdown(figures, {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      durationSeconds: (Date.now() - started) / 1000,
      heavy: heavy(),
      seed: process.env['RELIABILITY_SEED'] ?? 'fixed',
    });
    for (const file of plan.files) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, markdown);
    }
  }
  process.stdout.write(`${plan.message}\n`);
}
