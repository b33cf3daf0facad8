import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalStack } from '../../src';
import { credentialsOf, rawRequest, startTestStack } from '../support/stack';

/*
 * A redeploy re-synthesizes the infra app with the new context (as `cdk deploy -c …` would) and swaps the running
 * configuration: the template decides the routing variables and the invoke grant, not a side path.
 */

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

function verificationEnvironment(): Readonly<Record<string, string>> {
  return stack.functions.verification.configuration.environment;
}

async function postDeployment(body: unknown) {
  return rawRequest(`${stack.urls.aws}/_local/deployments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Invokes the execution function asynchronously as the verification role: the direct path's call. */
async function invokeAsVerification(): Promise<number | string> {
  const lambda = new LambdaClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('verification'), maxAttempts: 1 });
  try {
    const output = await lambda.send(new InvokeCommand({ FunctionName: stack.functions.execution.name, InvocationType: 'DryRun' }));
    return output.StatusCode ?? 0;
  } catch (error) {
    return (error as Error).name;
  } finally {
    lambda.destroy();
  }
}

describe('stack.redeploy', () => {
  it('deploys the percentage the template synthesizes from the context, and updates only the functions that changed', async () => {
    const execution = stack.functions.execution.configuration;
    const assembly = stack.assemblyDirectory;
    expect(await stack.redeploy({ executionApiPercentage: 50 })).toEqual({ executionApiPercentage: 50, enableDirectInvokeFallback: true });
    expect(verificationEnvironment()['USE_API_GATEWAY_PERCENTAGE']).toBe('50');
    expect(stack.functions.execution.configuration).toBe(execution);
    expect(stack.assemblyDirectory).not.toBe(assembly);
  }, 180_000);

  it('over HTTP, enableDirectInvokeFallback=false removes EXECUTION_FUNCTION_ARN, its alias BEDROCK_PROCESSOR_ARN and the invoke grant, keeping the percentage', async () => {
    expect(verificationEnvironment()['BEDROCK_PROCESSOR_ARN']).toBe(stack.functions.execution.arn);
    expect(verificationEnvironment()['EXECUTION_FUNCTION_ARN']).toBe(stack.functions.execution.arn);
    expect(await invokeAsVerification()).toBe(204);
    const response = await postDeployment({ context: { executionApiPercentage: 100, enableDirectInvokeFallback: false } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      context: { executionApiPercentage: '100', enableDirectInvokeFallback: 'false' },
      updatedFunctions: [stack.functions.verification.name],
    });
    expect(stack.handoff).toEqual({ executionApiPercentage: 100, enableDirectInvokeFallback: false });
    expect(verificationEnvironment()['BEDROCK_PROCESSOR_ARN']).toBeUndefined();
    expect(verificationEnvironment()['EXECUTION_FUNCTION_ARN']).toBeUndefined();
    expect(verificationEnvironment()['USE_API_GATEWAY_PERCENTAGE']).toBe('100');
    expect(await invokeAsVerification()).toBe('AccessDeniedException');
  }, 180_000);

  it('GetFunctionConfiguration (the real Lambda client) reads the environment the redeploy set', async () => {
    const lambda = new LambdaClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('developer'), maxAttempts: 1 });
    try {
      const output = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: stack.functions.verification.name }));
      expect([output.FunctionArn, output.Environment?.Variables?.['USE_API_GATEWAY_PERCENTAGE'], output.Environment?.Variables?.['BEDROCK_PROCESSOR_ARN']]).toEqual([
        stack.functions.verification.arn,
        '100',
        undefined,
      ]);
      await expect(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'no-such-function' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      lambda.destroy();
    }
  });

  it('refuses a bad context with 400 and changes nothing', async () => {
    const before = verificationEnvironment();
    const response = await postDeployment({ context: { executionApiPercentage: 150 } });
    expect([response.status, JSON.parse(response.body)]).toEqual([400, { error: 'RedeployError', message: 'executionApiPercentage must be an integer from 0 to 100, not 150' }]);
    const unknown = await postDeployment({ context: { memorySize: 1024 } });
    expect(JSON.parse(unknown.body).message).toBe('memorySize is not a context value a redeploy changes (executionApiPercentage, useApiGateway, enableDirectInvokeFallback)');
    expect(verificationEnvironment()).toBe(before);
  });

  it('refuses an assembly that cannot be deployed with 400, before changing anything', async () => {
    const before = verificationEnvironment();
    const response = await postDeployment({ assemblyDirectory: 'tmp/no-such-assembly' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).message).toMatch(/^the assembly in .*no-such-assembly cannot be deployed: /);
    expect(verificationEnvironment()).toBe(before);
  });
});
