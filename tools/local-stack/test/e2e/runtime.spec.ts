import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { isExecutionApiEvent } from '@slack-ai-app/execution-api-contract';
import { type InvocationTrace, type LocalStack } from '../../src';
import { credentialsOf, executionRequest, rawRequest, signedPost, startTestStack } from '../support/stack';

/*
 * The Lambda runtime emulation, observed through a test bundle that logs what it receives: Function URL events,
 * Lambda's environment and context, log capture, warm containers, the concurrency bound, crashes, timeouts, INIT
 * errors, async retries, the secrets extension, and the event the execution API hands over.
 */

const FIXTURES = join(__dirname, '..', 'fixtures');
const ECHO = join(FIXTURES, 'echo-lambda', 'main.js');

interface EchoRecord {
  kind: 'echo';
  invocations: number;
  loadedAt: number;
  event: Record<string, unknown>;
  context: Record<string, unknown>;
  env: Record<string, string | undefined>;
}

let stack: LocalStack;
let lambda: LambdaClient;

beforeAll(async () => {
  stack = await startTestStack({
    functions: {
      verification: { bundlePath: ECHO, environment: { CUSTOM: 'verification-value' } },
      execution: { bundlePath: ECHO, reservedConcurrency: 2 },
    },
    asyncRetryDelaysMs: [10, 10],
  });
  lambda = new LambdaClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('developer') });
});

afterAll(async () => {
  lambda?.destroy();
  await stack?.stop();
});

afterEach(() => stack.faults.clear());

function echoes(functionName: string, requestId?: string): EchoRecord[] {
  return stack.logs
    .events({ functionName, ...(requestId === undefined ? {} : { requestId }) })
    .filter((line): line is EchoRecord & Record<string, unknown> => line['kind'] === 'echo') as unknown as EchoRecord[];
}

async function invokeSync(payload: unknown): Promise<{ status: number | undefined; functionError: string | undefined; body: unknown }> {
  const output = await lambda.send(new InvokeCommand({ FunctionName: stack.functions.execution.name, Payload: Buffer.from(JSON.stringify(payload)) }));
  return { status: output.StatusCode, functionError: output.FunctionError, body: JSON.parse(Buffer.from(output.Payload ?? []).toString('utf8')) };
}

describe('a function behind the local Function URL', () => {
  it('receives a payload format 2.0 event, Lambda-like environment and context, and its answer becomes the HTTP response', async () => {
    const response = await rawRequest(`${stack.urls.slackEvents}?probe=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    const answer = JSON.parse(response.body) as { echoed: Record<string, unknown> };
    expect(answer.echoed).toMatchObject({ version: '2.0', rawPath: '/slack/events', rawQueryString: 'probe=1', body: '{"hello":"world"}', isBase64Encoded: false });

    const [record] = echoes(stack.functions.verification.name);
    const verification = stack.credentials.principals.verification;
    expect(record?.env).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: verification.accessKeyId,
      AWS_SESSION_TOKEN: verification.sessionToken,
      AWS_LAMBDA_FUNCTION_NAME: stack.functions.verification.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_ENDPOINT_URL: stack.urls.aws,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: expect.stringMatching(/^\d+$/),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${stack.functions.verification.name}`,
      IDEMPOTENCY_TABLE_NAME: undefined,
      SLACK_API_URL: undefined,
      USE_API_GATEWAY_PERCENTAGE: '100',
      CUSTOM: 'verification-value',
    });
    const logLine = stack.logs.entries({ functionName: stack.functions.verification.name, stream: 'stdout' })[0];
    expect(record?.context).toEqual({
      awsRequestId: logLine?.requestId,
      functionName: stack.functions.verification.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${stack.functions.verification.name}`,
      memoryLimitInMB: '512',
      logGroupName: `/aws/lambda/${stack.functions.verification.name}`,
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
      remainingPositive: true,
    });
  });

  it('reuses the warm container: module scope runs once, and only the first REPORT has an Init Duration', async () => {
    await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{}' });
    await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{}' });
    const records = echoes(stack.functions.verification.name);
    expect(records.map((r) => r.invocations)).toEqual([1, 2, 3]);
    expect(new Set(records.map((r) => r.loadedAt)).size).toBe(1);
    const reports = stack.logs.entries({ functionName: stack.functions.verification.name, stream: 'platform' }).filter((e) => e.line.startsWith('REPORT'));
    expect(reports.map((r) => r.line.includes('Init Duration'))).toEqual([true, false, false]);
  });

  it('captures every line the handler writes, in order, attributed to its invocation', async () => {
    await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{"command":{"writeChannels":true}}' });
    const last = stack.trace.entries().filter((e): e is InvocationTrace => e.kind === 'invocation').at(-1);
    const lines = stack.logs.entries({ requestId: last?.requestId }).map((e) => [e.stream, e.line.startsWith('{') ? 'json' : e.line]);
    expect(lines.map(([, line]) => line)).toEqual([
      expect.stringMatching(/^START RequestId: /),
      'json',
      'via-stdout-write',
      'via-console-error',
      'via-fs-writeSync-1',
      'partial line without newline',
      expect.stringMatching(/^END RequestId: /),
      expect.stringMatching(/^REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB$/),
    ]);
    expect(lines.find(([, line]) => line === 'via-console-error')?.[0]).toBe('stderr');
  });

  it('supports callback-style handlers', async () => {
    await stack.functions.verification.updateConfiguration({ bundlePath: join(FIXTURES, 'callback-lambda', 'main.js') });
    try {
      const response = await rawRequest(`${stack.urls.slackEvents}/x`, { method: 'POST', body: '' });
      expect(response).toMatchObject({ status: 200, body: '{"path":"/slack/events/x"}' });
      expect(response.headers['x-style']).toBe('callback');
    } finally {
      await stack.functions.verification.updateConfiguration({ bundlePath: ECHO });
    }
  });

  it('answers 502 when the handler throws, and 502 when INIT fails (the INIT output is captured)', async () => {
    const failed = await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{"command":{"fail":"nope"}}' });
    expect(failed).toMatchObject({ status: 502, body: 'Internal Server Error' });

    await stack.functions.verification.updateConfiguration({ bundlePath: join(FIXTURES, 'broken-init-lambda', 'main.js') });
    try {
      const broken = await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{}' });
      expect(broken.status).toBe(502);
      const attempt = stack.trace.entries().filter((e): e is InvocationTrace => e.kind === 'invocation').at(-1);
      expect(attempt).toMatchObject({ outcome: 'error', errorType: 'TypeError', coldStart: true });
      expect(stack.logs.entries({ functionName: stack.functions.verification.name }).some((e) => e.line === 'init starting')).toBe(true);
    } finally {
      await stack.functions.verification.updateConfiguration({ bundlePath: ECHO });
    }
  });

  it('discards a crashed container and cold-starts the next invocation', async () => {
    expect((await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{}' })).status).toBe(200); // a warm container
    const crashed = await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{"command":{"crash":true}}' });
    expect(crashed.status).toBe(502);
    const next = await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{}' });
    expect(next.status).toBe(200);
    const attempts = stack.trace.entries().filter((e): e is InvocationTrace => e.kind === 'invocation').slice(-2);
    expect(attempts.map((a) => [a.outcome, a.errorType, a.coldStart])).toEqual([
      ['error', 'Runtime.ExitError', false],
      ['success', undefined, true],
    ]);
  });

  it('ends an invocation at the function timeout with Sandbox.Timedout', async () => {
    await stack.functions.verification.updateConfiguration({ timeoutSeconds: 1 });
    try {
      const response = await rawRequest(stack.urls.slackEvents, { method: 'POST', body: '{"command":{"hang":true}}' });
      expect(response.status).toBe(502);
      const attempt = stack.trace.entries().filter((e): e is InvocationTrace => e.kind === 'invocation').at(-1);
      expect(attempt).toMatchObject({ outcome: 'error', errorType: 'Sandbox.Timedout' });
      expect(stack.logs.entries({ requestId: attempt?.requestId }).some((e) => / Task timed out after 1\.00 seconds$/.test(e.line))).toBe(true);
    } finally {
      await stack.functions.verification.updateConfiguration({ timeoutSeconds: 10 });
    }
  });
});

describe('the Lambda Invoke API and asynchronous invocation', () => {
  it('runs RequestResponse synchronously and reports function errors as Unhandled', async () => {
    expect(await invokeSync({ ping: 1 })).toMatchObject({ status: 200, functionError: undefined, body: { echoed: { ping: 1 } } });
    expect(await invokeSync({ command: { fail: 'sync failure' } })).toMatchObject({
      status: 200,
      functionError: 'Unhandled',
      body: { errorType: 'EchoFailure', errorMessage: 'sync failure' },
    });
  });

  it('answers 202 to an Event invoke, retries a failing event twice with the same request id, then dead-letters it intact', async () => {
    const payload = { event_id: 'EvRUNTIME01', command: { fail: 'always' }, nested: { keep: ['me', 1, true, null] } };
    const output = await lambda.send(new InvokeCommand({ FunctionName: stack.functions.execution.name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
    expect(output.StatusCode).toBe(202);
    await stack.waitForIdle();
    const attempts = stack.trace.forEvent('EvRUNTIME01').filter((e): e is InvocationTrace => e.kind === 'invocation');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(new Set(attempts.map((a) => a.requestId)).size).toBe(1);
    const record = stack.deadLetters.list().find((r) => r.requestContext.requestId === attempts[0]?.requestId);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${stack.functions.execution.name}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'EchoFailure', errorMessage: 'always' },
    });
    expect(record?.requestPayload).toEqual(payload);

    const overHttp = JSON.parse((await rawRequest(stack.urls.deadLetters)).body) as { deadLetters: unknown[] };
    expect(overHttp.deadLetters).toContainEqual(record);
  });

  it('queues events beyond the reserved concurrency instead of running more containers', async () => {
    const before = stack.functions.execution.containers;
    const sends = [1, 2, 3, 4].map((n) =>
      lambda.send(new InvokeCommand({ FunctionName: stack.functions.execution.name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ event_id: `EvCONC${n}`, command: { sleepMs: 150 } })) })),
    );
    expect((await Promise.all(sends)).map((o) => o.StatusCode)).toEqual([202, 202, 202, 202]);
    await stack.waitForIdle();
    const attempts = [1, 2, 3, 4].flatMap((n) => stack.trace.forEvent(`EvCONC${n}`)).filter((e): e is InvocationTrace => e.kind === 'invocation');
    expect(attempts.every((a) => a.outcome === 'success')).toBe(true);
    expect(new Set(attempts.map((a) => a.containerId)).size).toBeLessThanOrEqual(2);
    expect(Math.max(before, stack.functions.execution.containers)).toBeLessThanOrEqual(2);
  });

  it('answers ResourceNotFoundException for an unknown function', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'no-such-function', InvocationType: 'Event', Payload: Buffer.from('{}') }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('the Parameters and Secrets extension, from inside a function', () => {
  it('serves the secret its role may read to the function holding its session token; refuses other tokens and other secrets', async () => {
    const ok = (await invokeSync({ command: { secretId: stack.credentials.slack.botTokenName } })).body as { status: number; body: string };
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({
      Name: stack.credentials.slack.botTokenName,
      SecretString: stack.credentials.slack.botToken,
      VersionStages: ['AWSCURRENT'],
      ARN: stack.credentials.slack.botTokenArn,
    });
    expect(((await invokeSync({ command: { secretId: stack.credentials.slack.botTokenName, token: stack.credentials.principals.verification.sessionToken } })).body as { status: number }).status).toBe(401);
    expect(((await invokeSync({ command: { secretId: stack.credentials.slack.botTokenName, noToken: true } })).body as { status: number }).status).toBe(401);
    // The role may read only its own secret (the template's policy): anything else is refused before it is looked up.
    const caller = stack.credentials.principals.execution.callerArn;
    for (const secretId of ['no/such/secret', stack.credentials.slack.signingSecretName]) {
      expect((await invokeSync({ command: { secretId } })).body).toEqual({
        status: 400,
        body: `AccessDeniedException: User: ${caller} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${secretId} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
      });
    }
  });
});

describe('the execution API hand-off', () => {
  it('hands the execution function the event the integration template renders', async () => {
    const body = JSON.stringify(executionRequest({ event_id: 'EvHANDOFF1' }));
    const response = await signedPost(stack.urls.executeApi, body, { headers: { 'X-Correlation-Id': "corr-'1'" } });
    expect(response.status).toBe(202);
    const requestId = response.headers['x-amzn-requestid'];
    expect(JSON.parse(response.body)).toEqual({ status: 'accepted', requestId });
    await stack.waitForIdle();
    const [record] = echoes(stack.functions.execution.name).filter((r) => (r.event['body'] as Record<string, unknown> | undefined)?.['event_id'] === 'EvHANDOFF1');
    expect(isExecutionApiEvent(record?.event)).toBe(true);
    expect(record?.event).toEqual({
      kind: 'execution_api_request',
      body: JSON.parse(body),
      requestId,
      correlationId: "corr-'1'",
      identity: {
        userArn: stack.credentials.principals.verification.callerArn,
        caller: stack.credentials.principals.verification.callerId,
        accountId: '000000000000',
        sourceIp: '127.0.0.1',
      },
    });
    expect(record?.env['AWS_ACCESS_KEY_ID']).toBe(stack.credentials.principals.execution.accessKeyId);
  });
});
