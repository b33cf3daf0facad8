import { type KnownCredential, type SigV4AuthError, verifySigV4Request } from '@slack-ai-app/aws-emulation';
import { LOCAL_REGION } from '../constants';
import type { LocalPrincipal, PrincipalDirectory } from '../iam/principals';
import type { HttpRequestData } from '../http/types';

/**
 * The clock skew AWS services other than API Gateway accept: 15 minutes (behaviour.md §2 notes that other services
 * use 15 and that API Gateway uses 5; the execute-api emulator passes its own 300 s).
 */
export const SERVICE_MAX_SKEW_SECONDS = 900;

/** The outcome of {@link authenticate}. */
export type AuthenticationResult = { readonly ok: true; readonly principal: LocalPrincipal } | { readonly ok: false; readonly error: SigV4AuthError };

/**
 * The credential lookup the SigV4 verifier (`tools/aws-emulation`) uses: local access key → secret, principal ARN, caller ARN,
 * session token.
 *
 * @param principals - the running stack's principals
 * @returns the lookup, by the access key id of the request's credential scope
 */
export function localCredentialLookup(principals: PrincipalDirectory): (accessKeyId: string) => KnownCredential | undefined {
  return (accessKeyId) => {
    const principal = principals.byAccessKey(accessKeyId);
    if (principal === undefined) return undefined;
    return knownCredential(principal);
  };
}

function knownCredential(principal: LocalPrincipal): KnownCredential {
  return {
    secretAccessKey: principal.secretAccessKey,
    principalArn: principal.principalArn,
    callerArn: principal.callerArn,
    ...(principal.sessionToken !== undefined ? { sessionToken: principal.sessionToken } : {}),
  };
}

/**
 * Checks a request's SigV4 signature with the SigV4 verifier of `tools/aws-emulation`, for the given service in the local region.
 *
 * @param request - the HTTP request
 * @param service - the signing name the request must be scoped to
 * @param now - the service's clock
 * @param principals - the running stack's principals
 * @param maxSkewSeconds - allowed clock skew
 */
export async function authenticate(
  request: HttpRequestData,
  service: string,
  now: Date,
  principals: PrincipalDirectory,
  maxSkewSeconds = SERVICE_MAX_SKEW_SECONDS,
): Promise<AuthenticationResult> {
  const result = await verifySigV4Request(
    { method: request.method, rawPath: request.rawPath, headers: request.headers, body: request.body },
    { lookup: localCredentialLookup(principals), now: () => now, service, region: LOCAL_REGION, maxSkewSeconds },
  );
  if (!result.ok) return { ok: false, error: result.error };
  const principal = principals.byAccessKey(result.accessKeyId);
  // The verifier only succeeds for keys the lookup knows.
  if (principal === undefined) throw new Error(`the verifier accepted an access key the local stack does not know: ${result.accessKeyId}`);
  return { ok: true, principal };
}
