/** The API Gateway stage the execution API is deployed to. */
export const EXECUTION_API_STAGE = 'prod';

/** The resource path (no leading slash) of the execution endpoint: `POST /execute`. */
export const EXECUTION_API_PATH = 'execute';

/** The HTTP method of the execution endpoint. */
export const EXECUTION_API_METHOD = 'POST';

/** The IAM action API Gateway checks for a call to an IAM-authorized method. */
export const EXECUTE_API_INVOKE_ACTION = 'execute-api:Invoke';

/** Header carrying the correlation id from the verification Lambda to the execution Lambda. */
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/**
 * Key schema of the execution Lambda's idempotency table: the defaults of Powertools'
 * `DynamoDBPersistenceLayer` (`keyAttr` `'id'`, `expiryAttr` `'expiration'`), so the CDK table and the runtime agree
 * without configuring either. The TTL attribute must be enabled on `expiration`.
 */
export const IDEMPOTENCY_TABLE = { partitionKey: 'id', ttlAttribute: 'expiration' } as const;

/**
 * Default reserved concurrency of the execution Lambda: at most this many Bedrock answers are generated at once.
 * `apps/infra` deploys it (context key `executionReservedConcurrency`) and `tools/local-stack` runs the local execution
 * function with it, so a burst is limited the same way in both places. How the value is derived from the Bedrock
 * quota is in `apps/infra/README.md` ("Concurrency").
 */
export const DEFAULT_EXECUTION_RESERVED_CONCURRENCY = 10;
