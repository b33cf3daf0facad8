import { parseCredentialScope, verifySigV4Request } from '@slack-ai-app/aws-emulation';
import { EXECUTION_API_STAGE } from '@slack-ai-app/execution-api-contract';
import type { HttpHandler, HttpReply, HttpRequestData } from '../http/types';
import { headerValue } from '../http/types';
import type { LocalPrincipal, PrincipalDirectory } from '../iam/principals';
import { authenticate, localCredentialLookup } from './authenticate';
import { type AwsProtocol, restJsonError, sigV4ErrorReply } from './errors';

/** An emulated AWS service behind the local endpoint (other than execute-api). */
export interface EmulatedService {
  readonly protocol: AwsProtocol;
  /** Handles a request whose signature has been verified. */
  readonly handle: (request: HttpRequestData, principal: LocalPrincipal) => Promise<HttpReply>;
}

/** An emulated service that takes only the requests it {@link ServiceRoute.matches} (e.g. a read-only control plane). */
export interface ServiceRoute extends EmulatedService {
  /** The SigV4 signing name it answers for (several routes may share one, e.g. `bedrock`). */
  readonly service: string;
  readonly matches: (request: HttpRequestData) => boolean;
}

/** Dependencies of {@link createAwsEndpointHandler}. */
export interface AwsEndpointDeps {
  /** The execution API (does its own authentication, as API Gateway answers differently). */
  readonly executeApi: HttpHandler;
  /** Services by SigV4 signing name: `lambda`, `bedrock`, `dynamodb`, `sqs`, `secretsmanager`… */
  readonly services: Readonly<Record<string, EmulatedService>>;
  /** Routes tried before {@link AwsEndpointDeps.services} (the read-only calls `tools/preflight` makes). */
  readonly routes?: readonly ServiceRoute[];
  /** The stack's own `/_local/…` routes (dead letters, trace, logs, faults, health). */
  readonly local: (request: HttpRequestData) => Promise<HttpReply>;
  /** Clock of the services other than execute-api. */
  readonly now: () => Date;
  /** The principals of the running stack (from the template, plus the local test principals). */
  readonly principals: PrincipalDirectory;
}

/** Where local routes live on every local server. */
export const LOCAL_ROUTE_PREFIX = '/_local/';

/**
 * The local AWS endpoint (`AWS_ENDPOINT_URL`): one port for every service, each request routed by the service named
 * in its SigV4 credential scope (`Authorization` header, or `X-Amz-Credential` of a pre-signed URL).
 *
 * - scope `execute-api` → the execution API, which authenticates as API Gateway does;
 * - another emulated service → signature checked with the SigV4 verifier of `tools/aws-emulation`, then the service;
 * - no scope: a path under the API's stage (`/prod…`) goes to the execution API, which answers as API Gateway answers
 *   an unsigned request; anything else gets AWS's answer to an unsigned request (403 `Missing Authentication Token`)
 *   or, with a malformed `Authorization`, the verifier's IncompleteSignatureException.
 *
 * @param deps - the execution API, the services and the local routes
 */
export function createAwsEndpointHandler(deps: AwsEndpointDeps): HttpHandler {
  return async (request) => {
    if (request.path.startsWith(LOCAL_ROUTE_PREFIX)) return deps.local(request);
    const authorization = headerValue(request.headers, 'authorization');
    const service = parseCredentialScope(authorization)?.service ?? scopeServiceFromQuery(request.query);
    if (service === undefined) {
      if (isStagePath(request.path)) return deps.executeApi(request);
      if (authorization === undefined) return restJsonError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      const verdict = await verifySigV4Request(
        { method: request.method, rawPath: request.rawPath, headers: request.headers, body: request.body },
        { lookup: localCredentialLookup(deps.principals), now: deps.now },
      );
      if (!verdict.ok) return sigV4ErrorReply(verdict.error, 'rest-json');
      return restJsonError(400, 'UnknownServiceException', 'The request names no service the local stack emulates.');
    }
    if (service === 'execute-api') return deps.executeApi(request);
    const emulated = deps.routes?.find((route) => route.service === service && route.matches(request)) ?? deps.services[service];
    if (emulated === undefined) {
      const known = [...new Set(['execute-api', ...Object.keys(deps.services), ...(deps.routes ?? []).map((route) => route.service)])].join(', ');
      return restJsonError(400, 'UnknownServiceException', `The local stack does not emulate the '${service}' service (emulated: ${known}).`);
    }
    const auth = await authenticate(request, service, deps.now(), deps.principals);
    if (!auth.ok) return sigV4ErrorReply(auth.error, emulated.protocol);
    return emulated.handle(request, auth.principal);
  };
}

function isStagePath(path: string): boolean {
  return path === `/${EXECUTION_API_STAGE}` || path.startsWith(`/${EXECUTION_API_STAGE}/`);
}

function scopeServiceFromQuery(query: URLSearchParams): string | undefined {
  const credential = query.get('X-Amz-Credential');
  if (credential === null) return undefined;
  const parts = credential.split('/');
  return parts.length === 5 && parts[3] !== '' ? parts[3] : undefined;
}
