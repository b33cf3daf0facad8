import { join } from 'node:path';
import { BedrockClient, GetFoundationModelCommand, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, GetLayerVersionByArnCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalStack } from '../../src';
import { credentialsOf, startTestStack } from '../support/stack';

/*
 * IAM on the read-only control-plane calls, through the real SDK clients: a role whose identity policy allows only
 * execute-api, secret reads and Lambda invokes (`otherRole`) is refused each call in the service's own error shape,
 * while STS GetCallerIdentity, which needs no permission, still answers it; the developer user (allow-all) is served.
 */

const ECHO = join(__dirname, '..', 'fixtures', 'echo-lambda', 'main.js');
const LAYER = 'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:4';
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const PROFILE = `us.${MODEL}`;

let stack: LocalStack;
const asPrincipal = (principal: 'otherRole' | 'developer') => ({ region: 'us-east-1', endpoint: stack.urls.aws, maxAttempts: 1, credentials: credentialsOf(principal) });

beforeAll(async () => {
  stack = await startTestStack({ functions: { verification: { bundlePath: ECHO }, execution: { bundlePath: ECHO } } });
});
afterAll(async () => stack?.stop());

/** The error a call rejects with: its name, HTTP status and message. */
async function refusal(call: Promise<unknown>): Promise<[string, number | undefined, string]> {
  try {
    await call;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return [e.name, e.$metadata?.httpStatusCode, e.message];
  }
  throw new Error('the call was allowed');
}

describe('read-only control-plane calls under IAM', () => {
  const caller = () => stack.credentials.principals.otherRole.callerArn;
  const because = (action: string) => `because no identity-based policy allows the ${action} action`;

  it('CloudFormation DescribeStacks: 403 AccessDenied (Query XML) on the stack ARN, or stack/*/* when no stack is named', async () => {
    const client = new CloudFormationClient(asPrincipal('otherRole'));
    try {
      expect(await refusal(client.send(new DescribeStacksCommand({ StackName: 'SlackBedrockStack' })))).toEqual([
        'AccessDenied',
        403,
        `User: ${caller()} is not authorized to perform: cloudformation:DescribeStacks on resource: arn:aws:cloudformation:us-east-1:000000000000:stack/SlackBedrockStack/* ${because('cloudformation:DescribeStacks')}`,
      ]);
      expect(await refusal(client.send(new DescribeStacksCommand({})))).toEqual([
        'AccessDenied',
        403,
        `User: ${caller()} is not authorized to perform: cloudformation:DescribeStacks on resource: arn:aws:cloudformation:us-east-1:000000000000:stack/*/* ${because('cloudformation:DescribeStacks')}`,
      ]);
    } finally {
      client.destroy();
    }
  });

  it('Lambda GetLayerVersionByArn and GetFunctionConfiguration: 403 AccessDeniedException', async () => {
    const client = new LambdaClient(asPrincipal('otherRole'));
    try {
      expect(await refusal(client.send(new GetLayerVersionByArnCommand({ Arn: LAYER })))).toEqual([
        'AccessDeniedException',
        403,
        `User: ${caller()} is not authorized to perform: lambda:GetLayerVersion on resource: ${LAYER} ${because('lambda:GetLayerVersion')}`,
      ]);
      const fn = stack.functions.execution;
      expect(await refusal(client.send(new GetFunctionConfigurationCommand({ FunctionName: fn.name })))).toEqual([
        'AccessDeniedException',
        403,
        `User: ${caller()} is not authorized to perform: lambda:GetFunctionConfiguration on resource: ${fn.arn} ${because('lambda:GetFunctionConfiguration')}`,
      ]);
    } finally {
      client.destroy();
    }
  });

  it('Bedrock GetFoundationModel and GetInferenceProfile: 403 AccessDeniedException', async () => {
    const client = new BedrockClient(asPrincipal('otherRole'));
    try {
      expect(await refusal(client.send(new GetFoundationModelCommand({ modelIdentifier: MODEL })))).toEqual([
        'AccessDeniedException',
        403,
        `User: ${caller()} is not authorized to perform: bedrock:GetFoundationModel on resource: arn:aws:bedrock:us-east-1::foundation-model/${MODEL} ${because('bedrock:GetFoundationModel')}`,
      ]);
      expect(await refusal(client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: PROFILE })))).toEqual([
        'AccessDeniedException',
        403,
        `User: ${caller()} is not authorized to perform: bedrock:GetInferenceProfile on resource: arn:aws:bedrock:us-east-1:000000000000:inference-profile/${PROFILE} ${because('bedrock:GetInferenceProfile')}`,
      ]);
    } finally {
      client.destroy();
    }
  });

  it('STS GetCallerIdentity needs no permission: the same role is answered', async () => {
    const client = new STSClient(asPrincipal('otherRole'));
    try {
      expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(caller());
    } finally {
      client.destroy();
    }
  });

  it('the developer user (allow-all) is served every call', async () => {
    const cloudFormation = new CloudFormationClient(asPrincipal('developer'));
    const lambda = new LambdaClient(asPrincipal('developer'));
    try {
      expect((await cloudFormation.send(new DescribeStacksCommand({ StackName: 'SlackBedrockStack' }))).Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
      expect((await lambda.send(new GetLayerVersionByArnCommand({ Arn: LAYER }))).LayerVersionArn).toBe(LAYER);
    } finally {
      cloudFormation.destroy();
      lambda.destroy();
    }
  });
});
