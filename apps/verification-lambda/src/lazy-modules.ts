/**
 * Loaders of the modules that only one hand-off path needs. Each is a separate build chunk (see `src/lazy/` and the
 * `additionalEntryPoints` and `external` options in project.json), loaded on first use and then cached by Node.
 *
 * A runtime `require` of a path marked external is what keeps esbuild from inlining the chunk (an inlined module is
 * still parsed at cold start even when never evaluated) and what Node resolves relative to `main.js` at run time. A
 * dynamic `import()` would do the same in the bundle, but Node resolves it as ESM (extension required) and registers a
 * dynamic-import callback for the whole script.
 */

/** The direct path's part of `@aws-sdk/client-lambda`. */
export type LambdaModule = typeof import('./lazy/lambda-client');

/** The API path's part of `@slack-ai-app/signing`. */
export type SigningModule = typeof import('./lazy/signing');

/** Loads `lazy/lambda-client` (the Lambda client) on first call; later calls reuse Node's module cache. */
export function loadLambdaModule(): Promise<LambdaModule> {
  return Promise.resolve().then(() => require('./lazy/lambda-client') as LambdaModule);
}

/** Loads `lazy/signing` (the SigV4 signer) on first call; later calls reuse Node's module cache. */
export function loadSigningModule(): Promise<SigningModule> {
  return Promise.resolve().then(() => require('./lazy/signing') as SigningModule);
}
