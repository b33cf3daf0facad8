import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { invokeModel } from '../src/bedrock';
import { parseConfig } from '../src/config';
import { BEDROCK_ACCESS_HINTS, BEDROCK_ERROR_CATALOGUE, bedrockAccessHint, BedrockInvocationError, bedrockUserMessage } from '../src/errors';

/*
 * Bedrock's access failures, as the real SDK client receives them (over h2c: Bedrock Runtime's client speaks HTTP/2) from a
 * server that answers with Bedrock's
 * restJson1 error shape (`x-amzn-ErrorType` header and a JSON `message`) and the message texts real accounts get
 * (sources in errors.ts).
 */

const ACCOUNT = '123456789012';
const MESSAGES = {
  marketplace:
    'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions ' +
    '(aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the Amazon Bedrock ' +
    'documentation for further details. Your AWS Marketplace subscription for this model cannot be completed at this time. ' +
    'If you recently fixed this issue, try again after 2 minutes.',
  marketplaceIam:
    `Model access is denied due to User: arn:aws:sts::${ACCOUNT}:assumed-role/exec-role/fn is not authorized to perform: ` +
    'aws-marketplace:ViewSubscriptions on resource: * because no identity-based policy allows the aws-marketplace:ViewSubscriptions action.',
  useCase: 'Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model.',
  iam:
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/exec-role/fn is not authorized to perform: bedrock:InvokeModel on resource: ` +
    `arn:aws:bedrock:us-west-2:${ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0 because no identity-based policy allows the bedrock:InvokeModel action`,
  explicitDeny:
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/exec-role/fn is not authorized to perform: bedrock:InvokeModel on resource: ` +
    'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0 with an explicit deny in an identity-based policy',
  noAccess: "You don't have access to the model with the specified model ID.",
};

describe('Bedrock access failures through the real SDK client', () => {
  let server: Http2Server;
  let reply: { status: number; type: string; message: string };
  let client: BedrockRuntimeClient;
  const config = parseConfig({ AWS_REGION: 'us-east-1', IDEMPOTENCY_TABLE_NAME: 't' });

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(reply.status, { 'content-type': 'application/json', 'x-amzn-errortype': `${reply.type}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
        response.end(JSON.stringify({ message: reply.message }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    [403, 'AccessDeniedException', MESSAGES.marketplace, 'marketplace_subscription'],
    [403, 'AccessDeniedException', MESSAGES.marketplaceIam, 'marketplace_subscription'],
    [404, 'ResourceNotFoundException', MESSAGES.useCase, 'use_case_form'],
    [403, 'AccessDeniedException', MESSAGES.iam, 'iam_policy'],
    [403, 'AccessDeniedException', MESSAGES.explicitDeny, 'explicit_deny'],
    [403, 'AccessDeniedException', MESSAGES.noAccess, 'model_access'],
    [404, 'ResourceNotFoundException', 'Model not found.', 'model_not_available'],
    [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.', 'credentials_rejected'],
    [403, 'AccessDeniedException', 'Access denied.', 'unknown'],
  ] as const)('%s %s "%s" → %s, with a secret-free line for the admin', async (status, type, message, hint) => {
    reply = { status, type, message };
    const error = await invokeModel({ client, bedrock: config.bedrock, conversation: [{ role: 'user', text: 'q' }], budgetMs: 30_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BedrockInvocationError);
    expect(error).toMatchObject({ kind: 'bedrock_access_denied', awsErrorName: type, accessHint: hint, retryable: false });
    const text = bedrockUserMessage(error as BedrockInvocationError);
    expect(text).toBe(`${BEDROCK_ERROR_CATALOGUE.bedrock_access_denied.userMessage}\n_For the admin: ${BEDROCK_ACCESS_HINTS[hint]}_`);
    expect(text).not.toMatch(/arn:|\d{12}|Exception|exec-role/);
  });
});

describe('bedrockAccessHint', () => {
  it('reads the message, not the name, for a 403 and prefers the Marketplace cause over the IAM wording in it', () => {
    expect(bedrockAccessHint('AccessDeniedException', MESSAGES.marketplaceIam)).toBe('marketplace_subscription');
    expect(bedrockAccessHint('AccessDeniedException', 'You don’t have access to the model with the specified model ID.')).toBe('model_access');
  });

  it('gives no hint to other kinds, and keeps their message unchanged', () => {
    const throttled = new BedrockInvocationError('bedrock_throttled', 'ThrottlingException');
    expect(throttled.accessHint).toBeUndefined();
    expect(bedrockUserMessage(throttled)).toBe(BEDROCK_ERROR_CATALOGUE.bedrock_throttled.userMessage);
  });

  it('keeps every admin line short and free of identifiers', () => {
    for (const line of Object.values(BEDROCK_ACCESS_HINTS)) {
      expect(line.length).toBeLessThanOrEqual(160);
      expect(line).not.toMatch(/arn:|\d{12}/);
    }
  });
});
