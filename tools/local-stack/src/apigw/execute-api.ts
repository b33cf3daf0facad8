import Ajv from 'ajv-draft-04';
import {
  CORRELATION_ID_HEADER,
  EXECUTE_API_INVOKE_ACTION,
  buildExecutionApiEvent,
  inputParam,
  type ExecutionApiEvent,
} from '@slack-ai-app/execution-api-contract';
import { parseCredentialScope, verifySigV4Request } from '@slack-ai-app/aws-emulation';
import { localCredentialLookup } from '../aws/authenticate';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../constants';
import type { FaultController } from '../faults';
import { skewedNow } from '../faults';
import type { HttpReply, HttpRequestData } from '../http/types';
import { unanswered, headerValue, replyHeader } from '../http/types';
import type { PolicyDocument } from '@slack-ai-app/aws-emulation';
import { authorizeCaller } from '../iam/authorization';
import type { LocalPrincipal, PrincipalDirectory } from '../iam/principals';
import type { TraceStore } from '../trace';
import { eventIdOf } from '../trace';
import {
  MODEL_CONTENT_TYPE,
  accepted,
  accessDenied,
  authenticationFailed,
  gatewayStatus,
  invalidRequestBody,
  missingAuthenticationToken,
  newGatewayRequestId,
  unknownRouteAnswer,
  unsupportedMediaType,
} from './gateway-responses';

/** API Gateway's allowed clock skew (oracle §2: 5 minutes; other services' 15 must not be used here). */
export const GATEWAY_MAX_SKEW_SECONDS = 300;

/** Dependencies of the execute-api emulator. */
export interface ExecuteApiDeps {
  /** The API's resource policy as the template deploys it, its `execute-api:/…` shorthand expanded to full ARNs. */
  readonly resourcePolicy: PolicyDocument | undefined;
  /** The method ARN of `POST /execute` on the stage. */
  readonly methodArn: string;
  /** The request model (draft-04 JSON Schema) the request validator checks. */
  readonly requestSchema: Readonly<Record<string, unknown>>;
  /** The method's route, from the template: stage, HTTP method and resource path without its leading slash. */
  readonly route: { readonly stage: string; readonly method: string; readonly path: string };
  /** The principals of the running stack, by access key. */
  readonly principals: PrincipalDirectory;
  /**
   * Whether the integration's function lets `apigateway.amazonaws.com` invoke it for this method (an
   * `AWS::Lambda::Permission` whose `SourceArn` matches the method ARN).
   */
  readonly integrationPermitted: () => boolean;
  /** Queues the integration's asynchronous invoke of the execution function; returns its request id. */
  readonly invokeAsync: (event: ExecutionApiEvent) => string;
  readonly faults: FaultController;
  readonly trace: TraceStore;
  /** The real clock (the `gatewayClock` fault skews it). */
  readonly now: () => Date;
  /**
   * Called once per answered request with what API Gateway's own metrics are made of (the local CloudWatch's
   * `AWS/ApiGateway` data); a dropped or hung connection counts as the 504 API Gateway would give.
   */
  readonly onAnswered?: (answer: { status: number; latencyMs: number; integrationLatencyMs: number | undefined }) => void;
}

/**
 * The execution API as API Gateway runs it (REST API, AWS_IAM auth, non-proxy Lambda integration with
 * `X-Amz-Invocation-Type: Event`), in API Gateway's order:
 *
 * 1. route `/{stage}/{path}`: only `POST /prod/execute` exists; a request without any authentication, or for an
 *    unknown resource or method, gets row #1 (Missing Authentication Token);
 * 2. SigV4 authentication with `tools/aws-emulation`'s verifier (service `execute-api`, region us-east-1, 5-minute skew) → its exact error;
 * 3. authorization: `authorize` (tools/aws-emulation) with the caller's identity policy and the resource policy
 *    (its `execute-api:/` shorthand expanded for this API): Table A in the same account → rows #7 / #8;
 * 4. request validation against the JSON Schema model → 400 `Invalid request body`; a content type without a model
 *    and template → 415 (passthrough NEVER);
 * 5. API Gateway's own invoke needs the function policy to allow it (else 500); then the integration request template
 *    (`buildExecutionApiEvent`) and an asynchronous invoke → 202.
 *
 * @param deps - policy, schema, invoker, faults, trace, clock
 * @returns the request handler
 */
export function createExecuteApiHandler(deps: ExecuteApiDeps): (request: HttpRequestData) => Promise<HttpReply> {
  const validate = new Ajv({ allErrors: false, strict: false }).compile(deps.requestSchema);
  const route = `/${deps.route.stage}/${deps.route.path}`;

  return async (request) => {
    const started = performance.now();
    const requestId = newGatewayRequestId();
    const finish = (reply: HttpReply, callerArn?: string, integrationLatencyMs?: number): HttpReply => {
      const latencyMs = performance.now() - started;
      deps.onAnswered?.({ status: reply.kind === 'respond' || reply.kind === 'stream' ? reply.status : 504, latencyMs, integrationLatencyMs });
      deps.trace.add({
        kind: 'execute_api',
        at: deps.now(),
        eventId: request.body.length > 0 ? eventIdOf(request.body.toString('utf8')) : undefined,
        status: reply.kind === 'respond' || reply.kind === 'stream' ? reply.status : reply.kind === 'drop' ? 'dropped' : 'hung',
        errorType: replyHeader(reply, 'x-amzn-errortype'),
        requestId,
        callerArn,
        latencyMs,
      });
      return reply;
    };

    const fault = deps.faults.take('executeApi');
    if (fault !== undefined) return finish(fault.mode === 'status' ? gatewayStatus(requestId, fault.status) : unanswered(fault.mode));

    const authorization = headerValue(request.headers, 'authorization');
    const presigned = request.query.has('X-Amz-Credential') || request.query.has('X-Amz-Signature');
    const hasAuthentication = authorization !== undefined || presigned;
    const known = request.path === route && request.method === deps.route.method;
    if (!hasAuthentication) return finish(missingAuthenticationToken(requestId));
    if (!known && unknownRouteAnswer(authorization !== undefined, parseCredentialScope(authorization) !== undefined || presigned) === 'missing_authentication_token') {
      return finish(missingAuthenticationToken(requestId));
    }

    const clockFault = deps.faults.get('gatewayClock');
    if (clockFault !== undefined) deps.faults.take('gatewayClock');
    const gatewayNow = skewedNow(clockFault, deps.now());
    const verified = await verifySigV4Request(
      { method: request.method, rawPath: request.rawPath, headers: request.headers, body: request.body },
      { lookup: localCredentialLookup(deps.principals), now: () => gatewayNow, service: 'execute-api', region: LOCAL_REGION, maxSkewSeconds: GATEWAY_MAX_SKEW_SECONDS },
    );
    if (!verified.ok) {
      return finish(authenticationFailed(requestId, verified.error));
    }
    if (!known) return finish(missingAuthenticationToken(requestId));

    // Every verified key belongs to a local principal (the verifier's lookup is the directory's).
    const principal = deps.principals.byAccessKey(verified.accessKeyId) as LocalPrincipal;
    // The caller's identity policies and the API's resource policy, by the one IAM evaluator (same account: either may
    // allow; from another account both must, API Gateway's Table B; an explicit Deny wins). The message is the same
    // for a cross-account caller: API Gateway words its AccessDeniedException by explicit or implicit deny only
    // ("How a resource policy affects authorization workflow", Table B,
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html).
    const { decision } = authorizeCaller(principal, EXECUTE_API_INVOKE_ACTION, deps.methodArn, deps.resourcePolicy);
    const caller = verified.callerArn;
    if (decision !== 'allow') return finish(accessDenied(requestId, caller, deps.methodArn, decision === 'explicit_deny'), caller);

    const contentType = (headerValue(request.headers, 'content-type') ?? MODEL_CONTENT_TYPE).split(';')[0]?.trim().toLowerCase();
    if (contentType !== MODEL_CONTENT_TYPE) return finish(unsupportedMediaType(requestId), caller);
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return finish(invalidRequestBody(requestId), caller);
    }
    if (!validate(body)) return finish(invalidRequestBody(requestId), caller);

    const event = buildExecutionApiEvent({
      body,
      requestId,
      correlationId: inputParam(CORRELATION_ID_HEADER, {
        querystring: Object.fromEntries(request.query),
        header: Object.fromEntries(Object.entries(request.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(',') : v]]))),
      }),
      identity: {
        userArn: verified.callerArn,
        caller: principal.callerId,
        accountId: principal.accountId ?? LOCAL_ACCOUNT_ID,
        sourceIp: request.remoteAddress,
      },
    });
    // Without a Lambda permission for this method, API Gateway's invoke is refused: the client gets the
    // API_CONFIGURATION_ERROR gateway response (500, "Internal server error") and the execution log says "Execution
    // failed due to configuration error: Invalid permissions on Lambda function" (DataBiosphere/azul#8301,
    // serverless/serverless#1913).
    if (!deps.integrationPermitted()) return finish(gatewayStatus(requestId, 500), caller);
    const integrationStarted = performance.now();
    deps.invokeAsync(event);
    return finish(accepted(requestId), caller, performance.now() - integrationStarted);
  };
}
