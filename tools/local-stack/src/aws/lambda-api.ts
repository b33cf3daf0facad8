import { randomUUID } from 'node:crypto';
import type { FaultController } from '../faults';
import type { HttpReply, HttpRequestData } from '../http/types';
import { unanswered, headerValue, replyHeader } from '../http/types';
import type { AuthorizationResult } from '@slack-ai-app/aws-emulation';
import { deniedBecause } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import type { FunctionRegistry } from '../lambda/registry';
import type { LogStore } from '../logs';
import type { TraceStore } from '../trace';
import { eventIdOf } from '../trace';
import { restJsonError } from './errors';

/**
 * The Lambda Invoke API: `POST /2015-03-31/functions/{FunctionName}/invocations` (oracle §4), with the three
 * invocation types. `Event` queues the event on the function's asynchronous queue and answers 202 at once.
 */

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * The largest asynchronous payload accepted. Lambda's limit for `Event` invokes was 256 KiB for years (oracle §4 notes
 * that it changed over time); the stricter long-standing value is kept so that nothing passes locally that an older
 * limit would refuse.
 */
export const MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024;

/** Lambda's synchronous payload limit. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Lambda returns at most the last 4 KB of the log with `X-Amz-Log-Type: Tail`. */
const LOG_TAIL_BYTES = 4096;

/** Dependencies of the Invoke API. */
export interface LambdaApiDeps {
  readonly functions: FunctionRegistry;
  readonly faults: FaultController;
  readonly trace: TraceStore;
  readonly logs: LogStore;
  readonly now: () => Date;
  /** The IAM decision on `lambda:InvokeFunction` for a caller and a function (its identity and the function's policy). */
  readonly authorizeInvoke: (principal: LocalPrincipal, functionArn: string) => AuthorizationResult;
}

/** Lambda's error shape: `x-amzn-ErrorType`, and a body with `Type` and `Message`. */
function lambdaError(status: number, errorType: string, message: string, type: 'User' | 'Service' = 'User'): HttpReply {
  return restJsonError(status, errorType, message, { Type: type }, 'Message');
}

/**
 * Creates the Invoke API handler. The caller has authenticated the request already.
 *
 * @param deps - functions, faults, trace, logs, clock
 * @returns a handler taking the request and the authenticated principal
 */
export function createLambdaApiHandler(deps: LambdaApiDeps): (request: HttpRequestData, principal: LocalPrincipal) => Promise<HttpReply> {
  return async (request, principal) => {
    const started = performance.now();
    const requestId = randomUUID();
    const invocationType = headerValue(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
    const finish = (reply: HttpReply, functionName?: string, invocationId: string = requestId): HttpReply => {
      deps.trace.add({
        kind: 'lambda_api',
        at: deps.now(),
        eventId: safeEventId(request.body),
        functionName,
        invocationType,
        status: reply.kind === 'respond' || reply.kind === 'stream' ? reply.status : reply.kind === 'drop' ? 'dropped' : 'hung',
        errorType: replyHeader(reply, 'x-amzn-errortype'),
        requestId: invocationId,
        callerArn: principal.callerArn,
        latencyMs: performance.now() - started,
      });
      return reply;
    };

    const match = INVOKE_PATH.exec(request.path);
    if (match === null || request.method !== 'POST') {
      return finish(restJsonError(404, 'UnknownOperationException', `The local stack emulates only Invoke (POST /2015-03-31/functions/{name}/invocations), not ${request.method} ${request.path}.`));
    }
    const fault = deps.faults.take('lambdaApi');
    if (fault !== undefined) {
      if (fault.mode !== 'status') return finish(unanswered(fault.mode));
      return finish(faultReply(fault.status));
    }

    const lookup = deps.functions.resolve(decodeURIComponent(match[1] ?? ''), request.query.get('Qualifier') ?? undefined);
    if (!lookup.ok) return finish(lambdaError(404, 'ResourceNotFoundException', `Function not found: ${lookup.arn}`));
    const { fn, async } = lookup.entry;
    const name = fn.name;
    const decision = deps.authorizeInvoke(principal, fn.arn);
    if (decision.decision !== 'allow') {
      // 403 AccessDeniedException in Lambda's error shape, IAM's wording (IAM User Guide, "Troubleshoot access denied
      // error messages": https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
      return finish(lambdaError(403, 'AccessDeniedException', `User: ${principal.callerArn} is not authorized to perform: lambda:InvokeFunction on resource: ${fn.arn} ${deniedBecause(decision, 'lambda:InvokeFunction', 'identity-based')}`), name);
    }

    if (!['Event', 'RequestResponse', 'DryRun'].includes(invocationType)) {
      return finish(
        lambdaError(400, 'InvalidParameterValueException', `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`),
        name,
      );
    }
    const limit = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (request.body.length > limit) {
      return finish(lambdaError(413, 'RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`), name);
    }
    let payload: unknown = {};
    if (request.body.length > 0) {
      try {
        payload = JSON.parse(request.body.toString('utf8'));
      } catch (error) {
        return finish(lambdaError(400, 'InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`), name);
      }
    }

    if (invocationType === 'DryRun') return finish({ kind: 'respond', status: 204, headers: { 'x-amzn-requestid': requestId }, body: '' }, name);
    if (invocationType === 'Event') {
      const invocationId = async.enqueue(payload, 'lambda_api');
      return finish({ kind: 'respond', status: 202, headers: { 'x-amzn-requestid': invocationId }, body: '' }, name, invocationId);
    }

    const result = await fn.invoke({ payload, requestId, source: 'lambda_api', invocationType: 'RequestResponse', attempt: 1 }, false);
    if (!result.ok && result.kind === 'throttled') {
      return finish(restJsonError(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User' }), name);
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': '$LATEST',
    };
    if (headerValue(request.headers, 'x-amz-log-type') === 'Tail') headers['x-amz-log-result'] = logTail(deps.logs, requestId);
    if (result.ok) return finish({ kind: 'respond', status: 200, headers, body: result.payload }, name);
    return finish({ kind: 'respond', status: 200, headers: { ...headers, 'x-amz-function-error': 'Unhandled' }, body: JSON.stringify(result.error) }, name);
  };
}

function faultReply(status: number): HttpReply {
  if (status === 429) return restJsonError(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: 'CallerRateLimitExceeded', Type: 'User' });
  if (status >= 500) return lambdaError(status, 'ServiceException', 'An internal error occurred in the Lambda service (injected by the local stack).', 'Service');
  return lambdaError(status, 'InvalidRequestContentException', `Injected ${status} from the local Lambda API.`);
}

function logTail(logs: LogStore, requestId: string): string {
  const text = logs
    .entries({ requestId })
    .map((e) => `${e.line}\n`)
    .join('');
  const bytes = Buffer.from(text, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}

function safeEventId(body: Buffer): string | undefined {
  return body.length === 0 ? undefined : eventIdOf(body.toString('utf8'));
}
