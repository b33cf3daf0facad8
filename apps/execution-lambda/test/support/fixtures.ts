import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Load an event fixture from `test/events/<source>/<variant>.json` (a fresh copy each time). */
export function loadEvent<T = Record<string, unknown>>(relativePath: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', 'events', relativePath), 'utf8')) as T;
}
