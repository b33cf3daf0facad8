import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport } from '../src/report/markdown';
import { RECORDED_REPORT, RUNS_DIR, recordReport, timestampFileName, writeResults } from '../src/report/write-results';
import { sampleResults } from './support/results';

describe('writeResults', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the timestamped file safely', () => {
    expect(timestampFileName('2025-11-28T19:20:00.123Z')).toBe('2025-11-28T19-20-00-123Z');
  });

  it('writes the timestamped JSON, latest.json and latest.md, and nothing else', () => {
    const results = sampleResults();
    const markdown = renderReport(results);
    const written = writeResults(join(dir, 'results'), results, markdown);
    expect(readdirSync(join(dir, 'results')).sort()).toEqual(['2025-11-28T19-20-00-000Z.json', 'latest.json', 'latest.md']);
    expect(JSON.parse(readFileSync(written.timestamped, 'utf8'))).toEqual(JSON.parse(JSON.stringify(results)));
    expect(readFileSync(written.latestJson, 'utf8')).toBe(readFileSync(written.timestamped, 'utf8'));
    expect(readFileSync(written.latestMarkdown, 'utf8')).toBe(markdown);
  });

  it('writes results that render to the same report once read back', () => {
    const results = sampleResults();
    const written = writeResults(dir, results, renderReport(results));
    expect(renderReport(JSON.parse(readFileSync(written.latestJson, 'utf8')))).toBe(renderReport(results));
  });

  it('writes runs where git ignores them, and records where git tracks the report', () => {
    const root = join(__dirname, '..', '..', '..');
    const ignored = (path: string): boolean => spawnSync('git', ['check-ignore', '--no-index', '-q', path], { cwd: root }).status === 0;
    expect(ignored(join(RUNS_DIR, '2025-11-28T19-20-00-000Z.json'))).toBe(true);
    expect(ignored(join(RUNS_DIR, 'latest.md'))).toBe(true);
    expect(ignored(RECORDED_REPORT)).toBe(false);
    expect(spawnSync('git', ['ls-files', '--error-unmatch', RECORDED_REPORT], { cwd: root }).status).toBe(0);
  });

  it('records the report over the committed one, and writes nothing else', () => {
    const file = join(dir, 'results', 'latest.md');
    recordReport(file, 'old\n');
    recordReport(file, renderReport(sampleResults()));
    expect(readdirSync(join(dir, 'results'))).toEqual(['latest.md']);
    expect(readFileSync(file, 'utf8')).toBe(renderReport(sampleResults()));
  });
});
