import { bucketOf } from '@slack-ai-app/stack-contract';
import { EventIdSource, interleavedPaths, pathOfBucket } from '../src/stack/event-ids';

describe('pathOfBucket', () => {
  it('sends buckets below the percentage by API Gateway', () => {
    expect(pathOfBucket(49, 50)).toBe('api');
    expect(pathOfBucket(50, 50)).toBe('direct');
    expect(pathOfBucket(0, 10)).toBe('api');
    expect(pathOfBucket(99, 100)).toBe('api');
  });
});

describe('EventIdSource', () => {
  it('hands out unique ids whose bucket routes them by the wanted path', () => {
    const source = new EventIdSource('EvBT', 50);
    const ids = [...Array.from({ length: 50 }, () => ['api', source.next('api')]), ...Array.from({ length: 50 }, () => ['direct', source.next('direct')])];
    expect(new Set(ids.map(([, id]) => id)).size).toBe(100);
    for (const [path, id] of ids) expect(pathOfBucket(bucketOf(id as string), 50)).toBe(path);
  });

  it('is deterministic for a prefix', () => {
    const a = new EventIdSource('EvBA', 50);
    const b = new EventIdSource('EvBA', 50);
    expect([a.next('api'), a.next('direct'), a.next('api')]).toEqual([b.next('api'), b.next('direct'), b.next('api')]);
  });

  it('refuses a percentage that leaves one path without events', () => {
    expect(() => new EventIdSource('EvBA', 0)).toThrow('the percentage must be strictly between 0 and 100 so both paths get events, got 0');
    expect(() => new EventIdSource('EvBA', 100)).toThrow(RangeError);
  });
});

describe('interleavedPaths', () => {
  it('gives each pair one event per path, in the order the coin decides', () => {
    const coins = [true, false, true];
    expect(interleavedPaths(3, () => coins.shift() as boolean)).toEqual(['api', 'direct', 'direct', 'api', 'api', 'direct']);
  });
});
