import { join } from 'node:path';
import { BedrockClient, GetFoundationModelCommand, GetInferenceProfileCommand, ResourceNotFoundException as BedrockNotFound, ValidationException } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetLayerVersionByArnCommand, LambdaClient, ResourceNotFoundException as LambdaNotFound } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalStack } from '../../src';
import { credentialsOf, startTestStack } from '../support/stack';

/*
 * The read-only calls tools/preflight makes, through the real SDK clients: STS and CloudFormation (Query protocol,
 * XML), Lambda GetLayerVersionByArn and the Bedrock control plane (restJson1), beside Bedrock Runtime on the same
 * signing name.
 */

const ECHO = join(__dirname, '..', 'fixtures', 'echo-lambda', 'main.js');
const ARM_LAYER = 'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:4';
const X86_LAYER = 'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:4';

let stack: LocalStack;
const common = () => ({ region: 'us-east-1', endpoint: stack.urls.aws, maxAttempts: 1, credentials: credentialsOf('developer') });

beforeAll(async () => {
  stack = await startTestStack({ functions: { verification: { bundlePath: ECHO }, execution: { bundlePath: ECHO } } });
});
afterAll(async () => stack?.stop());

describe('STS GetCallerIdentity', () => {
  it('names the caller: a user, and an assumed role with its session', async () => {
    const sts = new STSClient(common());
    expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Arn: 'arn:aws:iam::000000000000:user/local-developer',
      Account: '000000000000',
    });
    const asRole = new STSClient({ ...common(), credentials: credentialsOf('execution') });
    const identity = await asRole.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(stack.credentials.principals.execution.callerArn);
    expect(identity.Arn).toMatch(/^arn:aws:sts::000000000000:assumed-role\/[^/]+\/.+$/);
    sts.destroy();
    asRole.destroy();
  });
});

describe('CloudFormation DescribeStacks', () => {
  it('describes the app stack with the outputs this stack serves', async () => {
    const cloudFormation = new CloudFormationClient(common());
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'SlackBedrockStack' }));
    const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
    expect(outputs).toEqual({
      SlackEventsUrl: stack.urls.slackEvents,
      ExecutionApiUrl: `${stack.urls.executionApiStage}/`,
      VerificationFunctionName: stack.functions.verification.name,
      SlackSigningSecretArn: stack.credentials.slack.signingSecretArn,
      SlackBotTokenSecretArn: stack.credentials.slack.botTokenArn,
    });
    cloudFormation.destroy();
  });

  it('answers a missing stack with ValidationError "does not exist"', async () => {
    const cloudFormation = new CloudFormationClient(common());
    await expect(cloudFormation.send(new DescribeStacksCommand({ StackName: 'Nope' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id Nope does not exist',
      $metadata: { httpStatusCode: 400 },
    });
    cloudFormation.destroy();
  });
});

describe('Lambda GetLayerVersionByArn', () => {
  it('finds the secrets extension layer of the region for both architectures, and nothing else', async () => {
    const lambda = new LambdaClient(common());
    const arm = await lambda.send(new GetLayerVersionByArnCommand({ Arn: ARM_LAYER }));
    expect(arm).toMatchObject({ LayerVersionArn: ARM_LAYER, Version: 4, CompatibleArchitectures: ['arm64'] });
    expect((await lambda.send(new GetLayerVersionByArnCommand({ Arn: X86_LAYER }))).CompatibleArchitectures).toEqual(['x86_64']);
    await expect(lambda.send(new GetLayerVersionByArnCommand({ Arn: ARM_LAYER.replace(':4', ':999') }))).rejects.toBeInstanceOf(LambdaNotFound);
    lambda.destroy();
  });
});

describe('Bedrock control plane, beside Bedrock Runtime', () => {
  it('describes the local model and its inference profile, and refuses others', async () => {
    const bedrock = new BedrockClient(common());
    const profile = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }));
    expect(profile).toMatchObject({ status: 'ACTIVE', type: 'SYSTEM_DEFINED', models: [{ modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0' }] });
    const model = await bedrock.send(new GetFoundationModelCommand({ modelIdentifier: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }));
    expect(model.modelDetails).toMatchObject({ inferenceTypesSupported: ['INFERENCE_PROFILE'], modelLifecycle: { status: 'ACTIVE' } });
    await expect(bedrock.send(new GetFoundationModelCommand({ modelIdentifier: 'amazon.nova-lite-v1:0' }))).rejects.toBeInstanceOf(BedrockNotFound);
    await expect(bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'not a model' }))).rejects.toBeInstanceOf(ValidationException);
    bedrock.destroy();
  });

  it('still routes Converse to the runtime on the same signing name', async () => {
    const runtime = new BedrockRuntimeClient({ ...common(), credentials: credentialsOf('execution') });
    const answer = await runtime.send(
      new ConverseCommand({ modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', messages: [{ role: 'user', content: [{ text: 'hello' }] }] }),
    );
    expect(answer.stopReason).toBe('end_turn');
    runtime.destroy();
  });
});
