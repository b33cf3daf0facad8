import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import type { MachineInfo, SourceInfo } from '../report/types';

/**
 * Describes the machine as it is now: CPUs, memory, load average, Node and V8 versions.
 *
 * @returns the machine description (load average at end is left for the caller to fill in)
 */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuSpeedMHz: cpus[0]?.speed ?? 0,
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytesAtStart: os.freemem(),
    loadAverageAtStart: loadAverage(),
    loadAverageAtEnd: undefined,
    nodeVersion: process.version,
    v8Version: process.versions.v8,
  };
}

/** The 1, 5 and 15-minute load averages, rounded to two decimals. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg().map((value) => Math.round(value * 100) / 100);
  return [one, five, fifteen];
}

/**
 * Reads the commit being measured with read-only git commands (`rev-parse HEAD`, and `status --porcelain` with
 * `GIT_OPTIONAL_LOCKS=0` so that it never refreshes the index). Outside a checkout, or without git, both are undefined.
 *
 * @param cwd - a directory inside the repository
 */
export function describeSource(cwd: string): SourceInfo {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }).trim();
  let commit: string | undefined;
  try {
    commit = git(['rev-parse', 'HEAD']);
  } catch {
    return { commit: undefined, dirty: undefined };
  }
  let dirty: boolean | undefined;
  try {
    dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  } catch {
    dirty = undefined;
  }
  return { commit, dirty };
}
