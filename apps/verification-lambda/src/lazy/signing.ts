/**
 * Build chunk: the part of `@slack-ai-app/signing` the API path uses (SigV4 client on `@smithy/signature-v4`).
 *
 * Bundled into its own file (`dist/apps/verification-lambda/lazy/signing.js`, an additional esbuild entry point) and
 * required by {@link loadSigningModule} on the first API-path hand-off. See README, "Cold start".
 *
 * @packageDocumentation
 */
export { NetworkError, postSignedJson, RequestSigner, RequestTimeoutError, SigningError } from '@slack-ai-app/signing';
