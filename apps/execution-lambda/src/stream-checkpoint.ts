import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_ATTRIBUTES, IDEMPOTENCY_KEY_PREFIX } from './idempotency';

/**
 * The "stream started" checkpoint of an event: the `ts` of the message being streamed, kept in the idempotency table
 * beside the Powertools record (its own key, `slack-ai-app.execution.stream#<event_id>`). Powertools writes its record
 * only when the whole unit completes; this item is written as soon as `chat.startStream` answers, so an async retry
 * after a crash or a timeout mid-stream finds the partial message and replaces it (`chat.update`) instead of starting
 * a second one. It expires with the idempotency TTL (attribute `expiration`, epoch seconds).
 *
 * DynamoDB calls: `GetItem` (consistent read) and `PutItem`, both already granted to the execution role on its table.
 */

/** Where a stream was started. */
export interface StreamCheckpoint {
  readonly channel: string;
  /** The streamed message's `ts`. */
  readonly ts: string;
}

/** Reads and writes the checkpoints. */
export interface StreamCheckpointStore {
  /** The checkpoint of an event, if a stream was started for it. */
  get(eventId: string): Promise<StreamCheckpoint | undefined>;
  /** Record the stream of an event. */
  put(eventId: string, checkpoint: StreamCheckpoint): Promise<void>;
}

/** Key of an event's checkpoint item. */
export function checkpointKey(eventId: string): string {
  return `${IDEMPOTENCY_KEY_PREFIX}.stream#${eventId}`;
}

/** Options of {@link createStreamCheckpointStore}. */
export interface StreamCheckpointStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Seconds a checkpoint is kept (the idempotency TTL). */
  readonly ttlSeconds: number;
  /** Clock (ms). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Create the DynamoDB-backed checkpoint store.
 *
 * @param options - client, table, TTL
 */
export function createStreamCheckpointStore(options: StreamCheckpointStoreOptions): StreamCheckpointStore {
  const now = options.now ?? Date.now;
  const { keyAttr, expiryAttr } = IDEMPOTENCY_ATTRIBUTES;
  return {
    async get(eventId) {
      const result = await options.client.send(
        new GetItemCommand({ TableName: options.tableName, Key: { [keyAttr]: { S: checkpointKey(eventId) } }, ConsistentRead: true }),
      );
      const item = result.Item;
      const channel = item?.['channel']?.S;
      const ts = item?.['stream_ts']?.S;
      const expiration = Number(item?.[expiryAttr]?.N ?? '0');
      if (channel === undefined || ts === undefined || expiration * 1000 <= now()) return undefined;
      return { channel, ts };
    },
    async put(eventId, checkpoint) {
      await options.client.send(
        new PutItemCommand({
          TableName: options.tableName,
          Item: {
            [keyAttr]: { S: checkpointKey(eventId) },
            channel: { S: checkpoint.channel },
            stream_ts: { S: checkpoint.ts },
            [expiryAttr]: { N: String(Math.floor(now() / 1000) + options.ttlSeconds) },
          },
        }),
      );
    },
  };
}
