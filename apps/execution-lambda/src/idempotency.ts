import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { errorName } from '@slack-ai-app/errors';
import { IDEMPOTENCY_TABLE } from '@slack-ai-app/execution-api-contract';
import type { Context } from 'aws-lambda';
import { EventInProgressError, IdempotencyStoreError } from './errors';

/**
 * Idempotency-key prefix. Fixed (not the function name, Powertools' default) so that keys survive a renamed or
 * redeployed function: the same `event_id` maps to the same record whichever path delivered it.
 */
export const IDEMPOTENCY_KEY_PREFIX = 'slack-ai-app.execution';

/** Table attribute names, from the contract the infra app and the local stack create the table with. */
export const IDEMPOTENCY_ATTRIBUTES = { keyAttr: IDEMPOTENCY_TABLE.partitionKey, expiryAttr: IDEMPOTENCY_TABLE.ttlAttribute } as const;

/**
 * Remaining time assumed when the context cannot tell (a runner without `getRemainingTimeInMillis`): the infra app's
 * function timeout. It bounds the in-progress record, so a crashed attempt never blocks its event for the whole TTL.
 */
export const FALLBACK_REMAINING_MS = 120_000;

/** The invocation's remaining time, or {@link FALLBACK_REMAINING_MS} when the context does not say. */
export function remainingTimeMs(context: Partial<Pick<Context, 'getRemainingTimeInMillis'>>): number {
  return typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : FALLBACK_REMAINING_MS;
}

/** The stored outcome of a completed event: small, and free of message content. */
export type StoredOutcome = { readonly [key: string]: string | number | boolean };

/** What {@link IdempotencyGuard.run} reports. */
export type GuardResult<T extends StoredOutcome> =
  /** This invocation did the work. `recordSaved: false` when the work finished but marking it COMPLETED failed. */
  | { readonly status: 'executed'; readonly outcome: T; readonly recordSaved: boolean }
  /** An earlier invocation completed this event; nothing was done. */
  | { readonly status: 'duplicate'; readonly outcome: StoredOutcome | undefined };

/** Diagnostics the guard reports (the caller logs them). */
export interface GuardObserver {
  /** The store failed while saving the outcome, or while releasing the record after a failure. */
  onStoreFailure(stage: 'save_completed' | 'release_after_failure', error: unknown): void;
}

/** Runs a unit of work at most once per `event_id`. */
export interface IdempotencyGuard {
  /**
   * Run `unit` unless this `eventId` is already completed or in progress.
   *
   * - New (or expired, or released) key: an INPROGRESS record is written (conditional put), expiring with the
   *   invocation's remaining time; `unit` runs; its outcome is stored as COMPLETED.
   * - COMPLETED key: `unit` is not run; `{ status: 'duplicate' }`.
   * - INPROGRESS key held by a live invocation: throws {@link EventInProgressError} (retryable).
   * - `unit` throws: the record is deleted (released) and the error is rethrown unchanged, so a retry runs it again.
   * - The store cannot be reached before the work: throws {@link IdempotencyStoreError} (retryable); nothing ran.
   * - The work finished but the COMPLETED write failed: resolves with `recordSaved: false` (the reply is out;
   *   throwing would make Lambda retry and reply twice).
   */
  run<T extends StoredOutcome>(
    eventId: string,
    context: Context,
    unit: () => Promise<T>,
    observer: GuardObserver,
  ): Promise<GuardResult<T>>;
}

/** Options of {@link createIdempotencyGuard}. */
export interface IdempotencyGuardOptions {
  readonly persistenceStore: BasePersistenceLayer;
  /** Seconds a COMPLETED record blocks the same `event_id` (DynamoDB TTL attribute `expiration`). */
  readonly expiresAfterSeconds: number;
}

/**
 * The Powertools DynamoDB persistence layer on the app's own DynamoDB client (so timeouts and retries are ours; the
 * endpoint still comes from the SDK's resolution, `AWS_ENDPOINT_URL` locally).
 */
export function createPersistenceStore(tableName: string, client: DynamoDBClient): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client, ...IDEMPOTENCY_ATTRIBUTES });
}

/** The DynamoDB client of the idempotency store: 3 attempts, short connect and request timeouts. */
export function createIdempotencyDynamoDbClient(region: string): DynamoDBClient {
  return new DynamoDBClient({
    region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 3_000 },
  });
}

/**
 * Create the guard over `@aws-lambda-powertools/idempotency` (`makeIdempotent`, keyed on `event_id` by the JMESPath
 * `event_id`, `throwOnNoIdempotencyKey`). A fresh `IdempotencyConfig` per call carries that invocation's Lambda
 * context, so concurrent calls never share the in-progress expiry.
 */
export function createIdempotencyGuard(options: IdempotencyGuardOptions): IdempotencyGuard {
  return {
    async run<T extends StoredOutcome>(
      eventId: string,
      context: Context,
      unit: () => Promise<T>,
      observer: GuardObserver,
    ): Promise<GuardResult<T>> {
      const state: { ran: boolean; outcome?: T; failed: boolean; failure?: unknown } = { ran: false, failed: false };
      const config = new IdempotencyConfig({
        eventKeyJmesPath: 'event_id',
        throwOnNoIdempotencyKey: true,
        expiresAfterSeconds: options.expiresAfterSeconds,
        lambdaContext: { ...context, getRemainingTimeInMillis: () => remainingTimeMs(context) },
      });
      const guarded = makeIdempotent(
        async (_key: { event_id: string }): Promise<T> => {
          state.ran = true;
          try {
            state.outcome = await unit();
            return state.outcome;
          } catch (error) {
            state.failed = true;
            state.failure = error;
            throw error;
          }
        },
        { persistenceStore: options.persistenceStore, config, keyPrefix: IDEMPOTENCY_KEY_PREFIX },
      );

      let result: T | StoredOutcome | undefined;
      try {
        result = await guarded({ event_id: eventId });
      } catch (error) {
        if (state.failed) {
          // The unit failed; if releasing its record failed too, Powertools replaced the unit's error: restore it.
          if (error !== state.failure) observer.onStoreFailure('release_after_failure', error);
          throw state.failure;
        }
        if (state.ran && state.outcome !== undefined) {
          observer.onStoreFailure('save_completed', error);
          return { status: 'executed', outcome: state.outcome, recordSaved: false };
        }
        if (errorName(error) === 'IdempotencyAlreadyInProgressError') {
          throw new EventInProgressError(eventId, { cause: error });
        }
        throw new IdempotencyStoreError(`The idempotency store could not be used (${errorName(error)})`, {
          cause: error,
        });
      }
      if (state.ran && state.outcome !== undefined) return { status: 'executed', outcome: state.outcome, recordSaved: true };
      return { status: 'duplicate', outcome: (result ?? undefined) as StoredOutcome | undefined };
    },
  };
}
