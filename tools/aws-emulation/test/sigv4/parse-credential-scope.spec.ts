import { parseCredentialScope } from '../../src/sigv4/parse-credential-scope';

describe('parseCredentialScope', () => {
  it('reads the scope of a SigV4 Authorization header', () => {
    expect(
      parseCredentialScope(
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
      ),
    ).toEqual({ accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'execute-api' });
  });

  it('accepts commas without spaces and any parameter order', () => {
    expect(parseCredentialScope('AWS4-HMAC-SHA256 Signature=abc,Credential=AKID/20240102/eu-west-1/lambda/aws4_request,SignedHeaders=host')).toEqual({
      accessKeyId: 'AKID',
      date: '20240102',
      region: 'eu-west-1',
      service: 'lambda',
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['a Bearer token', 'Bearer abc.def.ghi'],
    ['another algorithm', 'AWS4-HMAC-SHA512 Credential=AKID/20240102/us-east-1/execute-api/aws4_request'],
    ['without Credential', 'AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc'],
    ['a four-element credential', 'AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/execute-api'],
    ['a wrong terminator', 'AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/execute-api/aws5_request'],
    ['an empty element', 'AWS4-HMAC-SHA256 Credential=AKID//us-east-1/execute-api/aws4_request'],
  ])('returns undefined for %s', (_what, header) => {
    expect(parseCredentialScope(header)).toBeUndefined();
  });
});
