import { createHash, randomUUID } from 'node:crypto';
import type { AuthorizationResult, PolicyDocument } from '@slack-ai-app/aws-emulation';
import type { DeployedQueue } from '../assembly/deployment';
import type { HttpReply, HttpRequestData } from '../http/types';
import { headerValue } from '../http/types';
import { deniedBecause } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';

/**
 * Amazon SQS for the template's queues, over the protocol `@aws-sdk/client-sqs` speaks: AWS JSON 1.0
 * (`POST /`, `X-Amz-Target: AmazonSQS.<Operation>`, `Content-Type: application/x-amz-json-1.0`), with the Query
 * protocol's error codes in `x-amzn-query-error` (the client is `awsQueryCompatible`). Source: SQS Developer Guide,
 * "Amazon SQS AWS JSON protocol FAQs" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-faqs.html),
 * and the client's own configuration (`AwsJson1_0Protocol`, `serviceTarget: "AmazonSQS"`, `awsQueryCompatible: true`).
 * Operations: SendMessage, ReceiveMessage (no long polling: it answers at once), DeleteMessage, GetQueueAttributes,
 * GetQueueUrl. IAM: the caller's identity policies and the queue policy, per operation (`sqs:<Operation>`).
 */

/** One message in a queue. */
export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: Date;
  /** Receipt handle of the latest receive, while the message is in flight. */
  receiptHandle: string | undefined;
  /** When the message becomes visible again (epoch ms); 0 when visible. */
  visibleAt: number;
  receiveCount: number;
}

/** A local queue: its template identity and its messages, oldest first. */
export class LocalQueue {
  private readonly messages: QueueMessage[] = [];
  private readonly listeners = new Set<(message: QueueMessage) => void>();

  constructor(
    readonly definition: DeployedQueue,
    private readonly now: () => Date,
  ) {}

  /** The queue's ARN. */
  get arn(): string {
    return this.definition.arn;
  }

  /** The queue's policy from the template. */
  get policy(): PolicyDocument | undefined {
    return this.definition.policy;
  }

  /**
   * Adds a message.
   *
   * @param body - the message body
   * @returns the stored message
   */
  send(body: string): QueueMessage {
    const message: QueueMessage = { messageId: randomUUID(), body, md5OfBody: md5(body), sentAt: this.now(), receiptHandle: undefined, visibleAt: 0, receiveCount: 0 };
    this.messages.push(message);
    for (const listener of this.listeners) listener(message);
    return message;
  }

  /**
   * Receives up to `max` visible messages and hides them for the visibility timeout.
   *
   * @param max - 1 to 10
   * @param visibilityTimeoutSeconds - how long they stay hidden
   */
  receive(max: number, visibilityTimeoutSeconds: number): QueueMessage[] {
    const at = this.now().getTime();
    const received = this.messages.filter((m) => m.visibleAt <= at).slice(0, max);
    for (const message of received) {
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
      message.visibleAt = at + visibilityTimeoutSeconds * 1000;
      message.receiveCount += 1;
    }
    return received;
  }

  /**
   * Deletes the message a receipt handle names.
   *
   * @returns whether the handle named a message of this queue
   */
  delete(receiptHandle: string): boolean {
    const index = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index === -1) return false;
    this.messages.splice(index, 1);
    return true;
  }

  /** Every message, visible or in flight, oldest first (without receiving them). */
  peek(): readonly QueueMessage[] {
    return [...this.messages];
  }

  /** Deletes every message (PurgeQueue). */
  purge(): void {
    this.messages.length = 0;
  }

  /** `ApproximateNumberOfMessages` and `ApproximateNumberOfMessagesNotVisible`, exact here. */
  counts(): { visible: number; inFlight: number } {
    const at = this.now().getTime();
    const visible = this.messages.filter((m) => m.visibleAt <= at).length;
    return { visible, inFlight: this.messages.length - visible };
  }

  /**
   * Calls `listener` for each message sent from now on.
   *
   * @returns a function that unsubscribes
   */
  subscribe(listener: (message: QueueMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The hex MD5 of a body, as SQS returns it (`MD5OfMessageBody`, `MD5OfBody`; the SDK checks it). */
function md5(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/** Decides an SQS action on a queue for a caller (identity policies and the queue policy). */
export type QueueAuthorizer = (principal: LocalPrincipal, action: string, queue: LocalQueue) => AuthorizationResult;

/** Dependencies of {@link createSqsHandler}. */
export interface SqsHandlerDeps {
  readonly queues: readonly LocalQueue[];
  readonly authorize: QueueAuthorizer;
}

const TARGET_PREFIX = 'AmazonSQS.';
const JSON_10 = 'application/x-amz-json-1.0';
/** ReceiveMessage's bounds on MaxNumberOfMessages. */
const MAX_RECEIVE = 10;

/**
 * An SQS error in AWS JSON 1.0 with the Query code in `x-amzn-query-error` (`<code>;Sender`), which the
 * query-compatible client uses as the error's name.
 */
function sqsError(status: number, type: string, queryCode: string, message: string): HttpReply {
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': JSON_10, 'x-amzn-requestid': randomUUID(), 'x-amzn-query-error': `${queryCode};Sender` },
    body: JSON.stringify({ __type: type, message }),
  };
}

function ok(payload: unknown): HttpReply {
  return { kind: 'respond', status: 200, headers: { 'content-type': JSON_10, 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(payload) };
}

const NON_EXISTENT = (): HttpReply => sqsError(400, 'com.amazonaws.sqs#QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');

/** The queue a `QueueUrl` names: its path is `/<account>/<name>`, whatever the host (AWS's or the local endpoint). */
function queueOf(queues: readonly LocalQueue[], queueUrl: unknown): LocalQueue | undefined {
  if (typeof queueUrl !== 'string') return undefined;
  let path: string;
  try {
    path = new URL(queueUrl).pathname;
  } catch {
    return undefined;
  }
  return queues.find((q) => path === new URL(q.definition.url).pathname);
}

/**
 * Creates the SQS handler. The caller has authenticated the request.
 *
 * @param deps - the queues and the IAM decision
 */
export function createSqsHandler(deps: SqsHandlerDeps): (request: HttpRequestData, principal: LocalPrincipal) => Promise<HttpReply> {
  return async (request, principal) => {
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    if (request.method !== 'POST' || !['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes', 'GetQueueUrl'].includes(operation)) {
      return sqsError(400, 'com.amazonaws.sqs#UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', `The local stack emulates SendMessage, ReceiveMessage, DeleteMessage, GetQueueAttributes and GetQueueUrl, not ${target || 'an unnamed operation'}.`);
    }
    let input: Record<string, unknown>;
    try {
      const parsed = JSON.parse(request.body.toString('utf8') || '{}') as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      return sqsError(400, 'com.amazon.coral.validate#SerializationException', 'SerializationException', 'Start of structure or map found where not expected.');
    }
    const queue = operation === 'GetQueueUrl' ? deps.queues.find((q) => q.definition.name === input['QueueName']) : queueOf(deps.queues, input['QueueUrl']);
    if (queue === undefined) return NON_EXISTENT();
    const action = `sqs:${operation}`;
    const decision = deps.authorize(principal, action, queue);
    if (decision.decision !== 'allow') {
      // SQS names the action in lower case in its message (e.g. aws/serverless-application-model#3633,
      // microsoft/aspire#3333): "… is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:… because no
      // identity-based policy allows the sqs:sendmessage action".
      const named = action.toLowerCase();
      return sqsError(403, 'com.amazon.coral.service#AccessDeniedException', 'AccessDenied', `User: ${principal.callerArn} is not authorized to perform: ${named} on resource: ${queue.arn} ${deniedBecause(decision, named, 'identity-based')}`);
    }
    switch (operation) {
      case 'GetQueueUrl':
        return ok({ QueueUrl: `http://${headerValue(request.headers, 'host') ?? 'localhost'}${new URL(queue.definition.url).pathname}` });
      case 'SendMessage': {
        if (typeof input['MessageBody'] !== 'string' || input['MessageBody'] === '') {
          return sqsError(400, 'com.amazonaws.sqs#InvalidParameterValue', 'InvalidParameterValue', 'The request must contain the parameter MessageBody.');
        }
        const sent = queue.send(input['MessageBody']);
        return ok({ MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody });
      }
      case 'ReceiveMessage': {
        const max = input['MaxNumberOfMessages'] === undefined ? 1 : Number(input['MaxNumberOfMessages']);
        if (!Number.isInteger(max) || max < 1 || max > MAX_RECEIVE) {
          return sqsError(400, 'com.amazonaws.sqs#InvalidParameterValue', 'InvalidParameterValue', `Value ${String(input['MaxNumberOfMessages'])} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
        }
        const timeout = input['VisibilityTimeout'] === undefined ? queue.definition.visibilityTimeoutSeconds : Number(input['VisibilityTimeout']);
        const messages = queue.receive(max, timeout);
        return ok({ Messages: messages.map((m) => ({ MessageId: m.messageId, ReceiptHandle: m.receiptHandle, MD5OfBody: m.md5OfBody, Body: m.body })) });
      }
      case 'DeleteMessage': {
        if (typeof input['ReceiptHandle'] !== 'string' || !queue.delete(input['ReceiptHandle'])) {
          return sqsError(400, 'com.amazonaws.sqs#ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${String(input['ReceiptHandle'])}" is not a valid receipt handle.`);
        }
        return ok({});
      }
      default: {
        const { visible, inFlight } = queue.counts();
        const all: Record<string, string> = {
          QueueArn: queue.arn,
          ApproximateNumberOfMessages: String(visible),
          ApproximateNumberOfMessagesNotVisible: String(inFlight),
          VisibilityTimeout: String(queue.definition.visibilityTimeoutSeconds),
        };
        const names = Array.isArray(input['AttributeNames']) ? (input['AttributeNames'] as unknown[]).map(String) : [];
        const chosen = names.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)));
        return ok({ Attributes: chosen });
      }
    }
  };
}
