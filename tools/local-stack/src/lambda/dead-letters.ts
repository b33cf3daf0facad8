import type { LocalQueue } from '../aws/sqs';
import type { RuntimeError } from './runtime-bootstrap';

/**
 * An on-failure destination record, in the format Lambda sends for an asynchronous invocation whose retries are
 * exhausted (Lambda Developer Guide, "Capturing records of Lambda asynchronous invocations"; the Node.js runtime's
 * `responsePayload` is `{errorType, errorMessage, trace}` and `functionError` is `Unhandled` for a thrown error).
 */
export interface DeadLetterRecord {
  readonly version: '1.0';
  /** ISO-8601 time of the last attempt. */
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    /** The function ARN with its executed qualifier (`…:function:name:$LATEST`). */
    readonly functionArn: string;
    readonly condition: 'RetriesExhausted';
    readonly approximateInvokeCount: number;
  };
  /** The event exactly as it was enqueued. */
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: 200;
    readonly executedVersion: '$LATEST';
    readonly functionError: 'Unhandled';
  };
  readonly responsePayload: RuntimeError;
}

/**
 * A failed delivery to an on-failure destination: Lambda drops the event and counts it in the function's
 * `DestinationDeliveryFailures` metric ("the number of times that Lambda attempts to send an event to a destination
 * but fails … due to permissions errors, misconfigured resources, or size limits": Lambda Developer Guide, "Types of
 * metrics for Lambda functions", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html).
 */
export interface DestinationDeliveryFailure {
  /** ISO-8601 time of the attempt. */
  readonly timestamp: string;
  readonly functionName: string;
  readonly requestId: string;
  /** The destination ARN. */
  readonly destination: string;
  /** Why it failed, in the destination service's words. */
  readonly errorMessage: string;
}

/**
 * The dead-letter store: every async event that exhausted its retries, inspectable from tests and over HTTP. Records
 * delivered to an on-failure destination queue live in that queue ({@link attach}: listed, counted and cleared from
 * it, so a consumer that receives and deletes one removes it here too); records of a function without a queue
 * destination are kept here; failed deliveries are kept as {@link DestinationDeliveryFailure}s.
 */
export class DeadLetterStore {
  private readonly records: DeadLetterRecord[] = [];
  private readonly queues: LocalQueue[] = [];
  private readonly failures: DestinationDeliveryFailure[] = [];
  private readonly listeners = new Set<(record: DeadLetterRecord) => void>();

  /** Makes a destination queue part of the store. */
  attach(queue: LocalQueue): void {
    if (this.queues.includes(queue)) return;
    this.queues.push(queue);
    queue.subscribe((message) => {
      const record = parseRecord(message.body);
      if (record === undefined) return;
      for (const listener of this.listeners) listener(record);
    });
  }

  /** Stores a record of a function without a queue destination and notifies subscribers. */
  add(record: DeadLetterRecord): void {
    this.records.push(record);
    for (const listener of this.listeners) listener(record);
  }

  /** Records a failed delivery to a destination. */
  recordDeliveryFailure(failure: DestinationDeliveryFailure): void {
    this.failures.push(failure);
  }

  /** Every record, oldest first (copies): the destination queues' messages, then the ones kept here. */
  list(): DeadLetterRecord[] {
    const queued = this.queues.flatMap((queue) => queue.peek().flatMap((m) => parseRecord(m.body) ?? []));
    return [...queued, ...this.records.map((r) => structuredClone(r))];
  }

  /** Failed deliveries to destinations, oldest first (the local `DestinationDeliveryFailures`). */
  deliveryFailures(): DestinationDeliveryFailure[] {
    return this.failures.map((f) => ({ ...f }));
  }

  /** How many records are stored. */
  get size(): number {
    return this.list().length;
  }

  /** Empties the store: the destination queues are purged. */
  clear(): void {
    this.records.length = 0;
    this.failures.length = 0;
    for (const queue of this.queues) queue.purge();
  }

  /**
   * Calls `listener` for each record added from now on.
   *
   * @returns a function that unsubscribes
   */
  subscribe(listener: (record: DeadLetterRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A destination record out of a queue message body; `undefined` for a message that is not one (sent by someone else). */
function parseRecord(body: string): DeadLetterRecord | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<DeadLetterRecord>;
    return parsed.version === '1.0' && parsed.requestContext?.condition !== undefined ? (parsed as DeadLetterRecord) : undefined;
  } catch {
    return undefined;
  }
}
