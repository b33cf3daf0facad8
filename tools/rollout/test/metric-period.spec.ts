import { parseCli } from '../src/args';
import { UsageError } from '../src/errors';

describe('--metric-period', () => {
  it('defaults to a minute and takes the high-resolution periods for a compressed rehearsal', () => {
    expect([parseCli(['status']), parseCli(['status', '--metric-period', '10s'])].map((o) => o.metricPeriodSeconds)).toEqual([60, 10]);
  });

  it('refuses a period CloudWatch does not take', () => {
    expect(() => parseCli(['status', '--metric-period', '45s'])).toThrow(new UsageError('--metric-period must be 1m, or 1s, 5s, 10s, 20s or 30s, not 45s'));
  });
});
