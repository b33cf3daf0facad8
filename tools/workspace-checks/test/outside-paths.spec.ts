/**
 * A clone works anywhere: no tracked file may name a path outside the repository. The scan runs over this very
 * repository in `npm test` (so CI checks it on every change), and the planted cases prove it bites.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describeOutsidePath, findOutsidePaths, readTrackedFiles } from '../src/outside-paths';

/** The planted outside paths, assembled at run time so that this file itself names none. */
const SHARED = ['..', 'shared', ''].join('/');
const MACHINE_ROOT = ['', 'work', ''].join('/');

const workspaceRoot = path.resolve(__dirname, '../../..');
/** This file plants climbing paths on purpose. */
const THIS_FILE = path.relative(workspaceRoot, __filename).split(path.sep).join('/');

describe('findOutsidePaths', () => {
  it('finds the shared folder and the machine root, with file and line', () => {
    const files = [
      { path: 'libs/a/README.md', text: `intro\nsee \`${SHARED}oracles/x.md\`\n` },
      { path: 'apps/b/test/paths.ts', text: `// ok\n// ok\nconst ROOT = '${MACHINE_ROOT}main';\n` },
    ];
    expect(findOutsidePaths(files, '/home/ci/checkout').map(describeOutsidePath)).toEqual([
      `apps/b/test/paths.ts:3: ${MACHINE_ROOT} (a folder outside the repository)`,
      `libs/a/README.md:2: ${SHARED} (a folder outside the repository)`,
    ]);
  });

  it('finds the checkout path given at run time, but not inside a longer path or a URL', () => {
    const text = [
      'cd /srv/build/slack-ai-app && npm test',
      'cp x /srv/build/slack-ai-app/tmp',
      'cp x /srv/build/slack-ai-app-old',
      'https://example.com/srv/build/slack-ai-app',
      '/opt/srv/build/slack-ai-app',
    ].join('\n');
    expect(findOutsidePaths([{ path: 'README.md', text }], '/srv/build/slack-ai-app/').map(describeOutsidePath)).toEqual([
      'README.md:1: /srv/build/slack-ai-app (the absolute path of this checkout)',
      'README.md:2: /srv/build/slack-ai-app (the absolute path of this checkout)',
    ]);
  });

  it('finds a relative path that climbs above the repository root from where it is written', () => {
    const files = [
      { path: 'libs/signing/test/support/oracles.ts', text: "resolve(__dirname, '../../../../fixtures');\nresolve(__dirname, '../../../../../elsewhere');\n" },
      { path: 'tools/x/tsconfig.json', text: '{ "extends": "../../tsconfig.base.json" }' },
      { path: 'README.md', text: 'see [the parent](../parent)' },
    ];
    expect(findOutsidePaths(files, '/r').map(describeOutsidePath)).toEqual([
      'README.md:1: ../ (climbs 1 level up from the repository root)',
      'libs/signing/test/support/oracles.ts:2: ../../../../../ (climbs 5 levels up from a folder 4 deep)',
    ]);
  });
});

describe('readTrackedFiles', () => {
  let repo: string;
  beforeEach(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'outside-paths-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('reads tracked and new files, not ignored or binary ones, so a planted path is found before it is committed', () => {
    mkdirSync(path.join(repo, 'docs'));
    writeFileSync(path.join(repo, '.gitignore'), 'tmp/\n');
    writeFileSync(path.join(repo, 'docs', 'new.md'), `run it from ${repo}/docs\n`);
    mkdirSync(path.join(repo, 'tmp'));
    writeFileSync(path.join(repo, 'tmp', 'out.md'), `${repo}\n`);
    writeFileSync(path.join(repo, 'blob.bin'), Buffer.from([0, 1, 2, 0x2f]));
    expect(readTrackedFiles(repo).map((f) => f.path).sort()).toEqual(['.gitignore', 'docs/new.md']);
    expect(findOutsidePaths(readTrackedFiles(repo), repo).map(describeOutsidePath)).toEqual([
      `docs/new.md:1: ${repo} (the absolute path of this checkout)`,
    ]);
  });
});

describe('this repository', () => {
  it('names no path outside itself in any tracked file', () => {
    const files = readTrackedFiles(workspaceRoot, new Set([THIS_FILE]));
    expect(files.length).toBeGreaterThan(100);
    expect(findOutsidePaths(files, workspaceRoot).map(describeOutsidePath)).toEqual([]);
  });
});
