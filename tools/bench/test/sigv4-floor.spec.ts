import { RequestSigner } from '@slack-ai-app/signing';
import { amzDate, createSigV4Floor } from '../src/signing/sigv4-floor';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'example-session-token' };
const signingDate = new Date('2015-08-30T12:36:00.000Z');

describe('amzDate', () => {
  it('formats the SigV4 time stamp', () => {
    expect(amzDate(signingDate)).toBe('20150830T123600Z');
  });
});

describe('createSigV4Floor', () => {
  it('reproduces the AWS SigV4 test suite signature for get-vanilla', () => {
    // aws-sig-v4-test-suite/get-vanilla: GET / with host and x-amz-date, empty body.
    const floor = createSigV4Floor({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      region: 'us-east-1',
      service: 'service',
      signingDate,
      method: 'GET',
      canonicalPath: '/',
      signedHeaderNames: ['host', 'x-amz-date'],
    });
    expect(floor({ host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }, '')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('gives exactly the Authorization header RequestSigner gives for the execution request', async () => {
    const body = JSON.stringify({ channel: 'C1', text: 'hello', user_id: 'U1', team_id: 'T1', event_id: 'Ev1', correlation_id: 'c-1' });
    const headers = { 'X-Correlation-Id': 'c-1', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const signer = new RequestSigner({ service: 'execute-api', region: 'us-east-1', credentials: async () => credentials });
    const signed = await signer.sign({ method: 'POST', url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod/execute', headers, body }, { signingDate });
    const floor = createSigV4Floor({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      region: 'us-east-1',
      service: 'execute-api',
      signingDate,
      method: 'POST',
      canonicalPath: '/prod/execute',
      signedHeaderNames: ['content-length', 'content-type', 'host', 'x-amz-date', 'x-amz-security-token', 'X-Correlation-Id'],
    });
    const floorHeaders = {
      'x-correlation-id': 'c-1',
      'content-type': 'application/json',
      'content-length': headers['content-length'],
      host: 'abc.execute-api.us-east-1.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      'x-amz-security-token': credentials.sessionToken,
    };
    expect(floor(floorHeaders, body)).toBe(signed.headers['authorization']);
    expect(floor({ ...floorHeaders, 'x-correlation-id': 'c-2' }, body)).not.toBe(signed.headers['authorization']);
  });
});
