import { createProjectGraphAsync, readCachedProjectGraph } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import { realpathSync } from 'node:fs';

/**
 * `@nx/enforce-module-boundaries` reads the *cached* project graph and, when there is none (a clean checkout: no `.nx/`
 * folder, no daemon), skips itself with a mere warning ("No cached ProjectGraph is available. The rule will be
 * skipped.", `@nx/eslint-plugin` `ensureGlobalProjectGraph`). `nx run <project>:lint` builds the graph before its
 * tasks; a plain `npx eslint <file>` does not, so the ESLint CLI builds it here, once, only when it is missing. Only
 * the CLI: Nx's own `@nx/eslint` plugin also loads this file while it builds the graph, and must not start another
 * build. tools/workspace-checks proves both from an empty workspace-data folder.
 */
/** The script this process runs (symlinks resolved: `npx eslint` goes through node_modules/.bin), or `''`. */
function entryScript() {
  try {
    return realpathSync(process.argv[1] ?? '');
  } catch {
    return '';
  }
}
const entry = entryScript();
if (/[\\/]eslint[\\/]bin[\\/]eslint\.js$/.test(entry)) {
  try {
    readCachedProjectGraph();
  } catch {
    await createProjectGraphAsync({ exitOnError: false });
  }
}

/**
 * Layering, checked on every lint run. Tags live in each project.json:
 *   scope:verification | scope:execution | scope:infra | scope:shared | scope:tooling
 *   type:app | type:lib | type:tool
 * Apps may import libs; libs never import apps; the two Lambda apps never import each other. Tooling (every project
 * under tools/) may use shared libs and other tooling; nothing product (apps, libs) may depend on tooling.
 */
export const depConstraints = [
  // The type rules come first: where an import breaks both, the rule reports the first constraint that fails.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'scope:verification', onlyDependOnLibsWithTags: ['scope:verification', 'scope:shared'] },
  { sourceTag: 'scope:execution', onlyDependOnLibsWithTags: ['scope:execution', 'scope:shared'] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:infra', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:tooling', 'scope:shared'] },
];

/** The tag of tools/aws-emulation: what only imitates AWS (SigV4 verifier, IAM evaluator), for tests. */
export const EMULATION_TAG = 'kind:aws-emulation';

/** The scope tags of the apps: in their tests, the AWS emulation (a tooling project) is allowed too. */
const APP_SCOPES = ['scope:verification', 'scope:execution', 'scope:infra'];

/**
 * An app's own tests (never its sources) may also use the AWS emulation, as a dev dependency: e.g. the verification
 * Lambda's tests stand up an execution API that verifies SigV4 as API Gateway does. Only the `type:app` constraint and
 * the apps' scope constraints change, so for libs and tools these rules are the same as everywhere. The globs have no
 * project prefix because each project's own eslint.config.mjs (what `nx run <project>:lint` uses) resolves them from
 * its folder.
 */
export const TEST_FILES = ['**/test/**/*.ts', '**/*.spec.ts'];
export const testDepConstraints = depConstraints.map((constraint) =>
  constraint.sourceTag === 'type:app' || APP_SCOPES.includes(constraint.sourceTag)
    ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, EMULATION_TAG] }
    : constraint,
);

const boundaryRule = (constraints) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: false,
    allow: [],
    depConstraints: constraints,
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/cdk.out', '**/coverage', '**/.nx', 'tools/bench/results', 'tmp'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs'],
    ignores: ['**/eslint.config.mjs', '**/jest.config.js'],
    rules: {
      '@nx/enforce-module-boundaries': boundaryRule(depConstraints),
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': boundaryRule(testDepConstraints),
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
