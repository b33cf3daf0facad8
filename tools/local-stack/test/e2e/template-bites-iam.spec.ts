import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { TraceEntry } from '../../src';
import { stackFromEditedAssembly } from '../support/edited-stack';
import { credentialsOf } from '../support/stack';

/*
 * IAM on DynamoDB and Bedrock Runtime comes from the template: without the execution role's DynamoDB grant, the
 * idempotency store is unusable and the execution function fails as its error catalogue says; Bedrock authorizes
 * the model each call names.
 */

type Statement = { Action?: string | string[] };

/** Whether a statement grants any DynamoDB action. */
function grantsDynamoDb(statement: Statement): boolean {
  return [statement.Action ?? []].flat().some((action) => action.startsWith('dynamodb:'));
}

describe("without the execution role's DynamoDB grant", () => {
  let removed = 0;
  const running = stackFromEditedAssembly((template) => {
    for (const resource of Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      const document = resource.Properties?.['PolicyDocument'] as { Statement: Statement[] };
      removed += document.Statement.filter(grantsDynamoDb).length;
      document.Statement = document.Statement.filter((s) => !grantsDynamoDb(s));
    }
  });

  it("the role's own PutItem gets DynamoDB's AccessDeniedException through the real client", async () => {
    const stack = running();
    expect(removed).toBe(1);
    const table = stack.deployment.tables[0];
    if (table === undefined) throw new Error('the template has no table');
    const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('execution'), maxAttempts: 1 });
    try {
      const attempt = dynamo.send(new PutItemCommand({ TableName: table.name, Item: { id: { S: 'bite-1' } } }));
      await expect(attempt).rejects.toMatchObject({
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
        message: `User: ${stack.credentials.principals.execution.callerArn} is not authorized to perform: dynamodb:PutItem on resource: ${table.arn} because no identity-based policy allows the dynamodb:PutItem action`,
      });
    } finally {
      dynamo.destroy();
    }
  });

  it('a mention is retried, ends in the dead letters unanswered, and nothing is posted (idempotency store unavailable)', async () => {
    const stack = running();
    const sent = await stack.slack.postUserMessage({ text: 'Can you still remember what you answered?' });
    await stack.waitForIdle();
    expect(sent.status).toBe(200);
    const eventId = sent.eventId as string;
    const attempts = stack.trace
      .forEvent(eventId)
      .filter((e: TraceEntry) => e.kind === 'invocation' && e.functionName === stack.functions.execution.name)
      .map((e) => (e.kind === 'invocation' ? e.outcome : undefined));
    expect(attempts).toEqual(['error', 'error', 'error']);
    const unavailable = stack.logs.events({ functionName: stack.functions.execution.name, event: 'idempotency_store_unavailable' });
    expect(unavailable.map((e) => [e['stage'], e['error']])).toEqual([
      ['save_in_progress', 'IdempotencyStoreError'],
      ['save_in_progress', 'IdempotencyStoreError'],
      ['save_in_progress', 'IdempotencyStoreError'],
    ]);
    const record = stack.deadLetters.list().find((r) => (r.requestPayload as { body?: { event_id?: string } }).body?.event_id === eventId);
    expect(record).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 } });
    expect(stack.slack.botReplies({ threadTs: sent.threadTs as string })).toHaveLength(0);
    expect(stack.slack.calls({ method: 'chat.postMessage' })).toHaveLength(0);
  });

  it("Bedrock, whose grant is intact, answers a model outside it outside the execution role's grant with Bedrock's 403 AccessDeniedException", async () => {
    const stack = running();
    const bedrock = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf('execution'), maxAttempts: 1 });
    try {
      const attempt = bedrock.send(new ConverseCommand({ modelId: 'amazon.titan-text-lite-v1', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
      await expect(attempt).rejects.toMatchObject({
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
        message: `User: ${stack.credentials.principals.execution.callerArn} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1 because no identity-based policy allows the bedrock:InvokeModel action`,
      });
    } finally {
      bedrock.destroy();
    }
  });
});
