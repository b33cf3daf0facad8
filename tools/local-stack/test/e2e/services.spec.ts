import { join } from 'node:path';
import { BedrockRuntimeClient, ConverseCommand, ThrottlingException, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RequestSigner } from '@slack-ai-app/signing';
import { WebClient } from '@slack/web-api';
import type { LocalStack } from '../../src';
import { credentialsOf, rawRequest, startTestStack } from '../support/stack';

/*
 * The emulated AWS services behind the one local endpoint, reached by the real SDK clients with the local keys:
 * Bedrock Runtime (Converse), Secrets Manager, DynamoDB (dynalite), plus routing of unsigned and unknown requests.
 */

const ECHO = join(__dirname, '..', 'fixtures', 'echo-lambda', 'main.js');
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

let stack: LocalStack;
let bedrock: BedrockRuntimeClient;
let secrets: SecretsManagerClient;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  stack = await startTestStack({ functions: { verification: { bundlePath: ECHO }, execution: { bundlePath: ECHO } } });
  const common = { region: 'us-east-1', endpoint: stack.urls.aws, maxAttempts: 1 };
  bedrock = new BedrockRuntimeClient({ ...common, credentials: credentialsOf('execution') });
  secrets = new SecretsManagerClient({ ...common, credentials: credentialsOf('developer') });
  dynamo = new DynamoDBClient({ ...common, credentials: credentialsOf('execution') });
});

afterAll(async () => {
  for (const client of [bedrock, secrets, dynamo]) client?.destroy();
  await stack?.stop();
});

afterEach(() => stack.faults.clear());

/** The idempotency table, named as the template deploys it. */
const table = (): string => stack.deployment.tables[0]?.name as string;

describe('Bedrock Runtime Converse', () => {
  it('answers through @aws-sdk/client-bedrock-runtime with the Converse response shape', async () => {
    stack.modelLatencyMs = 5;
    const output = await bedrock.send(
      new ConverseCommand({
        modelId: MODEL,
        system: [{ text: 'Be brief.' }],
        messages: [
          { role: 'user', content: [{ text: 'first question' }] },
          { role: 'assistant', content: [{ text: 'first answer' }] },
          { role: 'user', content: [{ text: 'What is a local stack?' }] },
        ],
        inferenceConfig: { maxTokens: 512 },
      }),
    );
    expect(output.output?.message).toEqual({
      role: 'assistant',
      content: [{ text: '(local model) You asked: "What is a local stack?"\nEarlier in this thread: 2 messages (1 user message, 1 assistant message).' }],
    });
    expect(output.stopReason).toBe('end_turn');
    expect(output.usage).toEqual({ inputTokens: 16, outputTokens: 31, totalTokens: 47 });
    expect(output.metrics).toEqual({ latencyMs: 5 });
  });

  it('refuses a conversation that does not alternate with the SDK’s ValidationException', async () => {
    const attempt = bedrock.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'user', content: [{ text: 'b' }] }] }));
    await expect(attempt).rejects.toBeInstanceOf(ValidationException);
    await expect(attempt).rejects.toMatchObject({
      message: 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('throttles as many times as asked, then answers again', async () => {
    stack.faults.set('bedrock', { mode: 'status', status: 429, times: 2 });
    const send = () => bedrock.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    await expect(send()).rejects.toBeInstanceOf(ThrottlingException);
    await expect(send()).rejects.toBeInstanceOf(ThrottlingException);
    await expect(send()).resolves.toMatchObject({ stopReason: 'end_turn' });
    expect(stack.faults.injected('bedrock')).toBe(2);
  });
});

describe('Secrets Manager GetSecretValue', () => {
  it.each([
    ['its name', () => stack.credentials.slack.botTokenName],
    ['its ARN', () => stack.credentials.slack.botTokenArn],
    ['its partial ARN', () => stack.credentials.slack.botTokenArn.slice(0, -7)],
  ])('finds a secret by %s', async (_how, secretId) => {
    const output = await secrets.send(new GetSecretValueCommand({ SecretId: secretId() }));
    expect(output).toMatchObject({ Name: stack.credentials.slack.botTokenName, ARN: stack.credentials.slack.botTokenArn, SecretString: stack.credentials.slack.botToken, VersionStages: ['AWSCURRENT'] });
    expect(output.CreatedDate).toBeInstanceOf(Date);
  });

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toEqual(
      expect.objectContaining({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }),
    );
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('serves a rotated value with a new version id', async () => {
    const before = await secrets.send(new GetSecretValueCommand({ SecretId: stack.credentials.slack.signingSecretName }));
    stack.secrets.put(stack.credentials.slack.signingSecretName, 'rotated-local-secret');
    try {
      const after = await secrets.send(new GetSecretValueCommand({ SecretId: stack.credentials.slack.signingSecretName }));
      expect(after.SecretString).toBe('rotated-local-secret');
      expect(after.VersionId).not.toBe(before.VersionId);
    } finally {
      stack.secrets.put(stack.credentials.slack.signingSecretName, stack.credentials.slack.signingSecret);
    }
  });

  it('refuses a request signed with the wrong secret key', async () => {
    const wrong = new SecretsManagerClient({ region: 'us-east-1', endpoint: stack.urls.aws, maxAttempts: 1, credentials: { ...credentialsOf('developer'), secretAccessKey: 'wrong' } });
    try {
      await expect(wrong.send(new GetSecretValueCommand({ SecretId: stack.credentials.slack.botTokenName }))).rejects.toMatchObject({
        name: 'InvalidSignatureException',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      wrong.destroy();
    }
  });
});

describe('Lambda Invoke and Secrets Manager enforce IAM from the template', () => {
  it('refuses the execution role the verification function (no identity grant, and the function policy allows only its URL)', async () => {
    const lambda = new LambdaClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('execution'), maxAttempts: 1 });
    try {
      const fn = stack.functions.verification;
      await expect(lambda.send(new InvokeCommand({ FunctionName: fn.name, Payload: Buffer.from('{}') }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: `User: ${stack.credentials.principals.execution.callerArn} is not authorized to perform: lambda:InvokeFunction on resource: ${fn.arn} because no identity-based policy allows the lambda:InvokeFunction action`,
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      lambda.destroy();
    }
  });

  it('refuses the verification role the bot token', async () => {
    const client = new SecretsManagerClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('verification'), maxAttempts: 1 });
    try {
      await expect(client.send(new GetSecretValueCommand({ SecretId: stack.credentials.slack.botTokenArn }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: `User: ${stack.credentials.principals.verification.callerArn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${stack.credentials.slack.botTokenArn} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      client.destroy();
    }
  });
});

describe('DynamoDB', () => {
  it('has the idempotency table as the infra app creates it: partition key from IDEMPOTENCY_TABLE, TTL enabled', async () => {
    // The execution role holds only the item actions it needs (IAM is enforced from the template): describe as the developer.
    const developer = new DynamoDBClient({ region: 'us-east-1', endpoint: stack.urls.aws, maxAttempts: 1, credentials: credentialsOf('developer') });
    try {
      const { Table } = await developer.send(new DescribeTableCommand({ TableName: table() }));
      expect(Table).toMatchObject({ TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] });
      const ttl = await developer.send(new DescribeTimeToLiveCommand({ TableName: table() }));
      expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiration' });
    } finally {
      developer.destroy();
    }
  });

  it('stores and reads items through the signed local endpoint', async () => {
    await dynamo.send(new PutItemCommand({ TableName: table(), Item: { id: { S: 'event-1' }, expiration: { N: '4102444800' } }, ConditionExpression: 'attribute_not_exists(id)' }));
    await expect(
      dynamo.send(new PutItemCommand({ TableName: table(), Item: { id: { S: 'event-1' } }, ConditionExpression: 'attribute_not_exists(id)' })),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: table(), Key: { id: { S: 'event-1' } }, ConsistentRead: true }));
    expect(Item).toEqual({ id: { S: 'event-1' }, expiration: { N: '4102444800' } });
  });

  it('is unavailable while the fault is set', async () => {
    stack.faults.set('dynamodb', { mode: 'status', status: 500 });
    await expect(dynamo.send(new GetItemCommand({ TableName: table(), Key: { id: { S: 'x' } } }))).rejects.toMatchObject({
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
  });
});

describe('the Slack Web API stand-in, through @slack/web-api', () => {
  const client = (token: string) => new WebClient(token, { slackApiUrl: stack.urls.slackApi, retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 } });

  it('checks the bearer token and records the call without it', async () => {
    await expect(client('xoxb-wrong').chat.postMessage({ channel: 'C0LOCAL0001', text: 'nope' })).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
    const posted = await client(stack.credentials.slack.botToken).chat.postMessage({ channel: 'C0LOCAL0001', text: 'hello', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }] });
    expect(posted).toMatchObject({ ok: true, channel: 'C0LOCAL0001', message: { text: 'hello', bot_id: 'B0LOCALBOT1' } });
    const recorded = JSON.parse((await rawRequest(stack.urls.slackCalls)).body) as { calls: Array<{ method: string; auth: string; params: Record<string, unknown> }> };
    expect(recorded.calls.map((c) => [c.method, c.auth])).toEqual([
      ['chat.postMessage', 'invalid_auth'],
      ['chat.postMessage', 'ok'],
    ]);
    expect(JSON.stringify(recorded)).not.toContain(stack.credentials.slack.botToken);
    expect(recorded.calls[1]?.params['blocks']).toEqual(expect.stringContaining('mrkdwn'));
  });

  it('answers 429 with Retry-After when rate limited, and the client retries', async () => {
    stack.faults.set('slack', { mode: 'status', status: 429, retryAfterSeconds: 0, methods: ['reactions.add'], times: 1 });
    const web = client(stack.credentials.slack.botToken);
    const { ts } = await web.chat.postMessage({ channel: 'C0LOCAL0001', text: 'react to me' });
    await expect(web.reactions.add({ channel: 'C0LOCAL0001', timestamp: ts ?? '', name: 'eyes' })).resolves.toMatchObject({ ok: true });
    const attempts = stack.slack.calls({ method: 'reactions.add' });
    expect(attempts.map((c) => [c.status, c.fault, c.response?.['error']])).toEqual([
      [429, 'status', 'ratelimited'],
      [200, undefined, undefined],
    ]);
    expect(stack.faults.injected('slack')).toBe(1);
  });
});

describe('routing of the local AWS endpoint', () => {
  it('answers an unsigned request outside the API stage as AWS does', async () => {
    const response = await rawRequest(`${stack.urls.aws}/`, { method: 'POST', body: '{}' });
    expect(response).toMatchObject({ status: 403, body: '{"message":"Missing Authentication Token"}' });
    expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
  });

  it('names the services it emulates when a request is scoped to another one', async () => {
    const signer = new RequestSigner({ service: 'sns', region: 'us-east-1', credentials: async () => credentialsOf('developer') });
    const signed = await signer.sign({ method: 'POST', url: `${stack.urls.aws}/`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListTopics' });
    const response = await rawRequest(signed.url, { method: 'POST', headers: signed.headers, body: 'Action=ListTopics' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).message).toBe("The local stack does not emulate the 'sns' service (emulated: execute-api, lambda, bedrock, dynamodb, monitoring, sqs, secretsmanager, sts, cloudformation).");
  });

  it('lets faults be set, listed and cleared over HTTP', async () => {
    const set = await rawRequest(`${stack.urls.aws}/_local/faults/bedrock`, { method: 'PUT', body: '{"mode":"status","status":503,"times":1}' });
    expect(set.status).toBe(200);
    expect(JSON.parse((await rawRequest(`${stack.urls.aws}/_local/faults`)).body)).toMatchObject({ active: { bedrock: { mode: 'status', status: 503, times: 1 } } });
    const refused = await rawRequest(`${stack.urls.aws}/_local/faults/bedrock`, { method: 'PUT', body: '{"mode":"status","status":200}' });
    expect(refused).toMatchObject({ status: 400, body: '{"message":"fault for bedrock: status must be an error status from 400 to 599"}' });
    await rawRequest(`${stack.urls.aws}/_local/faults`, { method: 'DELETE' });
    expect(stack.faults.get('bedrock')).toBeUndefined();
  });
});
