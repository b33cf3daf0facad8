import Ajv from 'ajv-draft-04';
import {
  CORRELATION_ID_HEADER,
  EXECUTE_API_INVOKE_ACTION,
  EXECUTION_API_METHOD,
  EXECUTION_API_PATH,
  EXECUTION_API_STAGE,
  buildExecutionApiEvent,
  inputParam,
  type ExecutionApiEvent,
  type PolicyDocumentJson,
} from '@slack-ai-app/execution-api-contract';
import { authorize, expandExecuteApiShorthand, parseCredentialScope, verifySigV4Request } from '@slack-ai-app/aws-emulation';
import { lookupLocalCredential } from '../aws/authenticate';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../constants';
import type { FaultController } from '../faults';
import { skewedNow } from '../faults';
import type { HttpReply, HttpRequestData } from '../http/types';
import { unanswered, headerValue, replyHeader } from '../http/types';
import { callerPrincipal, principalByAccessKey, type LocalPrincipal } from '../iam/principals';
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
  /** The API's resource policy: `executionApiResourcePolicy()`, the very document apps/infra deploys. */
  readonly resourcePolicy: PolicyDocumentJson;
  /** `arn:aws:execute-api:us-east-1:000000000000:localapi` */
  readonly apiArnPrefix: string;
  /** The method ARN of `POST /execute` on the stage. */
  readonly methodArn: string;
  /** The request model (draft-04 JSON Schema) the request validator checks. */
  readonly requestSchema: Readonly<Record<string, unknown>>;
  /** Queues the integration's asynchronous invoke of the execution function; returns its request id. */
  readonly invokeAsync: (event: ExecutionApiEvent) => string;
  readonly faults: FaultController;
  readonly trace: TraceStore;
  /** The real clock (the `gatewayClock` fault skews it). */
  readonly now: () => Date;
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
 * 5. the integration request template (`buildExecutionApiEvent`) and an asynchronous invoke → 202.
 *
 * @param deps - policy, schema, invoker, faults, trace, clock
 * @returns the request handler
 */
export function createExecuteApiHandler(deps: ExecuteApiDeps): (request: HttpRequestData) => Promise<HttpReply> {
  const validate = new Ajv({ allErrors: false, strict: false }).compile(deps.requestSchema);
  // Expanded once: authorize compiles each policy document once and reuses it.
  const resourcePolicy = expandExecuteApiShorthand(deps.resourcePolicy, deps.apiArnPrefix);
  const route = `/${EXECUTION_API_STAGE}/${EXECUTION_API_PATH}`;

  return async (request) => {
    const started = performance.now();
    const requestId = newGatewayRequestId();
    const finish = (reply: HttpReply, callerArn?: string): HttpReply => {
      deps.trace.add({
        kind: 'execute_api',
        at: deps.now(),
        eventId: request.body.length > 0 ? eventIdOf(request.body.toString('utf8')) : undefined,
        status: reply.kind === 'respond' || reply.kind === 'stream' ? reply.status : reply.kind === 'drop' ? 'dropped' : 'hung',
        errorType: replyHeader(reply, 'x-amzn-errortype'),
        requestId,
        callerArn,
        latencyMs: performance.now() - started,
      });
      return reply;
    };

    const fault = deps.faults.take('executeApi');
    if (fault !== undefined) return finish(fault.mode === 'status' ? gatewayStatus(requestId, fault.status) : unanswered(fault.mode));

    const authorization = headerValue(request.headers, 'authorization');
    const presigned = request.query.has('X-Amz-Credential') || request.query.has('X-Amz-Signature');
    const hasAuthentication = authorization !== undefined || presigned;
    const known = request.path === route && request.method === EXECUTION_API_METHOD;
    if (!hasAuthentication) return finish(missingAuthenticationToken(requestId));
    if (!known && unknownRouteAnswer(authorization !== undefined, parseCredentialScope(authorization) !== undefined || presigned) === 'missing_authentication_token') {
      return finish(missingAuthenticationToken(requestId));
    }

    const clockFault = deps.faults.get('gatewayClock');
    if (clockFault !== undefined) deps.faults.take('gatewayClock');
    const gatewayNow = skewedNow(clockFault, deps.now());
    const verified = await verifySigV4Request(
      { method: request.method, rawPath: request.rawPath, headers: request.headers, body: request.body },
      { lookup: lookupLocalCredential, now: () => gatewayNow, service: 'execute-api', region: LOCAL_REGION, maxSkewSeconds: GATEWAY_MAX_SKEW_SECONDS },
    );
    if (!verified.ok) {
      return finish(authenticationFailed(requestId, verified.error));
    }
    if (!known) return finish(missingAuthenticationToken(requestId));

    // Every verified key belongs to a local principal (the verifier's lookup is principalByAccessKey's table).
    const principal = principalByAccessKey(verified.accessKeyId) as LocalPrincipal;
    const { decision } = authorize({
      principal: callerPrincipal(principal),
      action: EXECUTE_API_INVOKE_ACTION,
      resource: deps.methodArn,
      resourceAccountId: LOCAL_ACCOUNT_ID,
      identityPolicies: [principal.identityPolicy],
      resourcePolicy,
    });
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
        accountId: LOCAL_ACCOUNT_ID,
        sourceIp: request.remoteAddress,
      },
    });
    deps.invokeAsync(event);
    return finish(accepted(requestId), caller);
  };
}
