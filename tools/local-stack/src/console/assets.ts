/**
 * Where Nx builds the console's page (`local-stack:build-console`), from the workspace root. It has its own folder:
 * building the CLI empties `dist/tools/local-stack`.
 */
export const CONSOLE_ASSETS_DIR = ['dist', 'tools', 'local-stack-console'] as const;
