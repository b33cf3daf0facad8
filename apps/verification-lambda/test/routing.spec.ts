import fc from 'fast-check';
import type { HandoffConfig } from '../src/config';
import { bucketOf, chooseHandoffPath } from '../src/routing';

fc.configureGlobal({ seed: 20_251_128 });

const handoff = (over: Partial<HandoffConfig>): HandoffConfig => ({
  useApiGateway: false,
  apiGatewayPercentage: undefined,
  executionApi: { ok: true, executeUrl: 'https://api.example/prod/execute' },
  executionApiTimeoutMs: 2000,
  bedrockProcessorArn: 'fn',
  region: 'us-east-1',
  ...over,
});

describe('bucketOf', () => {
  it('pins known buckets: first four bytes of SHA-256, big-endian, mod 100 (a change would move live traffic)', () => {
    // Computed independently: int.from_bytes(hashlib.sha256(id).digest()[:4], 'big') % 100
    expect(bucketOf('Ev0PV52K21')).toBe(52);
    expect(bucketOf('Ev123ABC456')).toBe(38);
    expect(bucketOf('')).toBe(10);
  });

  it('always lands in 0..99 and is the same for the same event_id (a retry takes the same path)', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        const bucket = bucketOf(id);
        expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 100).toBe(true);
        expect(bucketOf(id)).toBe(bucket);
      }),
    );
  });

  it('spreads Slack-like event ids evenly over the 100 buckets', () => {
    const counts = new Array<number>(100).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[bucketOf(`Ev${(0x1000000 + i * 7919).toString(36).toUpperCase()}`)] += 1;
    // Expected 200 per bucket; a fair hash stays within ±35% with overwhelming probability (σ ≈ 14).
    expect(Math.min(...counts)).toBeGreaterThan(130);
    expect(Math.max(...counts)).toBeLessThan(270);
    const chiSquare = counts.reduce((sum, c) => sum + (c - n / 100) ** 2 / (n / 100), 0);
    expect(chiSquare).toBeLessThan(150); // 99 degrees of freedom: p ≈ 0.0007 at 150.
  });
});

describe('chooseHandoffPath', () => {
  it('sends everything by API Gateway when USE_API_GATEWAY=true, whatever the percentage', () => {
    expect(chooseHandoffPath(handoff({ useApiGateway: true, apiGatewayPercentage: 0 }), 'Ev1')).toEqual({
      path: 'api',
      reason: 'use_api_gateway',
      percentage: 100,
    });
  });

  it('goes direct when API Gateway is not enabled', () => {
    expect(chooseHandoffPath(handoff({}), 'Ev1')).toEqual({ path: 'direct', reason: 'api_gateway_disabled' });
  });

  it.each([0, 1, 10, 50, 99, 100])('sends about %i%% of events by API Gateway, by bucket', (percentage) => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `Ev${i.toString(36).toUpperCase().padStart(9, '0')}`);
    const decisions = ids.map((id) => chooseHandoffPath(handoff({ apiGatewayPercentage: percentage }), id));
    const inconsistent = decisions.filter(
      (d, i) => d.bucket !== bucketOf(ids[i] as string) || d.path !== ((d.bucket as number) < percentage ? 'api' : 'direct'),
    );
    expect(inconsistent).toEqual([]);
    const share = decisions.filter((d) => d.path === 'api').length / ids.length;
    expect(Math.abs(share - percentage / 100)).toBeLessThan(0.03);
  });

  it.each([
    ['Ev0123456789', 72],
    ['Ev08MFMKH6J9', 28],
    ['EvABCDEF0001', 38],
    ['Ev061F7AUR', 80],
  ])('puts %s in bucket %i in every container and every release (first 4 bytes of SHA-256, big-endian, mod 100)', (id, bucket) => {
    // Expected buckets computed outside this code (Python hashlib): a retry landing on another container, or after a
    // deploy, must take the same path as the first delivery.
    expect(bucketOf(id)).toBe(bucket);
    expect(chooseHandoffPath(handoff({ apiGatewayPercentage: bucket + 1 }), id).path).toBe('api');
    expect(chooseHandoffPath(handoff({ apiGatewayPercentage: bucket }), id).path).toBe('direct');
  });

  it('keeps a retried event on its path (stickiness)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 100 }), (id, percentage) => {
        const config = handoff({ apiGatewayPercentage: percentage });
        expect(chooseHandoffPath(config, id)).toEqual(chooseHandoffPath(config, id));
      }),
    );
  });

  it('uses the direct path when API traffic is wanted but the URL is missing or invalid', () => {
    expect(chooseHandoffPath(handoff({ useApiGateway: true, executionApi: { ok: false, reason: 'missing' } }), 'Ev1')).toEqual({
      path: 'direct',
      reason: 'execution_api_url_missing',
      percentage: 100,
    });
    const byShare = chooseHandoffPath(handoff({ apiGatewayPercentage: 100, executionApi: { ok: false, reason: 'invalid' } }), 'Ev1');
    expect(byShare).toMatchObject({ path: 'direct', reason: 'execution_api_url_invalid', percentageSelectedApi: true });
  });
});
