/**
 * Records when the Slack stand-in recorded each bot reply, by thread, and lets callers wait for the first reply in a
 * thread. Times are `performance.now()` values taken in the stand-in's own callback, so they are comparable with the
 * send times of the load generator in the same process.
 */
export class ReplyClock {
  private readonly replies = new Map<string, Array<{ readonly at: number; readonly text: string }>>();
  private readonly waiters = new Map<string, Array<(at: number) => void>>();

  /**
   * Records one reply.
   *
   * @param channel - the reply's channel
   * @param threadTs - the thread it was posted in (`undefined` for a reply outside a thread)
   * @param at - when it was recorded (`performance.now()`)
   * @param text - the reply's text
   */
  record(channel: string, threadTs: string | undefined, at: number, text: string): void {
    const key = keyOf(channel, threadTs);
    const list = this.replies.get(key) ?? [];
    list.push({ at, text });
    this.replies.set(key, list);
    const waiting = this.waiters.get(key);
    if (waiting !== undefined) {
      this.waiters.delete(key);
      for (const wake of waiting) wake(at);
    }
  }

  /**
   * How many replies a thread received.
   *
   * @param channel - the channel
   * @param threadTs - the thread
   */
  count(channel: string, threadTs: string): number {
    return this.replies.get(keyOf(channel, threadTs))?.length ?? 0;
  }

  /**
   * When a thread's first reply was recorded.
   *
   * @param channel - the channel
   * @param threadTs - the thread
   */
  first(channel: string, threadTs: string): number | undefined {
    return this.replies.get(keyOf(channel, threadTs))?.[0]?.at;
  }

  /**
   * The texts of a thread's replies, oldest first.
   *
   * @param channel - the channel
   * @param threadTs - the thread
   */
  texts(channel: string, threadTs: string): string[] {
    return (this.replies.get(keyOf(channel, threadTs)) ?? []).map((reply) => reply.text);
  }

  /**
   * Resolves with the time of a thread's first reply (at once if there is one already), or `undefined` after
   * `timeoutMs`.
   *
   * @param channel - the channel
   * @param threadTs - the thread
   * @param timeoutMs - upper bound of the wait
   */
  waitFirst(channel: string, threadTs: string, timeoutMs: number): Promise<number | undefined> {
    const existing = this.first(channel, threadTs);
    if (existing !== undefined) return Promise.resolve(existing);
    const key = keyOf(channel, threadTs);
    return new Promise((resolve) => {
      const wake = (at: number | undefined) => {
        clearTimeout(timer);
        resolve(at);
      };
      const timer = setTimeout(() => {
        const list = this.waiters.get(key)?.filter((w) => w !== wake) ?? [];
        if (list.length === 0) this.waiters.delete(key);
        else this.waiters.set(key, list);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), wake]);
    });
  }
}

function keyOf(channel: string, threadTs: string | undefined): string {
  return `${channel} ${threadTs ?? '-'}`;
}
