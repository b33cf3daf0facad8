import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildNaiveBundle, bundleSize, writeEmptyModule } from '../src/cold-start/artifacts';

const workspaceRoot = resolve(__dirname, '../../..');

describe('the cold-start reference bundles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-artifacts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the naive bundle with every eager library inside and a handler export', async () => {
    const path = await buildNaiveBundle(workspaceRoot, dir);
    expect(existsSync(path)).toBe(true);
    const source = readFileSync(path, 'utf8');
    // Markers of each library the naive reference imports eagerly.
    expect(source).toContain('InvokeCommand');
    expect(source).toContain('AWS4-HMAC-SHA256');
    expect(source).toContain('pino');
    expect(source).toContain('ZodObject');
    expect(bundleSize(path)).toEqual({ mainBytes: statSync(path).size, lazyBytes: {} });
  }, 60_000);

  it('writes an empty module whose handler answers 200', async () => {
    const path = writeEmptyModule(dir);
    const loaded = (await import(path)) as { handler: () => Promise<unknown> };
    await expect(loaded.handler()).resolves.toEqual({ statusCode: 200 });
  });

  it('measures the lazy chunks next to a bundle, leaving out source maps', () => {
    const bundle = join(dir, 'app');
    mkdirSync(join(bundle, 'lazy'), { recursive: true });
    writeFileSync(join(bundle, 'main.js'), 'x'.repeat(100));
    writeFileSync(join(bundle, 'lazy', 'signing.js'), 'y'.repeat(40));
    writeFileSync(join(bundle, 'lazy', 'signing.js.map'), 'z'.repeat(999));
    writeFileSync(join(bundle, 'lazy', 'client.js'), 'w'.repeat(7));
    expect(bundleSize(join(bundle, 'main.js'))).toEqual({ mainBytes: 100, lazyBytes: { 'client.js': 7, 'signing.js': 40 } });
  });
});
