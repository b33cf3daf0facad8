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

/** The dead-letter store: every async event that exhausted its retries, inspectable from tests and over HTTP. */
export class DeadLetterStore {
  private readonly records: DeadLetterRecord[] = [];
  private readonly listeners = new Set<(record: DeadLetterRecord) => void>();

  /** Stores a record and notifies subscribers. */
  add(record: DeadLetterRecord): void {
    this.records.push(record);
    for (const listener of this.listeners) listener(record);
  }

  /** Every record, oldest first (copies). */
  list(): DeadLetterRecord[] {
    return this.records.map((r) => structuredClone(r));
  }

  /** How many records are stored. */
  get size(): number {
    return this.records.length;
  }

  /** Empties the store. */
  clear(): void {
    this.records.length = 0;
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
