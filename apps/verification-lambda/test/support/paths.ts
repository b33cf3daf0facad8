import { join, resolve } from 'node:path';

/** The workspace root (four levels above this file). */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** Third-party test data vendored into the repository: `<workspaceRoot>/fixtures` (sources in its README). */
export const FIXTURES_DIR = join(WORKSPACE_ROOT, 'fixtures');

/** This app's fixtures folder. */
export const EVENTS_DIR = join(__dirname, '..', 'events');
