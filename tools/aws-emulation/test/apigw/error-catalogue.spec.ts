import {
  GATEWAY_ANSWER_PATTERNS,
  accessDeniedAnswer,
  explicitDenyPattern,
  gatewayStatusAnswer,
  invalidRequestBodyAnswer,
  maskAccountInArn,
  missingAuthenticationTokenAnswer,
  unsupportedMediaTypeAnswer,
  type GatewayAnswerPattern,
  type GatewayErrorAnswer,
} from '../../src';
import {
  dateFormatError,
  incompleteAuthorizationError,
  missingEqualSignError,
  signatureExpiredError,
  signatureMismatchError,
  signatureNotYetCurrentError,
  unrecognizedKeyError,
} from '../../src/apigw/error-catalogue';

const METHOD = 'arn:aws:execute-api:us-east-1:123456787089:abc/prod/POST/execute';
const CALLER = 'arn:aws:sts::123456787089:assumed-role/other/s';

function matches(pattern: GatewayAnswerPattern, answer: GatewayErrorAnswer): boolean {
  return answer.status === pattern.status && (pattern.errorType === undefined || answer.errorType === pattern.errorType) && pattern.body.test(answer.body);
}

describe('the API Gateway error catalogue', () => {
  it('answers row #1 with the exact 42-byte body', () => {
    const answer = missingAuthenticationTokenAnswer();
    expect(answer).toEqual({ status: 403, errorType: 'MissingAuthenticationTokenException', body: '{"message":"Missing Authentication Token"}' });
    expect(Buffer.byteLength(answer.body)).toBe(42);
  });

  it('answers rows #7 and #8 with the caller, the masked method ARN and "Message"', () => {
    expect(maskAccountInArn(METHOD)).toBe('arn:aws:execute-api:us-east-1:********7089:abc/prod/POST/execute');
    expect(accessDeniedAnswer(CALLER, METHOD, true)).toEqual({
      status: 403,
      errorType: 'AccessDeniedException',
      body: `{"Message":"User: ${CALLER} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********7089:abc/prod/POST/execute with an explicit deny"}`,
    });
    expect(accessDeniedAnswer(CALLER, METHOD, false).body).toBe(
      `{"Message":"User: ${CALLER} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********7089:abc/prod/POST/execute"}`,
    );
  });

  it('answers validation, media type and gateway statuses with their default bodies', () => {
    expect(invalidRequestBodyAnswer()).toEqual({ status: 400, errorType: 'BadRequestException', body: '{"message":"Invalid request body"}' });
    expect(unsupportedMediaTypeAnswer()).toEqual({ status: 415, errorType: 'UnsupportedMediaTypeException', body: '{"message":"Unsupported Media Type"}' });
    expect([429, 500, 502, 503, 504, 418].map((status) => gatewayStatusAnswer(status))).toEqual([
      { status: 429, errorType: 'TooManyRequestsException', body: '{"message":"Too Many Requests"}' },
      { status: 500, errorType: 'InternalServerErrorException', body: '{"message":"Internal server error"}' },
      { status: 502, errorType: 'InternalServerErrorException', body: '{"message":"Internal server error"}' },
      { status: 503, errorType: 'ServiceUnavailableException', body: '{"message":"Service Unavailable"}' },
      { status: 504, errorType: 'InternalServerErrorException', body: '{"message":"Endpoint request timed out"}' },
      { status: 418, errorType: 'BadRequestException', body: '{"message":"HTTP 418"}' },
    ]);
  });

  it('recognises each answer it builds with its own pattern, and no other', () => {
    const built: Record<keyof typeof GATEWAY_ANSWER_PATTERNS, GatewayErrorAnswer> = {
      missingToken: missingAuthenticationTokenAnswer(),
      incompleteSignature: incompleteAuthorizationError(['Signature'], false, 'AWS4-HMAC-SHA256 Credential=x'),
      signatureMismatch: signatureMismatchError('POST\n/', 'AWS4-HMAC-SHA256\n20240102T030405Z'),
      signatureExpired: signatureExpiredError('20240102T025905Z', '20240102T025905Z', '20240102T030405Z', 300),
      signatureNotYetCurrent: signatureNotYetCurrentError('20240102T031006Z', '20240102T030905Z', '20240102T030405Z', 300),
      dateFormat: dateFormatError('2024-01-02'),
      unknownKey: unrecognizedKeyError(),
    };
    for (const [name, pattern] of Object.entries(GATEWAY_ANSWER_PATTERNS)) {
      const recognised = Object.entries(built).filter(([, answer]) => matches(pattern, answer)).map(([builtName]) => builtName);
      expect([name, recognised]).toEqual([name, [name]]);
    }
    expect(matches(GATEWAY_ANSWER_PATTERNS.incompleteSignature, missingEqualSignError('Bearer', 'Bearer x'))).toBe(true);
  });

  it('recognises row #7 for exactly that caller and method', () => {
    const pattern = explicitDenyPattern(CALLER, maskAccountInArn(METHOD));
    expect(matches(pattern, accessDeniedAnswer(CALLER, METHOD, true))).toBe(true);
    expect(matches(pattern, accessDeniedAnswer(CALLER, METHOD, false))).toBe(false);
    expect(matches(pattern, accessDeniedAnswer('arn:aws:sts::123456787089:assumed-role/other/t', METHOD, true))).toBe(false);
  });
});
