/**
 * Fixed seeds, overridable: every random choice of the suite (fast-check properties, the load run's fault schedule)
 * starts from a seed that is fixed in the code, so that a run is reproducible. `RELIABILITY_SEED=<integer>` replaces
 * every fixed seed, to explore other cases; a failing property prints the seed and path to replay it.
 */

/** Thrown when `RELIABILITY_SEED`, `RELIABILITY_HEAVY` or `RELIABILITY_RECORD` is set to something unusable. */
export class ReliabilityConfigError extends Error {
  override readonly name = 'ReliabilityConfigError';
}

/**
 * The seed to use for one random source.
 *
 * @param fixed - the seed fixed in the code for this source
 * @param env - the environment (default `process.env`)
 * @returns `RELIABILITY_SEED` when set, else `fixed`
 * @throws {@link ReliabilityConfigError} when `RELIABILITY_SEED` is not a 32-bit integer
 */
export function seedFor(fixed: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['RELIABILITY_SEED'];
  if (raw === undefined || raw.trim() === '') return fixed;
  const value = Number(raw);
  if (!Number.isInteger(value) || Math.abs(value) > 0x7fffffff) {
    throw new ReliabilityConfigError(`RELIABILITY_SEED must be a 32-bit integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * Whether the heavy variants run (`RELIABILITY_HEAVY=1`): more events, more property runs.
 *
 * @param env - the environment (default `process.env`)
 * @throws {@link ReliabilityConfigError} for a value other than `0`, `1`, `true`, `false` or empty
 */
export function heavy(env: NodeJS.ProcessEnv = process.env): boolean {
  return envFlag('RELIABILITY_HEAVY', env);
}

/**
 * Reads an on/off environment variable.
 *
 * @param name - the variable
 * @param env - the environment
 * @returns `true` for `1` or `true`, `false` for `0`, `false`, empty or unset (case and spaces ignored)
 * @throws {@link ReliabilityConfigError} for any other value, naming the variable
 */
export function envFlag(name: string, env: NodeJS.ProcessEnv): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ReliabilityConfigError(`${name} must be 1 or 0, got ${JSON.stringify(env[name])}`);
}

/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every machine.
 *
 * @param seed - 32-bit integer
 * @returns a function giving numbers in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
