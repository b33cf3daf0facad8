/**
 * The layering rules are a checked fact, not a convention: this suite runs the workspace's real
 * ESLint flat config (with `@nx/enforce-module-boundaries`) over import statements placed, virtually,
 * inside each project, and proves that forbidden imports fail lint while the allowed ones pass.
 */
import { createProjectGraphAsync } from '@nx/devkit';
import { execFile } from 'node:child_process';
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
async function boundaryErrors(fileInProject: string, source: string): Promise<string[]> {
  const child = run(process.execPath, [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', fileInProject], {
    cwd: workspaceRoot,
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
