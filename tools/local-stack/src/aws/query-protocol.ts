import { randomUUID } from 'node:crypto';
import type { HttpReply, HttpRequestData } from '../http/types';

/**
 * The AWS Query protocol (STS, CloudFormation): a form-encoded `POST /` naming `Action` and `Version`, answered with
 * XML `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata><RequestId>…` and errors as
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…`.
 * Source: the Smithy awsQuery protocol spec, https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */

/** The parameters of a Query request (the form body; a `GET` carries them in the query string). */
export function queryParams(request: HttpRequestData): URLSearchParams {
  if (request.method === 'GET') return request.query;
  return new URLSearchParams(request.body.toString('utf8'));
}

/** Escapes text for an XML element. */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * A successful Query response.
 *
 * @param action - the operation, e.g. `GetCallerIdentity`
 * @param namespace - the service's XML namespace
 * @param resultXml - the inner XML of `<{action}Result>` (already escaped)
 */
export function queryResponse(action: string, namespace: string, resultXml: string): HttpReply {
  const body =
    `<${action}Response xmlns="${namespace}"><${action}Result>${resultXml}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { kind: 'respond', status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, body };
}

/**
 * A Query error response (the SDK reads `Error/Code` and `Error/Message`).
 *
 * @param status - HTTP status (400 for a client error)
 * @param code - e.g. `ValidationError`
 * @param message - the message
 */
export function queryError(status: number, code: string, message: string): HttpReply {
  const requestId = randomUUID();
  const body =
    `<ErrorResponse><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${xmlText(code)}</Code>` +
    `<Message>${xmlText(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { kind: 'respond', status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
