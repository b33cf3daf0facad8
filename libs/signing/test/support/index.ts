/**
 * The signer's test support, shared as `@slack-ai-app/signing/testing` with the verifier's tests in tools/aws-emulation
 * (tools may use libs; never the other way round): the vendored AWS SigV4 suite, its raw-HTTP reader, and the fixed
 * clock and credentials. Test code only: nothing under `src/` imports it.
 */
export * from './fixtures';
export * from './oracles';
export * from './raw-http';
export * from './sign-case';
