import { accessDenied, accepted, gatewayStatus, invalidRequestBody, maskAccountInArn, missingAuthenticationToken, unknownRouteAnswer, unsupportedMediaType } from '../../src/apigw/gateway-responses';
import type { HttpReply } from '../../src/http/types';

function parts(reply: HttpReply) {
  if (reply.kind !== 'respond') throw new Error('expected a response');
  return { status: reply.status, errorType: reply.headers['x-amzn-ErrorType'], body: String(reply.body), requestId: reply.headers['x-amzn-RequestId'] };
}

describe('gateway responses', () => {
  it('answers row #1 with the exact 42-byte body', () => {
    const reply = parts(missingAuthenticationToken('req-1'));
    expect(reply).toEqual({ status: 403, errorType: 'MissingAuthenticationTokenException', body: '{"message":"Missing Authentication Token"}', requestId: 'req-1' });
    expect(Buffer.byteLength(reply.body)).toBe(42);
  });

  it('masks the account id as eight stars and its last four digits', () => {
    expect(maskAccountInArn('arn:aws:execute-api:us-west-2:767553057089:u1hp5d8r0b/api/GET/prod')).toBe('arn:aws:execute-api:us-west-2:********7089:u1hp5d8r0b/api/GET/prod');
  });

  it('answers rows #7 and #8 with Message, the caller ARN and the masked resource', () => {
    const caller = 'arn:aws:sts::000000000000:assumed-role/other/session';
    const resource = 'arn:aws:execute-api:us-east-1:000000000000:localapi/prod/POST/execute';
    expect(parts(accessDenied('r', caller, resource, true))).toMatchObject({
      status: 403,
      errorType: 'AccessDeniedException',
      body: `{"Message":"User: ${caller} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********0000:localapi/prod/POST/execute with an explicit deny"}`,
    });
    expect(parts(accessDenied('r', caller, resource, false)).body).not.toContain('explicit deny');
  });

  it('answers the validator failure as BAD_REQUEST_BODY', () => {
    expect(parts(invalidRequestBody('r'))).toMatchObject({ status: 400, errorType: 'BadRequestException', body: '{"message":"Invalid request body"}' });
  });

  it('answers an unmapped content type with 415', () => {
    expect(parts(unsupportedMediaType('r'))).toMatchObject({ status: 415, body: '{"message":"Unsupported Media Type"}' });
  });

  it('answers 202 with the integration response body', () => {
    expect(parts(accepted('req-9'))).toMatchObject({ status: 202, body: '{"status":"accepted","requestId":"req-9"}' });
  });

  it.each([
    [429, 'TooManyRequestsException', 'Too Many Requests'],
    [500, 'InternalServerErrorException', 'Internal server error'],
    [503, 'ServiceUnavailableException', 'Service Unavailable'],
    [504, 'InternalServerErrorException', 'Endpoint request timed out'],
  ])('renders an injected %i as API Gateway does', (status, errorType, message) => {
    expect(parts(gatewayStatus('r', status))).toMatchObject({ status, errorType, body: JSON.stringify({ message }) });
  });

  it('answers an unknown route with row #1 unless the Authorization header is not SigV4', () => {
    expect(unknownRouteAnswer(false, false)).toBe('missing_authentication_token');
    expect(unknownRouteAnswer(true, true)).toBe('missing_authentication_token');
    expect(unknownRouteAnswer(true, false)).toBe('verifier_error');
  });
});
