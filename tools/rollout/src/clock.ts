/** Time, injected everywhere the tool waits or timestamps, so tests run on a fake clock and never really sleep. */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds (immediately for `ms ≤ 0`).
   *
   * @param ms - how long to wait
   */
  sleep(ms: number): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
