import { randomBytes, randomUUID } from 'node:crypto';
import { acceptedResponseBody } from '@slack-ai-app/execution-api-contract';
import {
  accessDeniedAnswer,
  gatewayStatusAnswer,
  invalidRequestBodyAnswer,
  missingAuthenticationTokenAnswer,
  unsupportedMediaTypeAnswer,
  type GatewayErrorAnswer,
  type SigV4AuthError,
} from '@slack-ai-app/aws-emulation';
import type { HttpReply } from '../http/types';

/**
 * Every answer of the local execute-api gateway as HTTP: API Gateway's headers around the bodies and error types of
 * the one API Gateway error catalogue (tools/aws-emulation, `src/apigw/error-catalogue.ts`), where every choice the
 * oracle leaves open is decided and cited.
 */
export { maskAccountInArn, unknownRouteAnswer } from '@slack-ai-app/aws-emulation';

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

function errorReply(requestId: string, { status, errorType, body }: GatewayErrorAnswer): HttpReply {
  return { kind: 'respond', status, headers: { ...gatewayHeaders(requestId), [ERROR_TYPE_HEADER]: errorType }, body };
}

/** Oracle row #1: no SigV4 at all on an AWS_IAM method, and also any resource or method that does not exist. */
export function missingAuthenticationToken(requestId: string): HttpReply {
  return errorReply(requestId, missingAuthenticationTokenAnswer());
}

/**
 * Rows #2 to #5: the SigV4 verifier's error (`tools/aws-emulation`) (status, `x-amzn-ErrorType`, exact body) as API Gateway sends it.
 *
 * @param requestId - the gateway request id
 * @param error - the verifier's error
 */
export function authenticationFailed(requestId: string, error: SigV4AuthError): HttpReply {
  return errorReply(requestId, error);
}

/**
 * Oracle rows #7 (explicit deny) and #8 (implicit deny) for an authenticated IAM caller.
 *
 * @param requestId - the gateway request id
 * @param callerArn - e.g. `arn:aws:sts::000000000000:assumed-role/role/session`
 * @param resourceArn - the method ARN
 * @param explicit - an explicit Deny matched (adds ` with an explicit deny`)
 */
export function accessDenied(requestId: string, callerArn: string, resourceArn: string, explicit: boolean): HttpReply {
  return errorReply(requestId, accessDeniedAnswer(callerArn, resourceArn, explicit));
}

/** The request validator's answer: 400 `Invalid request body`. */
export function invalidRequestBody(requestId: string): HttpReply {
  return errorReply(requestId, invalidRequestBodyAnswer());
}

/** A request whose `Content-Type` has no mapping template: 415 `Unsupported Media Type`. */
export function unsupportedMediaType(requestId: string): HttpReply {
  return errorReply(requestId, unsupportedMediaTypeAnswer());
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
 * The gateway response for an injected status (the fault `{ mode: 'status' }`), with API Gateway's default bodies.
 *
 * @param requestId - the gateway request id
 * @param status - the status to answer
 */
export function gatewayStatus(requestId: string, status: number): HttpReply {
  return errorReply(requestId, gatewayStatusAnswer(status));
}
