import type { HandoffPath } from '../report/types';
import type { BenchStack, SentEvent } from './bench-stack';
import type { EventIdSource } from './event-ids';

/** Thrown when a warm-up burst gets no answer at all: the pipeline is broken, and measuring it would only wait out timeouts. */
export class NoAnswerError extends Error {
  override readonly name = 'NoAnswerError';
}

/**
 * Warms `concurrency` containers of each function on both paths. A container's first hand-off on a path loads that
 * path's lazy chunk (the signer, or the Lambda client), and an execution container's first Converse sets up its client:
 * without this, those one-off costs would land in the first measured events. Bursts of `concurrency` simultaneous
 * events keep that many containers busy at once, so each of them serves one; two rounds per path cover a container
 * that a burst happened to miss.
 *
 * @param bench - the running stack (prewarmed to `concurrency`)
 * @param concurrency - how many containers to warm
 * @param ids - where the warm-up event ids come from
 * @param replyTimeoutMs - bound on waiting for each reply
 * @returns the warm-up events (checked like the others, never measured)
 * @throws {@link NoAnswerError} when a whole burst gets no answer
 */
export async function warmBothPaths(bench: BenchStack, concurrency: number, ids: EventIdSource, replyTimeoutMs: number): Promise<SentEvent[]> {
  const sent: SentEvent[] = [];
  const burst = async (path: HandoffPath) => {
    const events = await Promise.all(Array.from({ length: concurrency }, () => bench.send(ids.next(path), path)));
    sent.push(...events);
    await Promise.all(events.filter((e) => e.status === 200).map((e) => bench.replies.waitFirst(e.channel, e.threadTs, replyTimeoutMs)));
    // Fail fast: a stack that answers nothing would otherwise make every later event wait out its reply timeout.
    if (!events.some((e) => bench.outcomeOf(e).answered)) {
      const statuses = [...new Set(events.map((e) => e.status))].join(', ');
      throw new NoAnswerError(`none of ${events.length} warm-up events on the ${path} path got the model's answer within ${replyTimeoutMs} ms (acks: ${statuses}); see the integrity checks of the other phases and the local stack's logs`);
    }
  };
  for (let round = 0; round < 2; round += 1) {
    await burst('api');
    await burst('direct');
  }
  return sent;
}
