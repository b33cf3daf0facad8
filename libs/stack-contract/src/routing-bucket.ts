import { createHash } from 'node:crypto';

/**
 * The routing bucket of a Slack event, which gives `USE_API_GATEWAY_PERCENTAGE` its meaning: an event goes by the
 * execution API when its bucket is below the percentage. The first four bytes of SHA-256(event_id), big-endian, modulo
 * 100. Deterministic, so a retry of the same event lands in the same bucket and takes the same path. The verification
 * Lambda routes with it; the benchmarks pick event ids with it.
 *
 * @param eventId - Slack's `event_id`
 * @returns the bucket, 0 to 99
 */
export function bucketOf(eventId: string): number {
  return createHash('sha256').update(eventId, 'utf8').digest().readUInt32BE(0) % 100;
}
