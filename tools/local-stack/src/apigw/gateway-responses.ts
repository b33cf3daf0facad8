import { randomBytes, randomUUID } from 'node:crypto';
import { acceptedResponseBody } from '@slack-ai-app/execution-api-contract';
import type { SigV4AuthError } from '@slack-ai-app/aws-emulation';
import type { HttpReply } from '../http/types';

/**
 * Every answer of the local execute-api gateway, and every choice the oracle leaves open, in one place.
 *
 * Ground truth: `../shared/oracles/apigw/behaviour.md` (cited below as "oracle"). Rows marked "inferred" or "gap"
 * there are decided here, with the reason next to each decision, so that a better capture changes one line.
 */

/** The header API Gateway uses to name an error. */
const ERROR_TYPE_HEADER = 'x-amzn-ErrorType';

/** Headers API Gateway puts on every answer (oracle §1 Notes: `x-amzn-RequestId`, `x-amz-apigw-id`). */
export function gatewayHeaders(requestId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-amzn-RequestId': requestId,
    // Real ids look like `Ab1CdEFGHcEFq5g=`: 12 random bytes in base64.
    'x-amz-apigw-id': randomBytes(12).toString('base64'),
  };
}

/** A new API Gateway request id. */
export function newGatewayRequestId(): string {
  return randomUUID();
}

function errorReply(requestId: string, status: number, errorType: string, body: string): HttpReply {
  return { kind: 'respond', status, headers: { ...gatewayHeaders(requestId), [ERROR_TYPE_HEADER]: errorType }, body };
}

/**
 * Oracle row #1: no SigV4 at all on an AWS_IAM method, and also any resource or method that does not exist.
 * Body exactly `{"message":"Missing Authentication Token"}` (42 bytes).
 */
export function missingAuthenticationToken(requestId: string): HttpReply {
  return errorReply(requestId, 403, 'MissingAuthenticationTokenException', '{"message":"Missing Authentication Token"}');
}

/**
 * What answers a request for an unknown resource or method (API Gateway never answers 404 there, oracle row #1).
 *
 * Decision (inferred): a well-formed SigV4 header still gets row #1, because API Gateway resolves the resource before
 * it authenticates ("The same response comes back for a resource or method that does not exist"); a header that is
 * not SigV4 gets the verifier's IncompleteSignatureException (row #2), as aws/chalice#828 and
 * amazon-archives/aws-cognito-angular-quickstart#50 observed on routes that were never deployed.
 */
/**
 * @param hasAuthorization - the request has an `Authorization` header
 * @param isWellFormedSigV4 - that header (or the query) is SigV4 with a readable credential scope
 * @returns which answer applies
 */
export function unknownRouteAnswer(hasAuthorization: boolean, isWellFormedSigV4: boolean): 'missing_authentication_token' | 'verifier_error' {
  return hasAuthorization && !isWellFormedSigV4 ? 'verifier_error' : 'missing_authentication_token';
}

/**
 * Rows #2 to #5: the SigV4 verifier's error (`tools/aws-emulation`) (status, `x-amzn-ErrorType`, exact body) as API Gateway sends it.
 *
 * @param requestId - the gateway request id
 * @param error - the verifier's error
 */
export function authenticationFailed(requestId: string, error: SigV4AuthError): HttpReply {
  return errorReply(requestId, error.status, error.errorType, error.body);
}

/**
 * Masks an account id the way API Gateway shows it in access-denied messages: eight `*` then its last four digits
 * (oracle row #6: `********7089`).
 *
 * @param resourceArn - `arn:aws:execute-api:region:account:apiId/stage/METHOD/path`
 */
export function maskAccountInArn(resourceArn: string): string {
  const parts = resourceArn.split(':');
  if (parts.length < 6 || parts[4] === undefined) return resourceArn;
  parts[4] = `********${parts[4].slice(-4)}`;
  return parts.join(':');
}

/**
 * Oracle rows #7 (explicit deny) and #8 (implicit deny) for an authenticated IAM caller.
 *
 * Decisions (inferred, oracle marks the JSON key "probably `Message`, as in #6; unverified"): the key is `Message`
 * with a capital M, like the captured #6; the resource's account is masked as in #6; the caller's ARN is shown as
 * is (the captures that redact it did so by hand, with `xxxxx`, not API Gateway's `********`).
 *
 * @param requestId - the gateway request id
 * @param callerArn - e.g. `arn:aws:sts::000000000000:assumed-role/role/session`
 * @param resourceArn - the method ARN
 * @param explicit - an explicit Deny matched (adds ` with an explicit deny`)
 */
export function accessDenied(requestId: string, callerArn: string, resourceArn: string, explicit: boolean): HttpReply {
  const message = `User: ${callerArn} is not authorized to perform: execute-api:Invoke on resource: ${maskAccountInArn(resourceArn)}${explicit ? ' with an explicit deny' : ''}`;
  return errorReply(requestId, 403, 'AccessDeniedException', JSON.stringify({ Message: message }));
}

/**
 * The request validator's answer (gateway response BAD_REQUEST_BODY, 400). Its default template is
 * `{"message":$context.error.messageString}` (oracle: "The default template is …", which is also what gives row #1
 * its exact 42 bytes), so the body is `{"message":"Invalid request body"}` and the type `BadRequestException`.
 */
export function invalidRequestBody(requestId: string): HttpReply {
  return errorReply(requestId, 400, 'BadRequestException', '{"message":"Invalid request body"}');
}

/**
 * A request whose `Content-Type` has no mapping template. Decision (inferred): the infra app defines the model and the
 * integration template for `application/json` only, with passthrough behaviour NEVER, so API Gateway answers 415
 * `Unsupported Media Type` (gateway response UNSUPPORTED_MEDIA_TYPE).
 */
export function unsupportedMediaType(requestId: string): HttpReply {
  return errorReply(requestId, 415, 'UnsupportedMediaTypeException', '{"message":"Unsupported Media Type"}');
}

/** The content type the model and the integration template are defined for. */
export const MODEL_CONTENT_TYPE = 'application/json';

/**
 * The success answer of the asynchronous Lambda integration: 202 with a small JSON body naming the request. The
 * integration response maps Lambda's 202 (an `Event` invoke has no payload) to the method response 202.
 *
 * @param requestId - the gateway request id
 */
export function accepted(requestId: string): HttpReply {
  return { kind: 'respond', status: 202, headers: gatewayHeaders(requestId), body: acceptedResponseBody(requestId) };
}

/**
 * The gateway response for an injected status (the fault `{ mode: 'status' }`), with the default bodies API Gateway
 * uses for them (supported-gateway-response-types: THROTTLED 429, DEFAULT_5XX, INTEGRATION_TIMEOUT 504).
 *
 * @param requestId - the gateway request id
 * @param status - the status to answer
 */
export function gatewayStatus(requestId: string, status: number): HttpReply {
  const known: Record<number, [string, string]> = {
    429: ['TooManyRequestsException', 'Too Many Requests'],
    500: ['InternalServerErrorException', 'Internal server error'],
    502: ['InternalServerErrorException', 'Internal server error'],
    503: ['ServiceUnavailableException', 'Service Unavailable'],
    504: ['InternalServerErrorException', 'Endpoint request timed out'],
  };
  const [errorType, message] = known[status] ?? [status >= 500 ? 'InternalServerErrorException' : 'BadRequestException', `HTTP ${status}`];
  return errorReply(requestId, status, errorType, JSON.stringify({ message }));
}
