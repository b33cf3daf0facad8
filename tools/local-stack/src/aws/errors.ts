import { randomUUID } from 'node:crypto';
import type { SigV4AuthError } from '@slack-ai-app/aws-emulation';
import type { HttpReply } from '../http/types';
import { queryError } from './query-protocol';

/** The wire protocol family of an emulated service, which decides its error shape. */
export type AwsProtocol = 'rest-json' | 'aws-json' | 'aws-query';

/**
 * An error as restJson1 services (Lambda, Bedrock Runtime) send it: `x-amzn-ErrorType` header and a JSON body with a
 * message. The SDK reads the error code from the header.
 *
 * @param status - HTTP status
 * @param errorType - e.g. `ResourceNotFoundException`
 * @param message - the message
 * @param extra - more body fields (e.g. Lambda's `Type: 'User'`)
 * @param messageKey - `message` (most services) or `Message` (Lambda)
 */
export function restJsonError(status: number, errorType: string, message: string, extra: Record<string, unknown> = {}, messageKey = 'message'): HttpReply {
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ ...extra, [messageKey]: message }),
  };
}

/**
 * An error as awsJson1.0/1.1 services (DynamoDB, Secrets Manager) send it: a JSON body with `__type` and `message`.
 *
 * @param status - HTTP status (400 for client errors, as these services answer)
 * @param errorType - e.g. `ResourceNotFoundException`
 * @param message - the message
 * @param namespace - the shape namespace prefix of `__type`, if the service uses one
 */
export function awsJsonError(status: number, errorType: string, message: string, namespace?: string): HttpReply {
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ __type: namespace === undefined ? errorType : `${namespace}#${errorType}`, message }),
  };
}

/**
 * Renders a SigV4 authentication failure from the SigV4 verifier (`tools/aws-emulation`) for a service other than execute-api:
 * rest-json services get the verifier's status, header and body unchanged (the wording is AWS-wide); aws-json services
 * get the same message as a 400 with `__type`, as DynamoDB and Secrets Manager answer; Query services (STS,
 * CloudFormation) the verifier's status with the message in Query's XML error shape.
 *
 * @param error - the verifier's error
 * @param protocol - the service's protocol
 */
export function sigV4ErrorReply(error: SigV4AuthError, protocol: AwsProtocol): HttpReply {
  if (protocol === 'rest-json') {
    return {
      kind: 'respond',
      status: error.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.errorType, 'x-amzn-requestid': randomUUID() },
      body: error.body,
    };
  }
  if (protocol === 'aws-query') {
    // Query services name an unknown access key InvalidClientTokenId (403), where JSON services say
    // UnrecognizedClientException. Source: https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
    const code = error.errorType === 'UnrecognizedClientException' ? 'InvalidClientTokenId' : error.errorType;
    return queryError(error.status, code, messageOf(error.body));
  }
  return awsJsonError(400, error.errorType, messageOf(error.body), 'com.amazon.coral.service');
}

/** Reads `message` (or `Message`) out of a JSON error body; the raw text when it is not JSON. */
export function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const message = parsed['message'] ?? parsed['Message'];
    return typeof message === 'string' ? message : body;
  } catch {
    return body;
  }
}
