/**
 * What other tools may reuse from the rollout tool: the execution API's access-control check (`check-auth`), which
 * `tools/preflight` runs after the first deploy.
 *
 * @packageDocumentation
 */
export { checkAuth } from './check-auth';
export type { AuthProbeResult, CheckAuthOptions, CheckAuthReport, CredentialProvider } from './check-auth';
