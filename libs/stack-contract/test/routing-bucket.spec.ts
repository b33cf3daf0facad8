import { createHash } from 'node:crypto';
import { bucketOf } from '../src';

describe('bucketOf', () => {
  it('is the first four bytes of SHA-256, big-endian, modulo 100 (the verification layer routing)', () => {
    const id = 'Ev0APPMENT01';
    const expected = createHash('sha256').update(id).digest().readUInt32BE(0) % 100;
    expect(bucketOf(id)).toBe(expected);
  });

  it('gives the buckets computed independently (Python hashlib) and logged by the verification Lambda', () => {
    // Ev0L00000001: the verification Lambda logged `"bucket":46` for it in the local stack.
    expect(bucketOf('Ev0L00000001')).toBe(46);
    expect(bucketOf('EvBA0000000')).toBe(21);
    expect(bucketOf('Ev0APPMENT01')).toBe(19);
  });
});
