/**
 * `npx nx run infra:preflight`: read-only checks before the first deploy.
 *
 * @packageDocumentation
 */
export { runPreflight } from './preflight';
export type { PreflightDeps, PreflightOptions, StackInfo, CallerIdentity, FoundationModelInfo, InferenceProfileInfo, AuthCheckOutcome } from './preflight';
export { CHECK_NAMES, hasFailure } from './checks';
export type { CheckName, CheckResult, CheckStatus } from './checks';
export { createAwsDeps, extensionLayerArn } from './aws-deps';
export type { AwsDepsOptions } from './aws-deps';
export { formatJson, formatText } from './output';
export { main, ExitCode } from './cli-main';
export type { CliRuntime } from './cli-main';
