import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { StackReadError } from '../src/errors';
import { AwsStackReader, describeShare, routingFromEnvironment } from '../src/stack-reader';

const cloudFormation = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);

beforeEach(() => {
  cloudFormation.reset();
  lambda.reset();
});

const STACK = {
  StackName: 'SlackBedrockStack',
  StackStatus: 'UPDATE_COMPLETE' as const,
  CreationTime: new Date('2025-01-01T00:00:00Z'),
  LastUpdatedTime: new Date('2025-03-01T12:00:00Z'),
  Outputs: [
    { OutputKey: 'SlackEventsUrl', OutputValue: 'https://abc.lambda-url.eu-west-1.on.aws/' },
    { OutputKey: 'ExecutionApiUrl', OutputValue: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/' },
    { OutputKey: 'ExecutionApiName', OutputValue: 'SlackBedrockStack-execution-api' },
    { OutputKey: 'VerificationFunctionName', OutputValue: 'SlackBedrockStack-Verification1234' },
  ],
};

function reader(functionName?: string) {
  return new AwsStackReader({
    cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    stackName: 'SlackBedrockStack',
    ...(functionName ? { functionName } : {}),
  });
}

describe('AwsStackReader', () => {
  it('reads the outputs, then the verification function configuration named by VerificationFunctionName', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'SlackBedrockStack' }).resolves({ Stacks: [STACK] });
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'SlackBedrockStack-Verification1234' }).resolves({
      Environment: {
        Variables: {
          USE_API_GATEWAY: 'true',
          USE_API_GATEWAY_PERCENTAGE: '10',
          BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:exec',
          EXECUTION_API_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
        },
      },
    });

    const state = await reader().read();

    expect(state).toEqual({
      stackName: 'SlackBedrockStack',
      stackStatus: 'UPDATE_COMPLETE',
      lastUpdated: new Date('2025-03-01T12:00:00Z'),
      outputs: {
        SlackEventsUrl: 'https://abc.lambda-url.eu-west-1.on.aws/',
        ExecutionApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
        ExecutionApiName: 'SlackBedrockStack-execution-api',
        VerificationFunctionName: 'SlackBedrockStack-Verification1234',
      },
      verificationFunctionName: 'SlackBedrockStack-Verification1234',
      routing: {
        useApiGateway: true,
        effectivePercentage: 100,
        percentage: 10,
        percentageRaw: '10',
        fallbackEnabled: true,
        executionApiUrlSet: true,
      },
    });
    // The ARN of the processor is never kept, only its presence.
    expect(JSON.stringify(state)).not.toContain('function:exec');
  });

  it('uses an explicit function name instead of the output', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ ...STACK, Outputs: [] }] });
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'my-verification' }).resolves({ Environment: { Variables: {} } });
    expect((await reader('my-verification').read()).verificationFunctionName).toBe('my-verification');
  });

  it('names the missing output and the flag that replaces it', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ ...STACK, Outputs: [] }] });
    await expect(reader().read()).rejects.toThrow(
      new StackReadError(
        'stack SlackBedrockStack has no output VerificationFunctionName; deploy the current infra app or pass --function-name ' +
          "(in the two-account layout, read the verification stack with the verification account's credentials, and pass --api-profile/--api-region for the execution account)",
      ),
    );
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
  });

  it('wraps CloudFormation and Lambda failures in StackReadError', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id SlackBedrockStack does not exist'), { name: 'ValidationError' }));
    await expect(reader().read()).rejects.toThrow(
      'cannot describe stack SlackBedrockStack: ValidationError: Stack with id SlackBedrockStack does not exist',
    );

    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [STACK] });
    lambda.on(GetFunctionConfigurationCommand).rejects(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' }));
    await expect(reader().read()).rejects.toThrow(StackReadError);
  });

  it('never calls anything but DescribeStacks and GetFunctionConfiguration', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [STACK] });
    lambda.on(GetFunctionConfigurationCommand).resolves({});
    await reader().read();
    expect(cloudFormation.calls().map((call) => call.args[0].constructor.name)).toEqual(['DescribeStacksCommand']);
    expect(lambda.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetFunctionConfigurationCommand']);
  });
});

describe('routingFromEnvironment', () => {
  it.each([
    [
      {},
      {
        useApiGateway: false,
        effectivePercentage: 0,
        percentage: undefined,
        percentageRaw: undefined,
        fallbackEnabled: false,
        executionApiUrlSet: false,
      },
    ],
    [{ USE_API_GATEWAY: 'false', USE_API_GATEWAY_PERCENTAGE: ' 50 ' }, { useApiGateway: false, effectivePercentage: 50, percentage: 50 }],
    [{ USE_API_GATEWAY: 'TRUE', USE_API_GATEWAY_PERCENTAGE: '10' }, { useApiGateway: true, effectivePercentage: 100, percentage: 10 }],
    [{ USE_API_GATEWAY: 'yes', USE_API_GATEWAY_PERCENTAGE: '150' }, { useApiGateway: false, effectivePercentage: undefined, percentageRaw: '150' }],
    [{ USE_API_GATEWAY_PERCENTAGE: '1.5' }, { percentage: undefined, effectivePercentage: undefined }],
    [{ BEDROCK_PROCESSOR_ARN: '  ' }, { fallbackEnabled: false }],
    // The cleanup check: either name of the execution function's ARN means the fallback is still there.
    [{ BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:x' }, { fallbackEnabled: true }],
    [{ EXECUTION_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:x' }, { fallbackEnabled: true }],
    [{ EXECUTION_FUNCTION_ARN: ' ', BEDROCK_PROCESSOR_ARN: '' }, { fallbackEnabled: false }],
  ])('reads %j', (env, expected) => {
    expect(routingFromEnvironment(env)).toMatchObject(expected);
  });
});

describe('describeShare', () => {
  it('says how much goes through the API and why', () => {
    expect(describeShare(routingFromEnvironment({ USE_API_GATEWAY_PERCENTAGE: '10' }))).toBe('10 %');
    expect(describeShare(routingFromEnvironment({ USE_API_GATEWAY: 'true', USE_API_GATEWAY_PERCENTAGE: '10' }))).toBe(
      '100 % (USE_API_GATEWAY=true)',
    );
    expect(describeShare(routingFromEnvironment({ USE_API_GATEWAY_PERCENTAGE: 'abc' }))).toBe(
      'an invalid USE_API_GATEWAY_PERCENTAGE ("abc")',
    );
  });
});
