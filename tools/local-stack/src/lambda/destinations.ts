import type { LocalQueue, QueueAuthorizer } from '../aws/sqs';
import { deniedBecause } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import type { DeadLetterRecord, DeadLetterStore } from './dead-letters';

/** Options of {@link queueDestination}. */
export interface QueueDestinationOptions {
  readonly functionName: string;
  /** The destination queue. */
  readonly queue: LocalQueue;
  /** The function's current execution role (Lambda sends with it). */
  readonly principal: () => LocalPrincipal;
  /** The IAM decision: the role's identity policies and the queue policy. */
  readonly authorize: QueueAuthorizer;
  /** Where failed deliveries are recorded. */
  readonly deadLetters: DeadLetterStore;
  readonly now: () => Date;
}

/**
 * An on-failure destination that is an SQS queue, delivered as Lambda delivers it: with the function's execution role,
 * which needs `sqs:SendMessage` on the queue ("Lambda uses the function's execution role to send records to the
 * destination": Lambda Developer Guide, "Capturing records of Lambda asynchronous invocations",
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html), the queue policy evaluated too.
 * A denied delivery drops the event and is recorded as a `DestinationDeliveryFailures` data point.
 *
 * @param options - the queue, the role, the IAM decision and the store
 * @returns the destination: delivers a record and says whether it was delivered
 */
export function queueDestination(options: QueueDestinationOptions): (record: DeadLetterRecord) => boolean {
  return (record) => {
    const principal = options.principal();
    const decision = options.authorize(principal, 'sqs:SendMessage', options.queue);
    if (decision.decision !== 'allow') {
      const action = 'sqs:sendmessage'; // as SQS words it (see aws/sqs.ts)
      options.deadLetters.recordDeliveryFailure({
        timestamp: options.now().toISOString(),
        functionName: options.functionName,
        requestId: record.requestContext.requestId,
        destination: options.queue.arn,
        errorMessage: `User: ${principal.callerArn} is not authorized to perform: ${action} on resource: ${options.queue.arn} ${deniedBecause(decision, action, 'identity-based')}`,
      });
      return false;
    }
    options.queue.send(JSON.stringify(record));
    return true;
  };
}
