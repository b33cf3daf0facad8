/**
 * The stack's own record of what crossed each emulated boundary, keyed by Slack `event_id` where one is known: Slack
 * deliveries, execution-API calls, Lambda Invoke API calls, function invocations and dead letters. It is what the
 * demo prints and what the benchmark suite times, independent of what the apps choose to log.
 */

/** Fields every trace entry has. */
interface TraceBase {
  readonly seq: number;
  /** Wall-clock time the step ended. */
  readonly at: Date;
  /** Slack `event_id` the step carried, when it could be read. */
  readonly eventId: string | undefined;
}

/** A signed event delivered to the Slack ingress. */
export interface SlackDeliveryTrace extends TraceBase {
  readonly kind: 'slack_delivery';
  readonly status: number;
  readonly latencyMs: number;
  readonly retryNum: number | undefined;
  /** The user's message the event carried (`event.channel`, `event.ts`), when it carried one. */
  readonly message?: { readonly channel: string; readonly ts: string };
}

/** One request to the execution API. */
export interface ExecuteApiTrace extends TraceBase {
  readonly kind: 'execute_api';
  /** The status answered, or `dropped` / `hung` under a fault. */
  readonly status: number | 'dropped' | 'hung';
  readonly errorType: string | undefined;
  readonly requestId: string;
  readonly callerArn: string | undefined;
  readonly latencyMs: number;
}

/** One request to the Lambda Invoke API. */
export interface LambdaApiTrace extends TraceBase {
  readonly kind: 'lambda_api';
  readonly functionName: string | undefined;
  readonly invocationType: string;
  readonly status: number | 'dropped' | 'hung';
  readonly errorType: string | undefined;
  readonly requestId: string;
  readonly callerArn: string | undefined;
  readonly latencyMs: number;
}

/** How an invocation reached a function. */
export type InvocationSource = 'function_url' | 'execute_api' | 'lambda_api';

/** One attempt of one invocation. */
export interface InvocationTrace extends TraceBase {
  readonly kind: 'invocation';
  readonly functionName: string;
  readonly source: InvocationSource;
  readonly invocationType: 'RequestResponse' | 'Event';
  readonly requestId: string;
  /** 1 for the first attempt; async retries count up. */
  readonly attempt: number;
  readonly containerId: string | undefined;
  readonly coldStart: boolean;
  readonly initDurationMs: number | undefined;
  /** Time spent waiting for a free container. */
  readonly queuedMs: number;
  readonly durationMs: number;
  readonly outcome: 'success' | 'error' | 'throttled';
  readonly errorType: string | undefined;
}

/** An async event that exhausted its retries. */
export interface DeadLetterTrace extends TraceBase {
  readonly kind: 'dead_letter';
  readonly functionName: string;
  readonly requestId: string;
}

/** Any trace entry. */
export type TraceEntry = SlackDeliveryTrace | ExecuteApiTrace | LambdaApiTrace | InvocationTrace | DeadLetterTrace;

/** A trace entry before the store numbers it. */
export type NewTraceEntry = TraceEntry extends infer E ? (E extends TraceEntry ? Omit<E, 'seq'> : never) : never;

/** Keeps at most this many entries. */
const MAX_ENTRIES = 100_000;

/** The trace store. */
export class TraceStore {
  private readonly store: TraceEntry[] = [];
  private readonly listeners = new Set<(entry: TraceEntry) => void>();
  private seq = 0;

  /** Records one step. */
  add(entry: NewTraceEntry): TraceEntry {
    const stored = { ...entry, seq: this.seq++ } as TraceEntry;
    this.store.push(stored);
    if (this.store.length > MAX_ENTRIES) this.store.shift();
    for (const listener of this.listeners) listener(stored);
    return stored;
  }

  /**
   * Calls `listener` for every entry recorded from now on.
   *
   * @returns a function that unsubscribes
   */
  subscribe(listener: (entry: TraceEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every entry, oldest first. */
  entries(): TraceEntry[] {
    return [...this.store];
  }

  /** The entries of one Slack event, oldest first. */
  forEvent(eventId: string): TraceEntry[] {
    return this.store.filter((e) => e.eventId === eventId);
  }

  /** Forgets everything. */
  clear(): void {
    this.store.length = 0;
  }
}

/**
 * Reads the Slack `event_id` out of any payload that crosses a boundary: a Slack envelope, an ExecutionRequest, an
 * `ExecutionApiEvent` (`body.event_id`) or a Function URL event whose body is a Slack envelope.
 *
 * @param payload - parsed JSON, or a JSON string
 */
export function eventIdOf(payload: unknown): string | undefined {
  const value = typeof payload === 'string' ? safeParse(payload) : payload;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record['event_id'] === 'string') return record['event_id'];
  if (typeof record['body'] === 'object' && record['body'] !== null) return eventIdOf(record['body']);
  if (typeof record['body'] === 'string' && record['isBase64Encoded'] !== true) return eventIdOf(record['body']);
  return undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
