import { ConcurrentModificationError } from './errors';
import { iso, type RolloutDeps } from './rollout-deps';
import type { RolloutState } from './state';

/** Writes states with optimistic concurrency (compare revision, then write) and records history. */
export class StateWriter {
  private constructor(
    private readonly deps: Pick<RolloutDeps, 'store' | 'clock'>,
    public state: RolloutState,
    private expectedRevision: number | undefined,
  ) {}

  /** A writer continuing from a state read from the store. */
  static resume(deps: Pick<RolloutDeps, 'store' | 'clock'>, state: RolloutState): StateWriter {
    return new StateWriter(deps, state, state.revision);
  }

  /** Writes the first state of a new run over `previous` (what this process read: nothing, or the run it restarts). */
  static async start(
    deps: Pick<RolloutDeps, 'store' | 'clock'>,
    fresh: RolloutState,
    previous: RolloutState | undefined,
    note: string,
  ): Promise<StateWriter> {
    // Revisions keep counting across restarts, so a process still holding the old run notices the new one.
    const writer = new StateWriter(deps, { ...fresh, revision: previous?.revision ?? 0 }, previous?.revision);
    await writer.commit({}, note);
    return writer;
  }

  /**
   * Writes `changes` over the current state; with `note`, also records a history entry for the (new) status.
   *
   * @throws ConcurrentModificationError when another process wrote since
   */
  async commit(changes: Partial<RolloutState>, note?: string): Promise<RolloutState> {
    const now = this.deps.clock.now();
    const merged = { ...this.state, ...changes };
    const next: RolloutState = {
      ...merged,
      revision: this.state.revision + 1,
      updatedAt: iso(now),
      history:
        note === undefined
          ? merged.history
          : [...merged.history, { at: iso(now), status: merged.status, stageIndex: merged.stageIndex, note }],
    };
    await this.deps.store.save(next, this.expectedRevision);
    this.state = next;
    this.expectedRevision = next.revision;
    return next;
  }

  /** @throws ConcurrentModificationError when another process wrote the state since this one last did */
  async checkNotModified(): Promise<void> {
    const current = await this.deps.store.load();
    if (current?.revision !== this.expectedRevision) {
      throw new ConcurrentModificationError(this.expectedRevision ?? -1, current?.revision ?? -1);
    }
  }
}
/**
 * Applies `change` to the latest stored state and writes it, reloading and re-applying on a concurrent write (up to five
 * times): how `rollback` wins over a running `run`.
 */
export async function commitLatest(
  deps: Pick<RolloutDeps, 'store' | 'clock'>,
  state: RolloutState,
  change: (current: RolloutState) => Partial<RolloutState>,
  note: string,
): Promise<RolloutState> {
  let current = state;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await StateWriter.resume(deps, current).commit(change(current), note);
    } catch (error) {
      const latest = error instanceof ConcurrentModificationError ? await deps.store.load() : undefined;
      if (latest === undefined || attempt >= 5) throw error;
      current = latest;
    }
  }
}
