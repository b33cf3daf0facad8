import { DEFAULT_PHASES, PHASES, parseBenchArgs, recordedOptions } from '../src/cli/options';

describe('parseBenchArgs', () => {
  it('runs every phase but the burst with the full counts by default', () => {
    const parsed = parseBenchArgs([]);
    if (parsed.kind !== 'run') throw new Error(parsed.kind);
    expect([...parsed.options.phases]).toEqual(['signing', 'cold-start', 'ack', 'e2e', 'stream', 'throughput']);
    expect([...parsed.options.phases]).toEqual([...DEFAULT_PHASES]);
    expect(PHASES).toContain('ack-concurrency');
    expect(parsed.options).toMatchObject({ quick: false, seed: 7, write: true, outDir: undefined, record: false });
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

  it('records only when asked, and only a full run', () => {
    const parsed = parseBenchArgs(['--record', '--seed', '9']);
    if (parsed.kind !== 'run') throw new Error(parsed.kind);
    expect(parsed.options).toMatchObject({ record: true, write: true, quick: false, seed: 9 });
    expect([...parsed.options.phases]).toEqual([...DEFAULT_PHASES]);
    expect(parseBenchArgs(['--record', '--quick'])).toEqual({ kind: 'error', message: '--record records a full run only; drop --quick' });
    expect(parseBenchArgs(['--record', '--only', 'ack', '--no-write'])).toEqual({ kind: 'error', message: '--record records a full run only; drop --only, --no-write' });
  });

  it('runs the burst at concurrency 32 and 64 with 1000 mentions each when named, fewer with --burst-events', () => {
    const parsed = parseBenchArgs(['--only', 'ack-concurrency']);
    if (parsed.kind !== 'run') throw new Error(parsed.kind);
    expect([...parsed.options.phases]).toEqual(['ack-concurrency']);
    expect(parsed.options.ackConcurrency).toEqual({ levels: [32, 64], events: 1000, budgetMs: 220_000 });
    expect(parsed.options.ackConcurrency.budgetMs).toBeLessThan(parsed.options.totalBudgetMs);
    const fewer = parseBenchArgs(['--only', 'ack-concurrency', '--burst-events', '200']);
    if (fewer.kind !== 'run') throw new Error(fewer.kind);
    expect(fewer.options.ackConcurrency.events).toBe(200);
    expect(parseBenchArgs(['--burst-events', '0'])).toEqual({ kind: 'error', message: '--burst-events must be an integer of at least 1, got "0"' });
  });

  it('answers help', () => {
    expect(parseBenchArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('names what is wrong', () => {
    expect(parseBenchArgs(['--only', 'ack,bogus'])).toEqual({ kind: 'error', message: '--only takes a comma-separated list of signing, cold-start, ack, e2e, stream, throughput, ack-concurrency; got "ack,bogus"' });
    expect(parseBenchArgs(['--rounds', '0'])).toEqual({ kind: 'error', message: '--rounds must be an integer of at least 1, got "0"' });
    expect(parseBenchArgs(['--ack-samples', '1.5'])).toEqual({ kind: 'error', message: '--ack-samples must be an integer of at least 1, got "1.5"' });
    expect(parseBenchArgs(['--frobnicate'])).toMatchObject({ kind: 'error', message: expect.stringContaining("Unknown option '--frobnicate'") });
  });
});
