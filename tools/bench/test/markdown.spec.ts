import { renderReport } from '../src/report/markdown';
import { sampleResults } from './support/results';

describe('renderReport', () => {
  const report = renderReport(sampleResults());

  it('starts with the run, the machine and the commit', () => {
    expect(report.split('\n').slice(0, 6)).toEqual([
      '# slack-ai-app benchmark, 2025-11-28T19:20:00.000Z',
      '',
      '- Machine: 2 × Test CPU, 8192.00 MiB memory, linux 6.1.0 x64',
      '- Load average (1/5/15 min): 1.50 / 1.25 / 1.00 at start, 2.00 / 1.50 / 1.10 at end',
      '- Node v20.20.2 (V8 11.3); commit 0123456789ab',
      '- Duration: 210.0 s',
    ]);
  });

  it('puts every goal next to its target, figure, interval and verdict, and says which one is missed', () => {
    expect(report).toContain(
      [
        '| goal | target | measured | 95 % interval | verdict |',
        '|:---|---:|---:|---:|:---|',
        '| Ack p95, API / direct | ≤ 1.05× | 0.98× | 0.90×–1.04× | MET |',
        '| End-to-end p95, API / direct | ≤ 1.05× | 1.11× | 1.06×–1.20× | MISSED |',
        '| Cold start, naive bundle / API path (load + first invocation, net medians) | ≥ 3.00× | 4.00× | 3.50×–4.50× | MET |',
        '| Slowest ack, ack and end-to-end phases (Slack waits 3 s) | ≤ 3000 ms | 50.0 ms | – | MET |',
      ].join('\n'),
    );
  });

  it('gives each path its quantiles and spread, and the ratios with their intervals', () => {
    expect(report).toContain('| API Gateway path | 50 | 22.0 ms | 24.0 ms | 24.0 ms | 21.0–23.0 | 20.0–24.0 |');
    expect(report).toContain('| **API / direct** |  | 1.00× [0.95–1.05] | 0.98× [0.90–1.04] | 0.97× [0.90–1.10] |  |  |');
  });

  it('shows cold starts with bundle sizes, medians (p90), net figures and the ratios', () => {
    expect(report).toContain('| verification, API path | 116.7 KiB + lazy signing.js 381.2 KiB | 3 | 51.0 (51.4) | 51.0 (51.4) | 102 (103) | 1.00 | 101–103 | 100 (110) | 142 (143) |');
    expect(report).toContain('| naive bundle / verification API path, load + first invocation | 4.00× | 3.50×–4.50× |');
  });

  it('reports throughput with failures, replies and the time bound', () => {
    expect(report).toContain('| 8 | 100 of 240 (time bound) | 9.90/s | 40.0 ms | 49.0 ms | 50.0 ms | 400 ms | 490 ms | 1×500 | 98/99, 1 none |');
  });

  it('reports the ack under a burst per concurrency: non-200 answers by status, p50/p95/p99/max, the settings', () => {
    expect(report).toContain(
      [
        '## 6. Ack under a burst (the deployed concurrency settings)',
        '',
        'Each level on a fresh, cold local stack with its defaults (verification unreserved, execution reserved 10, at most 8 containers per function on this machine): ' +
          'N senders post signed mentions back to back, each the next as soon as its ack arrives; local model latency 0 ms. ' +
          'Requests beyond the container cap wait for a container, as a deployed unreserved function would scale out; only a reserved concurrency answers 429.',
        '',
        '| concurrency | mentions | 200 | not 200 | ack p50 | ack p95 | ack p99 | ack max | exactly one reply |',
      ].join('\n'),
    );
    expect(report).toContain('| 32 | 1000 | 1000 | 0 | 40.0 ms | 330 ms | 386 ms | 400 ms | 1000/1000 |');
    expect(report).toContain('| 64 | 700 of 1000 (time bound) | 698 | 1×429, 1×failed | 70.0 ms | 79.0 ms | 79.8 ms | 80.0 ms | 698/698 |');
  });

  it('says the burst was not run when it was not selected', () => {
    expect(renderReport({ ...sampleResults(), ackConcurrency: undefined })).toContain('## 6. Ack under a burst (the deployed concurrency settings)\n\nNot run (not selected with `--only`).');
  });

  it('flags a failed integrity check and keeps the notes', () => {
    expect(report).toContain('- **FAILED**: throughput c=8: every Slack request acked 200. 99/100. Offending: EvBT8X0000003 → 500.');
    expect(report).toContain('- ok: ack: every Slack request acked 200. 5/5.');
    expect(report).toContain('### Notes\n\n- a note');
  });

  it('says when a goal has too few samples for a verdict', () => {
    const results = sampleResults();
    const goals = results.goals.map((goal) => (goal.id === 'ack-p95-ratio' ? { ...goal, verdict: 'too_few_samples' as const, samples: 17 } : goal));
    expect(renderReport({ ...results, goals })).toContain('| Ack p95, API / direct | ≤ 1.05× | 0.98× | 0.90×–1.04× | TOO FEW SAMPLES (n = 17 per path, 40 needed) |');
  });

  it('says why a section is empty', () => {
    const results = { ...sampleResults(), signing: undefined, ack: undefined, run: { ...sampleResults().run, options: { phases: ['signing', 'cold-start', 'e2e'] } } };
    const text = renderReport({ ...results, errors: [{ phase: 'signing', message: 'Error: boom' }] });
    expect(text).toContain('## 4. Signing cost of the execution request\n\nNot measured: signing did not complete (Error: boom).');
    expect(text).toContain('## 2. Ack latency (Slack request to 200, warm containers)\n\nNot run (not selected with `--only`).');
  });

  it('is a pure function of the results', () => {
    expect(renderReport(sampleResults())).toBe(report);
  });
});
