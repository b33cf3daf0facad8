import { setImmediate as nextTurn } from 'node:timers/promises';

/** Thrown by {@link ActivityTracker.whenIdle} when the stack is still busy after the bound. */
export class IdleTimeoutError extends Error {
  override readonly name = 'IdleTimeoutError';
  /** What was still running, e.g. `http aws POST /prod/execute`, `async <function name>`. */
  readonly pending: readonly string[];

  constructor(timeoutMs: number, pending: readonly string[]) {
    super(`the local stack was still busy after ${timeoutMs} ms: ${pending.join(', ') || 'nothing named'}`);
    this.pending = pending;
  }
}

/** How many event-loop turns the stack must stay idle before {@link ActivityTracker.whenIdle} resolves. */
const QUIET_TURNS = 3;

/**
 * Counts the work in flight anywhere in the stack (HTTP requests being answered, queued and running invocations,
 * retry delays) so that callers can wait for "nothing left to do" instead of sleeping.
 */
export class ActivityTracker {
  private readonly tasks = new Map<number, string>();
  private nextId = 0;
  private readonly listeners = new Set<() => void>();

  /**
   * Marks the start of a unit of work.
   *
   * @param label - what it is, shown when {@link whenIdle} times out
   * @returns a function that marks its end (calling it again does nothing)
   */
  begin(label: string): () => void {
    const id = this.nextId++;
    this.tasks.set(id, label);
    return () => {
      if (!this.tasks.delete(id)) return;
      if (this.tasks.size === 0) for (const listener of [...this.listeners]) listener();
    };
  }

  /** The labels of the work in flight. */
  pending(): string[] {
    return [...this.tasks.values()];
  }

  /**
   * Resolves once nothing has been in flight for a few event-loop turns (so work that starts right after other work
   * ends, such as a retry or a request sent from inside a Lambda, is not missed).
   *
   * @param timeoutMs - upper bound
   * @throws {@link IdleTimeoutError} naming what is still running when the bound is reached
   */
  async whenIdle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.tasks.size > 0) await this.untilEmpty(deadline - Date.now(), timeoutMs);
      let quiet = true;
      for (let turn = 0; turn < QUIET_TURNS && quiet; turn += 1) {
        await nextTurn();
        quiet = this.tasks.size === 0;
      }
      if (quiet) return;
      if (Date.now() >= deadline) throw new IdleTimeoutError(timeoutMs, this.pending());
    }
  }

  private untilEmpty(remainingMs: number, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(done);
        reject(new IdleTimeoutError(timeoutMs, this.pending()));
      }, Math.max(0, remainingMs));
      this.listeners.add(done);
      if (this.tasks.size === 0) done();
    });
  }
}
