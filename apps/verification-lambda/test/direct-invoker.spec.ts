import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createDirectInvoker } from '../src/direct-invoker';
import { DirectInvokeError } from '../src/errors';
import { loadLambdaModule } from '../src/lazy-modules';
import { executionRequest } from './support/fixtures';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:execution';
const REQUEST = executionRequest('req-1');

describe('createDirectInvoker', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => lambda.reset());
  afterAll(() => lambda.restore());

  it('invokes asynchronously with the ExecutionRequest JSON as payload and resolves on 202', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const invoker = createDirectInvoker({ functionName: FUNCTION_ARN, region: 'us-east-1' });
    await expect(invoker.invoke(REQUEST)).resolves.toBe(202);
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({ FunctionName: FUNCTION_ARN, InvocationType: 'Event' });
    expect(JSON.parse(Buffer.from(input?.Payload as Uint8Array).toString('utf8'))).toEqual(REQUEST);
  });

  it('creates the Lambda client on first use only, then reuses it', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const load = jest.fn(loadLambdaModule);
    const invoker = createDirectInvoker({ functionName: FUNCTION_ARN, region: 'us-east-1', loadLambdaModule: load });
    expect(load).not.toHaveBeenCalled();
    await invoker.invoke(REQUEST);
    await invoker.invoke(REQUEST);
    expect(load).toHaveBeenCalledTimes(1);
    const clients = new Set(lambda.commandCalls(InvokeCommand).map((call) => call.thisValue));
    expect(clients.size).toBe(1);
  });

  it('bounds the client: two attempts, connection and request timeouts, the configured region', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await createDirectInvoker({ functionName: FUNCTION_ARN, region: 'eu-west-1' }).invoke(REQUEST);
    const client = lambda.commandCalls(InvokeCommand)[0]?.thisValue as LambdaClient;
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(2);
  });

  it.each([200, 204, undefined])('fails with DirectInvokeError when Lambda answers StatusCode %s', async (statusCode) => {
    lambda.on(InvokeCommand).resolves(statusCode === undefined ? {} : { StatusCode: statusCode });
    const error = await createDirectInvoker({ functionName: FUNCTION_ARN, region: 'us-east-1' }).invoke(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectInvokeError);
    expect((error as DirectInvokeError).statusCode).toBe(statusCode);
    expect((error as Error).message).toBe(`lambda:Invoke answered StatusCode ${statusCode ?? 'none'}, expected 202`);
  });

  it('wraps an SDK error in DirectInvokeError with the cause chained', async () => {
    const sdkError = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    lambda.on(InvokeCommand).rejects(sdkError);
    const error = await createDirectInvoker({ functionName: FUNCTION_ARN, region: 'us-east-1' }).invoke(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectInvokeError);
    expect((error as Error).cause).toBe(sdkError);
  });

  it('tries to load the client again after a failed load', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const load = jest.fn(loadLambdaModule);
    load.mockRejectedValueOnce(new Error('Cannot find module'));
    const invoker = createDirectInvoker({ functionName: FUNCTION_ARN, region: 'us-east-1', loadLambdaModule: load });
    await expect(invoker.invoke(REQUEST)).rejects.toThrow(DirectInvokeError);
    await expect(invoker.invoke(REQUEST)).resolves.toBe(202);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
