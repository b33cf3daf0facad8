import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from '../src/cold-start/child-process';

describe('runChild', () => {
  let dir: string;
  const script = (name: string, source: string) => {
    const path = join(dir, name);
    writeFileSync(path, source);
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-child-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the report from file descriptor 3, with only the given environment', async () => {
    const child = script(
      'ok.js',
      "process.stdout.write('a log line\\n');\n" +
        "require('node:fs').writeSync(3, JSON.stringify({ ok: true, bootMs: 1, loadMs: 2, invokeMs: 3, statusCode: 200, error: process.env.ONLY_THIS + ':' + (process.env.HOME ?? 'none'), job: process.argv[2] }) + '\\n');\n",
    );
    const run = await runChild({ childScript: child, jobPath: '/job.json', env: { ONLY_THIS: 'yes', PATH: process.env['PATH'] ?? '' }, timeoutMs: 10_000 });
    expect(run).toMatchObject({ ok: true, report: { ok: true, loadMs: 2, invokeMs: 3, statusCode: 200, error: 'yes:none', job: '/job.json' } });
  });

  it('reports a non-zero exit with the end of stderr', async () => {
    const child = script('fail.js', "process.stderr.write('boom\\n'); process.exit(3);\n");
    const run = await runChild({ childScript: child, jobPath: 'x', env: {}, timeoutMs: 10_000 });
    expect(run).toMatchObject({ ok: false, reason: 'exit code 3: boom' });
  });

  it('reports a child that exits without a report', async () => {
    const run = await runChild({ childScript: script('silent.js', ''), jobPath: 'x', env: {}, timeoutMs: 10_000 });
    expect(run).toMatchObject({ ok: false, reason: 'exit code 0' });
  });

  it('kills a child that outlives its timeout', async () => {
    const run = await runChild({ childScript: script('hang.js', 'setInterval(() => {}, 1000);\n'), jobPath: 'x', env: {}, timeoutMs: 300 });
    expect(run).toMatchObject({ ok: false, reason: 'killed by SIGKILL (timeout 300 ms)' });
  });
});
