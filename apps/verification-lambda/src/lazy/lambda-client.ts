/**
 * Build chunk: the part of `@aws-sdk/client-lambda` the direct path uses.
 *
 * Bundled into its own file (`dist/apps/verification-lambda/lazy/lambda-client.js`, an additional esbuild entry point)
 * and required by {@link loadLambdaModule} on first use, so that a cold start neither evaluates nor even parses the
 * ~540 KB client. See README, "Cold start".
 *
 * @packageDocumentation
 */
export { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
