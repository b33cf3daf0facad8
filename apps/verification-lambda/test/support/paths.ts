import { join, resolve } from 'node:path';

/** The workspace root (`/work/main` in this checkout). */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** The shared oracles, kept outside the project: `../shared/oracles` relative to the workspace root. */
export const ORACLES_DIR = resolve(WORKSPACE_ROOT, '../shared/oracles');

/** This app's fixtures folder. */
export const EVENTS_DIR = join(__dirname, '..', 'events');
