import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { FigureRecord } from '../src/collector';
import { expectedAnswerLine } from '../src/load';
import { parseResponse, serialiseRequest } from '../src/raw-http';
import { summaryLines, summaryMarkdown } from '../src/report';
import { RECORDED_RESULTS_FILE, RUN_RESULTS_FILE, planResults, recordRequested } from '../src/results-files';
import { injectedBetween } from '../src/scenario';
import { ReliabilityConfigError, heavy, seedFor, seededRandom } from '../src/seed';

/** The suite's own support code: seeds, the raw HTTP codec, the summary, the expected answer. */

describe('seedFor', () => {
  it('uses the fixed seed unless RELIABILITY_SEED is set', () => {
    expect(seedFor(42, {})).toBe(42);
    expect(seedFor(42, { RELIABILITY_SEED: '7' })).toBe(7);
  });

  it('refuses a seed that is not a 32-bit integer, naming the variable', () => {
    expect(() => seedFor(42, { RELIABILITY_SEED: 'abc' })).toThrow(new ReliabilityConfigError('RELIABILITY_SEED must be a 32-bit integer, got "abc"'));
  });
});

describe('heavy', () => {
  it('is on for 1 or true, off when unset, 0 or false, and refuses anything else', () => {
    expect([heavy({}), heavy({ RELIABILITY_HEAVY: '1' }), heavy({ RELIABILITY_HEAVY: 'true' }), heavy({ RELIABILITY_HEAVY: '0' })]).toEqual([false, true, true, false]);
    expect(() => heavy({ RELIABILITY_HEAVY: 'yes' })).toThrow(ReliabilityConfigError);
  });
});

describe('results files', () => {
  const root = join(__dirname, '..', '..', '..');
  const ignoredByGit = (file: string): boolean => spawnSync('git', ['check-ignore', '--no-index', '-q', file], { cwd: root }).status === 0;

  it('writes a complete run where git ignores it, and the recorded figures where git tracks them', () => {
    expect(planResults({ filtered: false, complete: true, record: false }).files).toEqual([RUN_RESULTS_FILE]);
    expect(planResults({ filtered: false, complete: true, record: true }).files).toEqual([RUN_RESULTS_FILE, RECORDED_RESULTS_FILE]);
    expect(ignoredByGit(RUN_RESULTS_FILE)).toBe(true);
    expect(ignoredByGit(RECORDED_RESULTS_FILE)).toBe(false);
    expect(spawnSync('git', ['ls-files', '--error-unmatch', RECORDED_RESULTS_FILE], { cwd: root }).status).toBe(0);
  });

  it('writes and records nothing for a filtered or incomplete run', () => {
    expect(planResults({ filtered: true, complete: true, record: true })).toEqual({ files: [], message: '[reliability] partial run: no figures written, nothing recorded' });
    expect(planResults({ filtered: false, complete: false, record: false })).toEqual({ files: [], message: '[reliability] partial run: no figures written' });
  });

  it('records only when RELIABILITY_RECORD is on, and names a bad value', () => {
    expect([recordRequested({}), recordRequested({ RELIABILITY_RECORD: '1' }), recordRequested({ RELIABILITY_RECORD: '0' })]).toEqual([false, true, false]);
    expect(() => recordRequested({ RELIABILITY_RECORD: 'please' })).toThrow(new ReliabilityConfigError('RELIABILITY_RECORD must be 1 or 0, got "please"'));
  });
});

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(10)()).not.toBe(first[0]);
  });
});

describe('the raw HTTP codec', () => {
  it('writes headers exactly as given, duplicates and case included, and closes the connection', () => {
    const bytes = serialiseRequest({ method: 'POST', target: '/prod/execute/../execute', headers: [['Host', 'a'], ['authorization', 'x'], ['Authorization', 'y']], body: '{}' });
    expect(bytes.toString('latin1')).toBe('POST /prod/execute/../execute HTTP/1.1\r\nHost: a\r\nauthorization: x\r\nAuthorization: y\r\nConnection: close\r\n\r\n{}');
  });

  it('reads a Content-Length answer, a chunked one, and knows an incomplete one', () => {
    const plain = parseResponse(Buffer.from('HTTP/1.1 403 Forbidden\r\nx-amzn-ErrorType: X\r\nContent-Length: 2\r\n\r\n{}'));
    expect([plain?.status, plain?.header('X-AMZN-ERRORTYPE'), plain?.text]).toEqual([403, 'X', '{}']);
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n'))?.text).toBe('abc');
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab'))).toBeUndefined();
  });
});

describe('the summary', () => {
  const records: FigureRecord[] = [
    { area: 'faults', suite: 's', label: 'a', counts: { scenarios: 1, survived: 1, injected: 3, 'injected.bedrock': 3 } },
    { area: 'faults', suite: 's', label: 'b', counts: { scenarios: 1, survived: 0, injected: 1, 'injected.slack': 1 } },
    { area: 'hostile', suite: 's', label: 'API', counts: { tried: 5, rejected: 4 } },
    { area: 'hostile', suite: 's', label: 'URL', counts: { tried: 3, rejected: 2, ignored: 1 } },
  ];

  it('prints one line per area with its counts, and says when an area did not run', () => {
    expect(summaryLines(records)).toEqual([
      '[reliability] faults   2 scenarios, 1 survived; 4 faults injected (bedrock 3, slack 1)',
      '[reliability] load     no figures (its suite did not run)',
      '[reliability] hostile  8 cases tried, 6 rejected with a 4xx (API 4/5, URL 2/3), 1 acked and ignored (nothing handed off), 1 not refused (known gaps)',
      '[reliability] secrets  no figures (its suite did not run)',
    ]);
  });

  it('renders the same figures as Markdown tables', () => {
    const markdown = summaryMarkdown(records, { date: '2026-01-01 00:00 UTC', durationSeconds: 1, heavy: false, seed: 'fixed' });
    expect(markdown).toContain('| a | 3 | 1 |');
    expect(markdown).toContain('| URL | 3 | 2 |');
  });
});

describe('injectedBetween', () => {
  it('keeps only the targets whose counter moved', () => {
    const zero = { executeApi: 0, lambdaApi: 0, bedrock: 0, dynamodb: 0, secretsManager: 0, slack: 0, verificationFunction: 0, executionFunction: 0, gatewayClock: 0 };
    expect(injectedBetween(zero, { ...zero, bedrock: 2, slack: 1 })).toEqual({ bedrock: 2, slack: 1 });
  });
});

describe('expectedAnswerLine', () => {
  it('is the local model\u2019s first line, escaped for Slack as the execution layer escapes it', () => {
    expect(expectedAnswerLine('  a <b> & c  ')).toBe('(local model) You asked: "a &lt;b&gt; &amp; c"');
  });
});
