/** Where Nx builds the console's page (`local-stack:build-console`), from the workspace root. */
export const CONSOLE_ASSETS_DIR = ['dist', 'tools', 'local-stack', 'console'] as const;
