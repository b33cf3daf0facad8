import { PHASES, parseBenchArgs, recordedOptions } from '../src/cli/options';

describe('parseBenchArgs', () => {
  it('runs every phase with the full counts by default', () => {
    const parsed = parseBenchArgs([]);
    if (parsed.kind !== 'run') throw new Error(parsed.kind);
    expect([...parsed.options.phases]).toEqual([...PHASES]);
    expect(parsed.options).toMatchObject({ quick: false, seed: 7, write: true, outDir: undefined });
    expect(parsed.options.coldStart.rounds).toBeGreaterThanOrEqual(10);
    expect(parsed.options.endToEnd.modelLatencyMs).toBe(1500);
    expect(parsed.options.throughput.levels.map((l) => l.concurrency)).toEqual([1, 8, 32]);
  });

  it('keeps the total budget under 6 minutes (the streamed-answers phase waits out 9 s answers)', () => {
    const parsed = parseBenchArgs([]);
    if (parsed.kind !== 'run') throw new Error(parsed.kind);
    expect(parsed.options.totalBudgetMs).toBeLessThan(360_000);
    expect(parsed.options.stream).toEqual({ workload: { ttftMs: 800, tokensPerSecond: 50, answerTokens: 400 }, perMode: 30, concurrency: 6, budgetMs: 120_000 });
  });

  it('takes a subset of phases, smaller counts and overrides', () => {
    const parsed = parseBenchArgs(['--quick', '--only', 'ack, e2e', '--seed=3', '--rounds', '12', '--model-latency', '0', '--no-write', '--out', 'x']);
    if (parsed.kind !== 'run') throw new Error(parsed.kind);
    expect([...parsed.options.phases]).toEqual(['ack', 'e2e']);
    expect(parsed.options).toMatchObject({ quick: true, seed: 3, write: false, outDir: 'x' });
    expect(parsed.options.coldStart.rounds).toBe(12);
    expect(parsed.options.endToEnd.modelLatencyMs).toBe(0);
    expect(recordedOptions(parsed.options)['phases']).toEqual(['ack', 'e2e']);
  });

  it('answers help', () => {
    expect(parseBenchArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('names what is wrong', () => {
    expect(parseBenchArgs(['--only', 'ack,bogus'])).toEqual({ kind: 'error', message: '--only takes a comma-separated list of signing, cold-start, ack, e2e, stream, throughput; got "ack,bogus"' });
    expect(parseBenchArgs(['--rounds', '0'])).toEqual({ kind: 'error', message: '--rounds must be an integer of at least 1, got "0"' });
    expect(parseBenchArgs(['--ack-samples', '1.5'])).toEqual({ kind: 'error', message: '--ack-samples must be an integer of at least 1, got "1.5"' });
    expect(parseBenchArgs(['--frobnicate'])).toMatchObject({ kind: 'error', message: expect.stringContaining("Unknown option '--frobnicate'") });
  });
});
