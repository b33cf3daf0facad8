import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RequestSigner } from '@slack-ai-app/signing';
import { LOCAL_KEYS, type LocalStack } from '../../src';
import { credentialsOf, executionRequest, rawRequest, signedPost, startTestStack } from '../support/stack';

/*
 * The execution API as API Gateway (REST, AWS_IAM) answers it, over real HTTP, against the exact statuses, error types
 * and bodies of docs/api-gateway-behaviour.md. The execution function is a test bundle that records what it
 * receives, so "the execution handler never runs" is observable.
 */

const ECHO = join(__dirname, '..', 'fixtures', 'echo-lambda', 'main.js');
const run = promisify(execFile);
const MASKED_METHOD_ARN = 'arn:aws:execute-api:us-east-1:********0000:localapi/prod/POST/execute';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack({ functions: { verification: { bundlePath: ECHO }, execution: { bundlePath: ECHO } } });
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => stack.faults.clear());

/** How many times the execution function has run so far (after everything in flight has finished). */
async function executionRuns(): Promise<number> {
  await stack.waitForIdle();
  return stack.trace.entries().filter((e) => e.kind === 'invocation' && e.functionName === stack.functions.execution.name).length;
}

function expectGatewayError(response: { status: number; headers: Record<string, unknown>; body: string }, status: number, errorType: string, body: string): void {
  expect({ status: response.status, errorType: response.headers['x-amzn-errortype'], body: response.body }).toEqual({ status, errorType, body });
  expect(response.headers['x-amzn-requestid']).toEqual(expect.any(String));
  expect(response.headers['content-type']).toBe('application/json');
}

const MISSING_TOKEN = '{"message":"Missing Authentication Token"}';

describe('requests that carry no SigV4 to route by', () => {
  it('answers an unsigned POST /prod/execute with 403 Missing Authentication Token (42 bytes)', async () => {
    const response = await rawRequest(stack.urls.executeApi, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(executionRequest()) });
    expectGatewayError(response, 403, 'MissingAuthenticationTokenException', MISSING_TOKEN);
    expect(response.headers['content-length']).toBe('42');
  });

  it.each([
    ['GET', '/prod/execute'],
    ['POST', '/prod/other'],
    ['POST', '/dev/execute'],
    ['GET', '/prod'],
  ])('answers an unsigned %s %s the same way (no 404 on an IAM API)', async (method, path) => {
    expectGatewayError(await rawRequest(`${stack.urls.aws}${path}`, { method }), 403, 'MissingAuthenticationTokenException', MISSING_TOKEN);
  });

  it('answers a correctly signed request for a resource that does not exist with Missing Authentication Token', async () => {
    expectGatewayError(await signedPost(`${stack.urls.executionApiStage}/other`, '{}'), 403, 'MissingAuthenticationTokenException', MISSING_TOKEN);
  });

  it('answers an Authorization header that is not SigV4 with IncompleteSignatureException', async () => {
    const response = await rawRequest(stack.urls.executeApi, { method: 'POST', headers: { authorization: 'Bearer abc', 'content-type': 'application/json' }, body: '{}' });
    expectGatewayError(response, 403, 'IncompleteSignatureException', `{"message":"'abc' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc'."}`);
  });
});

describe('authorization: the resource policy with its explicit Deny, and Table A', () => {
  it('answers 202 to the verification role', async () => {
    const response = await signedPost(stack.urls.executeApi, JSON.stringify(executionRequest({ event_id: 'EvAUTHZ00001' })));
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ status: 'accepted', requestId: response.headers['x-amzn-requestid'] });
  });

  it.each([
    ['otherRole', 'another role in the same account whose identity policy allows execute-api:Invoke on *'],
    ['developer', 'an IAM user with an allow-all identity policy'],
    ['execution', 'a role without any execute-api permission'],
  ] as const)('refuses %s (%s) with the explicit-deny message', async (principal, _description) => {
    const before = await executionRuns();
    const response = await signedPost(stack.urls.executeApi, JSON.stringify(executionRequest({ event_id: `EvDENY${principal}` })), { principal });
    const caller = stack.credentials.principals[principal].callerArn;
    expectGatewayError(
      response,
      403,
      'AccessDeniedException',
      `{"Message":"User: ${caller} is not authorized to perform: execute-api:Invoke on resource: ${MASKED_METHOD_ARN} with an explicit deny"}`,
    );
    expect(await executionRuns()).toBe(before);
  });
});

describe('authentication: SigV4 with API Gateway’s 5-minute skew', () => {
  const gatewayNow = new Date('2024-06-01T12:00:00Z');
  const at = (offsetSeconds: number) => new Date(gatewayNow.getTime() + offsetSeconds * 1000);

  beforeEach(() => stack.faults.set('gatewayClock', { mode: 'fixed', at: gatewayNow }));

  it('answers a signature older than 5 minutes with the exact "Signature expired" message', async () => {
    const response = await signedPost(stack.urls.executeApi, JSON.stringify(executionRequest()), { signingDate: at(-301) });
    expectGatewayError(
      response,
      403,
      'InvalidSignatureException',
      '{"message":"Signature expired: 20240601T115459Z is now earlier than 20240601T115500Z (20240601T120000Z - 5 min.)"}',
    );
  });

  it('answers a signature more than 5 minutes in the future with the exact "Signature not yet current" message', async () => {
    const response = await signedPost(stack.urls.executeApi, JSON.stringify(executionRequest()), { signingDate: at(301) });
    expectGatewayError(
      response,
      403,
      'InvalidSignatureException',
      '{"message":"Signature not yet current: 20240601T120501Z is still later than 20240601T120500Z (20240601T120000Z + 5 min.)"}',
    );
  });

  it('accepts a signature 4 minutes 59 seconds old', async () => {
    const response = await signedPost(stack.urls.executeApi, JSON.stringify(executionRequest({ event_id: 'EvSKEW000001' })), { signingDate: at(-299) });
    expect(response.status).toBe(202);
    expect(stack.faults.injected('gatewayClock')).toBeGreaterThan(0);
  });

  it('answers a body tampered with after signing with 403 InvalidSignatureException, and nothing runs', async () => {
    stack.faults.clear('gatewayClock');
    const before = await executionRuns();
    const signedBody = JSON.stringify(executionRequest({ event_id: 'EvTAMPER0001', text: 'what was signed' }));
    const response = await signedPost(stack.urls.executeApi, signedBody, { tamper: signedBody.replace('what was signed', 'what was sent') });
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    expect(JSON.parse(response.body).message).toMatch(/^The request signature we calculated does not match the signature you provided\./);
    expect(await executionRuns()).toBe(before);
  });

  it.each([
    ['an unknown access key', { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'unknown' }],
    ['a wrong session token', { ...credentialsOf('verification'), sessionToken: 'not-the-session-token' }],
    ['a missing session token', { accessKeyId: LOCAL_KEYS.verification.accessKeyId, secretAccessKey: LOCAL_KEYS.verification.secretAccessKey }],
  ])('answers %s with "The security token included in the request is invalid."', async (_case, credentials) => {
    stack.faults.clear('gatewayClock');
    const signer = new RequestSigner({ service: 'execute-api', region: 'us-east-1', credentials: async () => credentials });
    const signed = await signer.sign({ method: 'POST', url: stack.urls.executeApi, headers: { 'content-type': 'application/json' }, body: '{}' });
    const response = await rawRequest(signed.url, { method: 'POST', headers: signed.headers, body: '{}' });
    expect(response.status).toBe(403);
    expect(response.body).toBe('{"message":"The security token included in the request is invalid."}');
  });
});

describe('request validation against the ExecutionRequest JSON Schema', () => {
  it.each([
    ['a missing required field', JSON.stringify({ ...executionRequest(), channel: undefined })],
    ['a field of the wrong type', JSON.stringify(executionRequest({ text: 42 }))],
    ['a body that is not JSON', '{"channel": '],
    ['a JSON array', '[]'],
  ])('answers %s with 400 Invalid request body, and the execution handler never runs', async (_case, body) => {
    const before = await executionRuns();
    const response = await signedPost(stack.urls.executeApi, body);
    expectGatewayError(response, 400, 'BadRequestException', '{"message":"Invalid request body"}');
    expect(await executionRuns()).toBe(before);
  });

  it('answers a content type without a mapping template with 415', async () => {
    const response = await signedPost(stack.urls.executeApi, JSON.stringify(executionRequest()), { headers: { 'content-type': 'text/plain' } });
    expectGatewayError(response, 415, 'UnsupportedMediaTypeException', '{"message":"Unsupported Media Type"}');
  });
});

describe('faults of the execution API', () => {
  it('answers an injected 500 as API Gateway does, and counts it', async () => {
    stack.faults.set('executeApi', { mode: 'status', status: 500, times: 1 });
    expectGatewayError(await signedPost(stack.urls.executeApi, '{}'), 500, 'InternalServerErrorException', '{"message":"Internal server error"}');
    expect(stack.faults.injected('executeApi')).toBe(1);
  });

  it('drops the connection when the API is down', async () => {
    stack.faults.set('executeApi', { mode: 'down', times: 1 });
    await expect(signedPost(stack.urls.executeApi, '{}')).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('other SigV4 clients', () => {
  const body = (eventId: string) => JSON.stringify(executionRequest({ event_id: eventId }));

  it('accepts curl --aws-sigv4 signed as the verification role, and denies it for the developer user', async () => {
    const v = stack.credentials.principals.verification;
    const accepted = await run('curl', [
      '-sS', '-o', '-', '-w', '\n%{http_code}',
      '--aws-sigv4', 'aws:amz:us-east-1:execute-api',
      '--user', `${v.accessKeyId}:${v.secretAccessKey}`,
      '-H', `x-amz-security-token: ${v.sessionToken ?? ''}`,
      '-H', 'content-type: application/json',
      '-d', body('EvCURL000001'),
      stack.urls.executeApi,
    ]);
    expect(accepted.stdout.trim().split('\n').at(-1)).toBe('202');

    const d = stack.credentials.principals.developer;
    const denied = await run('curl', ['-sS', '-o', '-', '-w', '\n%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:execute-api', '--user', `${d.accessKeyId}:${d.secretAccessKey}`, '-H', 'content-type: application/json', '-d', body('EvCURL000002'), stack.urls.executeApi]);
    const [deniedBody, deniedStatus] = denied.stdout.trim().split('\n');
    expect(deniedStatus).toBe('403');
    expect(deniedBody).toBe(`{"Message":"User: ${d.callerArn} is not authorized to perform: execute-api:Invoke on resource: ${MASKED_METHOD_ARN} with an explicit deny"}`);
  });
});
