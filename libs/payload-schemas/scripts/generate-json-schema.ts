/*
 * Writes src/execution-request.schema.json from the zod schema (or, with --check, fails if it is stale).
 *
 *   npx ts-node -P libs/payload-schemas/tsconfig.json libs/payload-schemas/scripts/generate-json-schema.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateExecutionRequestJsonSchema } from '../src/json-schema';

const target = join(__dirname, '..', 'src', 'execution-request.schema.json');
const rendered = `${JSON.stringify(generateExecutionRequestJsonSchema(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale, reported below
  }
  if (current !== rendered) {
    process.stderr.write(`${target} is stale; run this script without --check\n`);
    process.exit(1);
  }
  process.stdout.write(`${target} is up to date\n`);
} else {
  writeFileSync(target, rendered);
  process.stdout.write(`wrote ${target}\n`);
}
