/**
 * The layering rules are a checked fact, not a convention: this suite runs the workspace's real
 * ESLint flat config (with `@nx/enforce-module-boundaries`) over import statements placed, virtually,
 * inside each project, and proves that forbidden imports fail lint while the allowed ones pass.
 */
import { createProjectGraphAsync } from '@nx/devkit';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const workspaceRoot = path.resolve(__dirname, '../../..');
const RULE = '@nx/enforce-module-boundaries';
const CROSS_PROJECT_PATH_ERROR = 'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope';

const run = promisify(execFile);
const eslintBin = require.resolve('eslint/bin/eslint.js');

beforeAll(async () => {
  // The rule silently skips itself when no project graph is cached, which would make every
  // "fails on a forbidden import" case below pass for the wrong reason. Build the graph first.
  process.chdir(workspaceRoot);
  await createProjectGraphAsync({ exitOnError: false });
}, 120_000);

interface LintMessage { ruleId: string | null; message: string }

/** Lints `source` with the real ESLint CLI as if it were the file `fileInProject`, and returns the boundary errors. */
async function boundaryErrors(fileInProject: string, source: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const child = run(process.execPath, [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', fileInProject], {
    cwd: workspaceRoot,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  child.child.stdin?.end(source);
  // ESLint exits 1 when it reports errors: that is an answer, not a failure of the harness.
  const stdout = await child.then(
    (r) => r.stdout,
    (e: { stdout?: string; code?: number }) => {
      if (e.code === 1 && e.stdout) return e.stdout;
      throw e;
    },
  );
  const [result] = JSON.parse(stdout) as Array<{ messages: LintMessage[] }>;
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('@nx/enforce-module-boundaries', () => {
  jest.setTimeout(60_000);
  it('lets an app import a shared lib through its alias', async () => {
    const errors = await boundaryErrors(
      'apps/verification-lambda/src/boundary-fixture.ts',
      "import { createLogger } from '@slack-ai-app/logging';\nexport const logger = createLogger;\n",
    );
    expect(errors).toEqual([]);
  });

  it('fails when the verification app imports the execution app', async () => {
    const errors = await boundaryErrors(
      'apps/verification-lambda/src/boundary-fixture.ts',
      "import { handler } from '../../execution-lambda/src/main';\nexport const h = handler;\n",
    );
    expect(errors).toEqual([CROSS_PROJECT_PATH_ERROR]);
  });

  it('fails when the execution app imports the verification app', async () => {
    const errors = await boundaryErrors(
      'apps/execution-lambda/src/boundary-fixture.ts',
      "import { handler } from '../../verification-lambda/src/main';\nexport const h = handler;\n",
    );
    expect(errors).toEqual([CROSS_PROJECT_PATH_ERROR]);
  });

  it('fails when a lib imports an app', async () => {
    const errors = await boundaryErrors(
      'libs/signing/src/boundary-fixture.ts',
      "import { handler } from '../../../apps/verification-lambda/src/main';\nexport const h = handler;\n",
    );
    expect(errors).toEqual([CROSS_PROJECT_PATH_ERROR]);
  });

  it('fails when the infra app reaches into a Lambda app', async () => {
    const errors = await boundaryErrors(
      'apps/infra/src/boundary-fixture.ts',
      "import { handler } from '../../execution-lambda/src/main';\nexport const h = handler;\n",
    );
    expect(errors).toEqual([CROSS_PROJECT_PATH_ERROR]);
  });

  it('fails when a lib reaches into another lib by relative path instead of its alias', async () => {
    const errors = await boundaryErrors(
      'libs/signing/src/boundary-fixture.ts',
      "import { createLogger } from '../../logging/src/index';\nexport const l = createLogger;\n",
    );
    expect(errors).toEqual([CROSS_PROJECT_PATH_ERROR]);
  });
});

describe('tag constraints', () => {
  it('declares the scope and type tags on every project', async () => {
    const graph = await createProjectGraphAsync({ exitOnError: false });
    const untagged = Object.values(graph.nodes)
      .filter((node) => {
        const tags = node.data.tags ?? [];
        return !tags.some((t) => t.startsWith('scope:')) || !tags.some((t) => t.startsWith('type:'));
      })
      .map((node) => node.name);
    expect(untagged).toEqual([]);
  });

  it('tags every project under tools/ as scope:tooling and type:tool, and nothing else as tooling', async () => {
    const graph = await createProjectGraphAsync({ exitOnError: false });
    const nodes = Object.values(graph.nodes);
    const tools = nodes.filter((node) => node.data.root.startsWith('tools/')).map((node) => node.name).sort();
    const tooling = nodes.filter((node) => node.data.tags?.includes('scope:tooling') && node.data.tags.includes('type:tool')).map((node) => node.name).sort();
    expect(tools).toEqual(['aws-emulation', 'bench', 'local-stack', 'preflight', 'reliability', 'rollout', 'workspace-checks']);
    expect(tooling).toEqual(tools);
  });

  it('keeps the two Lambda apps in separate scopes, so neither may depend on the other', async () => {
    const graph = await createProjectGraphAsync({ exitOnError: false });
    expect(graph.nodes['verification-lambda'].data.tags).toEqual(expect.arrayContaining(['scope:verification', 'type:app']));
    expect(graph.nodes['execution-lambda'].data.tags).toEqual(expect.arrayContaining(['scope:execution', 'type:app']));
    const deps = (name: string) => (graph.dependencies[name] ?? []).map((d) => d.target);
    expect(deps('verification-lambda')).not.toContain('execution-lambda');
    expect(deps('execution-lambda')).not.toContain('verification-lambda');
  });
});

describe('the AWS emulation (tools/aws-emulation) in apps', () => {
  jest.setTimeout(60_000);
  const source = "import { verifySigV4Request } from '@slack-ai-app/aws-emulation';\nexport const v = verifySigV4Request;\n";

  it.each(['apps/verification-lambda/test/support/boundary-fixture.ts', 'apps/execution-lambda/src/boundary-fixture.spec.ts'])(
    'is allowed in an app\u2019s test file (%s)',
    async (file) => {
      expect(await boundaryErrors(file, source)).toEqual([]);
    },
  );

  it.each(['apps/verification-lambda/src/boundary-fixture.ts', 'apps/infra/src/boundary-fixture.ts'])('fails in an app\u2019s source (%s)', async (file) => {
    expect(await boundaryErrors(file, source)).toEqual([
      'A project tagged with "type:app" can only depend on libs tagged with "type:lib"',
    ]);
  });

  it('fails in a lib, even in its tests', async () => {
    expect(await boundaryErrors('libs/logging/test/boundary-fixture.spec.ts', source)).toEqual([
      'A project tagged with "type:lib" can only depend on libs tagged with "type:lib"',
    ]);
  });

  it('another tool stays out of an app\u2019s tests', async () => {
    const errors = await boundaryErrors(
      'apps/verification-lambda/test/support/boundary-fixture.ts',
      "import { startLocalStack } from '@slack-ai-app/local-stack';\nexport const s = startLocalStack;\n",
    );
    expect(errors).toEqual(['A project tagged with "type:app" can only depend on libs tagged with "type:lib", "kind:aws-emulation"']);
  });
});

/**
 * Tag rules, proved on throw-away projects: two probes that differ only in their scope tag lint the same planted import
 * of a tooling project. The one tagged `scope:tooling` passes, so the failure of the other comes from its tag alone
 * and the case cannot pass vacuously (an unread graph, an unknown project). The probes live in this project's folder
 * only while the suite runs (Nx discovers projects that git would track), and the graph is rebuilt around them.
 */
describe('scope:tooling', () => {
  jest.setTimeout(120_000);
  const probesRoot = path.join(workspaceRoot, 'tools/workspace-checks', `boundary-probes-${process.pid}`);
  const probe = (name: string) => path.relative(workspaceRoot, path.join(probesRoot, name, 'src/planted.ts'));
  const plantedImport = "import { startLocalStack } from '@slack-ai-app/local-stack';\nexport const s = startLocalStack;\n";

  function writeProbe(name: string, tags: string[]): void {
    mkdirSync(path.join(probesRoot, name, 'src'), { recursive: true });
    writeFileSync(path.join(probesRoot, name, 'project.json'), JSON.stringify({ name, sourceRoot: `${path.relative(workspaceRoot, probesRoot)}/${name}/src`, tags }));
  }

  /**
   * Rebuilds the cached project graph in a child process, as `nx` does before a lint, and returns the probes' tags.
   * (In this process Nx keeps the file list it read first, so a graph built here would not see the probes.)
   */
  async function rebuildGraph(): Promise<Record<string, string[] | undefined>> {
    const script = `require('@nx/devkit').createProjectGraphAsync({ exitOnError: false }).then((g) => process.stdout.write(JSON.stringify(
      Object.fromEntries(${JSON.stringify(probeNames)}.map((n) => [n, g.nodes[n]?.data.tags])))))`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: workspaceRoot, env: { ...process.env, NX_DAEMON: 'false' } });
    return JSON.parse(stdout) as Record<string, string[] | undefined>;
  }

  const sharedProbe = `probe-shared-tool-${process.pid}`;
  const toolingProbe = `probe-tooling-${process.pid}`;
  const probeNames = [sharedProbe, toolingProbe];
  let probeTags: Record<string, string[] | undefined> = {};

  beforeAll(async () => {
    writeProbe(sharedProbe, ['scope:shared', 'type:tool']);
    writeProbe(toolingProbe, ['scope:tooling', 'type:tool']);
    probeTags = await rebuildGraph();
  });

  afterAll(async () => {
    rmSync(probesRoot, { recursive: true, force: true });
    await rebuildGraph();
  });

  it('sees both probes in the project graph with their tags', () => {
    expect(probeTags).toEqual({ [sharedProbe]: ['scope:shared', 'type:tool'], [toolingProbe]: ['scope:tooling', 'type:tool'] });
  });

  it('lets a scope:tooling project import another tooling project', async () => {
    expect(await boundaryErrors(probe(toolingProbe), plantedImport)).toEqual([]);
  });

  it('fails the same import from a project of another scope', async () => {
    expect(await boundaryErrors(probe(sharedProbe), plantedImport)).toEqual([
      'A project tagged with "scope:shared" can only depend on libs tagged with "scope:shared"',
    ]);
  });

  it.each([
    ['a shared lib', 'libs/errors/src/boundary-fixture.ts', 'A project tagged with "type:lib" can only depend on libs tagged with "type:lib"'],
    ['the verification app', 'apps/verification-lambda/src/boundary-fixture.ts', 'A project tagged with "type:app" can only depend on libs tagged with "type:lib"'],
    ['the infra app', 'apps/infra/src/boundary-fixture.ts', 'A project tagged with "type:app" can only depend on libs tagged with "type:lib"'],
  ])('keeps tooling out of product code: %s', async (_what, file, message) => {
    expect(await boundaryErrors(file, plantedImport)).toEqual([message]);
  });

  describe('from a clean checkout (an empty workspace-data folder: no cached project graph)', () => {
    const scopeMessage = 'A project tagged with "scope:shared" can only depend on libs tagged with "scope:shared"';
    /** A fresh, empty Nx workspace-data folder under the git-ignored tmp/, as a clean clone has none. */
    function cleanEnv(label: string): { env: NodeJS.ProcessEnv; dataDir: string } {
      const dataDir = path.join(workspaceRoot, 'tmp', `workspace-data-${label}-${process.pid}`);
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      return { dataDir, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_WORKSPACE_DATA_DIRECTORY: dataDir } };
    }

    it('the ESLint CLI builds the graph itself and fails the planted import', async () => {
      const { env, dataDir } = cleanEnv('eslint');
      expect(readdirSync(dataDir)).toEqual([]);
      expect(await boundaryErrors(probe(sharedProbe), plantedImport, env)).toEqual([scopeMessage]);
      expect(existsSync(path.join(dataDir, 'project-graph.json'))).toBe(true);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('nx run <project>:lint fails the planted import', async () => {
      const { env, dataDir } = cleanEnv('nx');
      const projectDir = path.join(probesRoot, sharedProbe);
      // Like every project's eslint.config.mjs: the root config, spread.
      const rootConfig = path.relative(projectDir, path.join(workspaceRoot, 'eslint.config.mjs')).split(path.sep).join('/');
      writeFileSync(path.join(projectDir, 'eslint.config.mjs'), `import baseConfig from '${rootConfig}';\n\nexport default [...baseConfig];\n`);
      writeFileSync(path.join(projectDir, 'src/planted.ts'), plantedImport);
      const nxBin = require.resolve('nx/bin/nx.js');
      const outcome = await run(process.execPath, [nxBin, 'run', `${sharedProbe}:lint`, '--skip-nx-cache', '--outputStyle=static'], {
        cwd: workspaceRoot,
        env: { ...env, FORCE_COLOR: '0' },
        maxBuffer: 16 * 1024 * 1024,
      }).then(
        (r) => ({ code: 0, output: r.stdout }),
        (e: { code?: number; stdout?: string }) => ({ code: e.code, output: e.stdout ?? '' }),
      );
      rmSync(dataDir, { recursive: true, force: true });
      expect(outcome.code).toBe(1);
      // eslint's stylish format, without colours: `<line>:<col>  error  <message>  <rule>`.
      const lines = outcome.output.split('\n').map((line) => line.trim());
      expect(lines).toContain(`1:1  error  ${scopeMessage}  @nx/enforce-module-boundaries`);
    });
  });

  it('lets tooling use a shared lib', async () => {
    const errors = await boundaryErrors(probe(toolingProbe), "import { createLogger } from '@slack-ai-app/logging';\nexport const l = createLogger;\n");
    expect(errors).toEqual([]);
  });
});
