import { createHash } from 'node:crypto';
import { DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalStack } from '../../src';
import type { PrincipalName } from '../../src/iam/principals';
import { stackFromEditedAssembly } from '../support/edited-stack';
import { credentialsOf, startTestStack } from '../support/stack';

/*
 * SQS as the template deploys it, through the real @aws-sdk/client-sqs (AWS JSON 1.0), and the execution function's
 * on-failure destination delivering to that queue with the function's role.
 */

function sqsAs(stack: LocalStack, principal: PrincipalName): SQSClient {
  return new SQSClient({ region: 'us-east-1', endpoint: stack.urls.aws, credentials: credentialsOf(principal), maxAttempts: 1 });
}

/** The execution function's on-failure destination queue. */
function destinationOf(stack: LocalStack): { name: string; arn: string } {
  const arn = stack.deployment.functions.find((f) => f.name === stack.functions.execution.name)?.eventInvokeConfig?.onFailureDestination;
  const queue = stack.deployment.queues.find((q) => q.arn === arn);
  if (queue === undefined) throw new Error('the execution function has no queue destination in the template');
  return queue;
}

/** Makes every attempt of the execution function fail, sends a mention, and waits until it has been handled. */
async function failingMention(stack: LocalStack, text: string): Promise<{ eventId: string; threadTs: string }> {
  stack.faults.set('executionFunction', { mode: 'error', errorType: 'InjectedFailure', errorMessage: 'the execution handler failed' });
  try {
    const sent = await stack.slack.postUserMessage({ text });
    await stack.waitForIdle();
    expect(sent.status).toBe(200);
    return { eventId: sent.eventId as string, threadTs: sent.threadTs as string };
  } finally {
    stack.faults.clear();
  }
}

describe('the template queue, through the real SQS client', () => {
  let stack: LocalStack;
  let developer: SQSClient;

  beforeAll(async () => {
    stack = await startTestStack();
    developer = sqsAs(stack, 'developer');
  });

  afterAll(async () => {
    developer?.destroy();
    await stack?.stop();
  });

  it('sends, counts, receives and deletes a message', async () => {
    const queue = destinationOf(stack);
    const { QueueUrl } = await developer.send(new GetQueueUrlCommand({ QueueName: queue.name }));
    expect(QueueUrl).toBe(`${stack.urls.aws}/000000000000/${queue.name}`);
    const sent = await developer.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello queue' }));
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('hello queue').digest('hex'));
    const counted = await developer.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'QueueArn'] }));
    expect(counted.Attributes).toEqual({ ApproximateNumberOfMessages: '1', QueueArn: queue.arn });
    const { Messages } = await developer.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[sent.MessageId, 'hello queue']]);
    const inFlight = await developer.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(inFlight.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
    await developer.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }));
    const after = await developer.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(after.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('answers a queue that does not exist, and a caller without permission, in SQS error shapes', async () => {
    const queue = destinationOf(stack);
    await expect(developer.send(new SendMessageCommand({ QueueUrl: `${stack.urls.aws}/000000000000/no-such-queue`, MessageBody: 'x' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
      $metadata: { httpStatusCode: 400 },
      message: 'The specified queue does not exist.',
    });
    const other = sqsAs(stack, 'otherRole');
    try {
      await expect(other.send(new SendMessageCommand({ QueueUrl: `${stack.urls.aws}/000000000000/${queue.name}`, MessageBody: 'x' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 403 },
        message: `User: ${stack.credentials.principals.otherRole.callerArn} is not authorized to perform: sqs:sendmessage on resource: ${queue.arn} because no identity-based policy allows the sqs:sendmessage action`,
      });
    } finally {
      other.destroy();
    }
  });

  it("delivers the execution function's failure record to the queue; receiving and deleting it empties the dead-letter store", async () => {
    const queue = destinationOf(stack);
    const sent = await failingMention(stack, 'Where do failed events go?');
    const [record, ...others] = stack.deadLetters.list();
    expect(others).toEqual([]);
    expect(record).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 }, requestPayload: { body: { event_id: sent.eventId } } });
    const QueueUrl = `${stack.urls.aws}/000000000000/${queue.name}`;
    const { Messages } = await developer.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.map((m) => JSON.parse(m.Body ?? '') as unknown)).toEqual([record]);
    await developer.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }));
    expect(stack.deadLetters.list()).toEqual([]);
    expect(stack.deadLetters.deliveryFailures()).toEqual([]);
  });
});

describe("without the execution role's sqs:SendMessage on its destination queue", () => {
  let removed = 0;
  const running = stackFromEditedAssembly((template) => {
    for (const resource of Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      const document = resource.Properties?.['PolicyDocument'] as { Statement: Array<{ Action?: string | string[] }> };
      const grantsSend = (s: { Action?: string | string[] }) => [s.Action ?? []].flat().includes('sqs:SendMessage');
      removed += document.Statement.filter(grantsSend).length;
      document.Statement = document.Statement.filter((s) => !grantsSend(s));
    }
  });

  it('drops the failure record and records a destination delivery failure with SQS\u2019s message', async () => {
    const stack = running();
    expect(removed).toBe(1);
    const queue = destinationOf(stack);
    const sent = await failingMention(stack, 'Is anyone keeping failed events?');
    const attempts = stack.trace.forEvent(sent.eventId).flatMap((e) => (e.kind === 'invocation' && e.functionName === stack.functions.execution.name ? [e.outcome] : []));
    expect(attempts).toEqual(['error', 'error', 'error']);
    expect(stack.trace.forEvent(sent.eventId).filter((e) => e.kind === 'dead_letter')).toEqual([]);
    expect(stack.deadLetters.list()).toEqual([]);
    const [failure, ...others] = stack.deadLetters.deliveryFailures();
    expect(others).toEqual([]);
    expect(failure).toEqual({
      timestamp: expect.any(String),
      functionName: stack.functions.execution.name,
      requestId: expect.any(String),
      destination: queue.arn,
      errorMessage: `User: ${stack.credentials.principals.execution.callerArn} is not authorized to perform: sqs:sendmessage on resource: ${queue.arn} because no identity-based policy allows the sqs:sendmessage action`,
    });
    expect(stack.slack.botReplies({ threadTs: sent.threadTs })).toHaveLength(0);
  });
});
