import { bedrockPermissions, dynamoDbPermissions } from '../../src/aws/service-iam';
import type { HttpRequestData } from '../../src/http/types';
import { lambdaEnvironment, type FunctionConfiguration } from '../../src/lambda/function';
import { LOCAL_KEYS } from '../../src/iam/principals';

const placement = { region: 'us-east-1', accountId: '000000000000' };

function request(path: string, body: unknown, target?: string): HttpRequestData {
  return {
    method: 'POST',
    rawPath: path,
    path,
    query: new URLSearchParams(),
    headers: target === undefined ? {} : { 'x-amz-target': target },
    body: Buffer.from(JSON.stringify(body)),
    remoteAddress: '127.0.0.1',
  };
}

describe('dynamoDbPermissions', () => {
  const table = (name: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;

  it('names the operation as the action on the table, or on the index a query names', () => {
    expect(dynamoDbPermissions(request('/', { TableName: 'T', Item: {} }, 'DynamoDB_20120810.PutItem'), placement)).toEqual([{ action: 'dynamodb:PutItem', resource: table('T') }]);
    expect(dynamoDbPermissions(request('/', { TableName: 'T', IndexName: 'byUser' }, 'DynamoDB_20120810.Query'), placement)).toEqual([{ action: 'dynamodb:Query', resource: `${table('T')}/index/byUser` }]);
  });

  it('authorizes each table of a batch, each item of a transaction as its own action, and ListTables on *', () => {
    expect(dynamoDbPermissions(request('/', { RequestItems: { A: {}, B: {} } }, 'DynamoDB_20120810.BatchGetItem'), placement)).toEqual([
      { action: 'dynamodb:BatchGetItem', resource: table('A') },
      { action: 'dynamodb:BatchGetItem', resource: table('B') },
    ]);
    expect(dynamoDbPermissions(request('/', { TransactItems: [{ Put: { TableName: 'A' } }, { ConditionCheck: { TableName: 'B' } }] }, 'DynamoDB_20120810.TransactWriteItems'), placement)).toEqual([
      { action: 'dynamodb:PutItem', resource: table('A') },
      { action: 'dynamodb:ConditionCheckItem', resource: table('B') },
    ]);
    expect(dynamoDbPermissions(request('/', {}, 'DynamoDB_20120810.ListTables'), placement)).toEqual([{ action: 'dynamodb:ListTables', resource: '*' }]);
  });

  it('leaves a request without a DynamoDB target to the service', () => {
    expect(dynamoDbPermissions(request('/', { TableName: 'T' }), placement)).toBeUndefined();
  });
});

describe('bedrockPermissions', () => {
  it('authorizes Converse as InvokeModel on the foundation model', () => {
    expect(bedrockPermissions(request('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse', {}), placement)).toEqual([
      { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' },
    ]);
  });

  it('authorizes ConverseStream through an inference profile on the profile, then on its model with bedrock:InferenceProfileArn', () => {
    const profile = 'arn:aws:bedrock:us-east-1:000000000000:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    expect(bedrockPermissions(request('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream', {}), placement)).toEqual([
      { action: 'bedrock:InvokeModelWithResponseStream', resource: profile },
      {
        action: 'bedrock:InvokeModelWithResponseStream',
        resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
        context: { 'bedrock:InferenceProfileArn': profile },
      },
    ]);
  });

  it('takes a model ARN as given, and leaves other paths to the service', () => {
    const arn = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0';
    expect(bedrockPermissions(request(`/model/${encodeURIComponent(arn)}/converse`, {}), placement)).toEqual([{ action: 'bedrock:InvokeModel', resource: arn }]);
    expect(bedrockPermissions(request('/model/x/invoke', {}), placement)).toBeUndefined();
  });
});

describe("lambdaEnvironment's AWS_EXECUTION_ENV", () => {
  const config = (runtime?: string): FunctionConfiguration => ({
    name: 'fn',
    bundlePath: '/dev/null',
    handler: 'handler',
    principal: { ...LOCAL_KEYS.developer, description: '', principalArn: 'arn:aws:iam::000000000000:user/u', callerArn: 'arn:aws:iam::000000000000:user/u', callerId: 'AIDA', identityPolicies: [] },
    environment: {},
    memoryMb: 128,
    timeoutSeconds: 3,
    ...(runtime !== undefined ? { runtime } : {}),
  });
  const wiring = { awsEndpointUrl: 'http://127.0.0.1:4566', extensionPort: 2773 };

  it("follows the template's Runtime, and is absent when there is none", () => {
    expect(lambdaEnvironment(config('nodejs22.x'), wiring, 'stream')['AWS_EXECUTION_ENV']).toBe('AWS_Lambda_nodejs22.x');
    expect(lambdaEnvironment(config(), wiring, 'stream')).not.toHaveProperty('AWS_EXECUTION_ENV');
  });
});
