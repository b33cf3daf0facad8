/**
 * A small seeded pseudo-random generator, so that resampling (and anything else random in a report) gives the same
 * numbers for the same measurements: a report can be recomputed from its JSON and compared.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Mulberry32: a 32-bit state generator with a full 2^32 period, plenty for a few million draws per report.
 *
 * @param seed - any integer (only its low 32 bits are used)
 * @returns a generator of uniform numbers in [0, 1)
 * @example
 * const random = seededRandom(42);
 * random(); // always the same first value for seed 42
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An integer drawn uniformly from `0` to `n − 1`.
 *
 * @param random - the generator
 * @param n - the number of choices, at least 1
 */
export function randomIndex(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/**
 * Shuffles a copy of an array (Fisher–Yates).
 *
 * @param items - the items
 * @param random - the generator
 * @returns a new array with the same items in random order
 */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomIndex(random, i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
