import type { HandoffPath } from '@slack-ai-app/logging';
import { bucketOf } from '@slack-ai-app/stack-contract';

/**
 * Slack event ids chosen so that the verification layer's per-event routing sends each one by a known path: with
 * `USE_API_GATEWAY_PERCENTAGE=p`, an event goes by API Gateway when its bucket (`bucketOf`, the function the verification
 * layer routes with) is below `p`. Every run still checks in the local stack's trace that each event took the path
 * chosen for it.
 */

/**
 * The path the verification layer takes for a bucket under a percentage rollout.
 *
 * @param bucket - from {@link bucketOf}
 * @param percentage - `USE_API_GATEWAY_PERCENTAGE`, 0 to 100
 */
export function pathOfBucket(bucket: number, percentage: number): HandoffPath {
  return bucket < percentage ? 'api' : 'direct';
}

/** Bound on the ids tried for one pick; with a percentage strictly between 0 and 100 it is never reached. */
const MAX_TRIES = 10_000;

/**
 * Hands out unique event ids for a wanted path: `<prefix><counter>` (counter in base 36, zero-padded), skipping the
 * ids whose bucket routes them the other way. Deterministic: the same prefix and percentage give the same ids.
 */
export class EventIdSource {
  private counter = 0;

  /**
   * @param prefix - e.g. `EvBA` (Slack ids start with `Ev`); different prefixes never collide
   * @param percentage - the stack's `USE_API_GATEWAY_PERCENTAGE`, strictly between 0 and 100
   * @throws RangeError when the percentage leaves one path empty
   */
  constructor(
    private readonly prefix: string,
    private readonly percentage: number,
  ) {
    if (!(percentage > 0 && percentage < 100)) throw new RangeError(`the percentage must be strictly between 0 and 100 so both paths get events, got ${percentage}`);
  }

  /**
   * The next unused id that routes by `path`.
   *
   * @param path - the wanted path
   */
  next(path: HandoffPath): string {
    for (let tries = 0; tries < MAX_TRIES; tries += 1) {
      const id = `${this.prefix}${(this.counter++).toString(36).toUpperCase().padStart(7, '0')}`;
      if (pathOfBucket(bucketOf(id), this.percentage) === path) return id;
    }
    throw new Error(`no event id for the ${path} path within ${MAX_TRIES} tries`);
  }
}

/**
 * The order in which paths are sent: pairs (one per path), each pair's order decided by a coin flip, so that neither
 * path is systematically first after a pause and both see the same conditions.
 *
 * @param pairs - number of events per path
 * @param coin - returns true for "API first" (e.g. a seeded generator's draw < 0.5)
 * @returns `2 × pairs` paths
 */
export function interleavedPaths(pairs: number, coin: () => boolean): HandoffPath[] {
  const order: HandoffPath[] = [];
  for (let i = 0; i < pairs; i += 1) order.push(...(coin() ? (['api', 'direct'] as const) : (['direct', 'api'] as const)));
  return order;
}
