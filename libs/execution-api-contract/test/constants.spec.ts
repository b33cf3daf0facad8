import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { EXECUTE_API_INVOKE_ACTION, EXECUTION_API_METHOD, EXECUTION_API_PATH, EXECUTION_API_STAGE, IDEMPOTENCY_TABLE } from '../src';

describe('constants', () => {
  it('name the execution endpoint POST /execute on stage prod', () => {
    expect({ EXECUTION_API_STAGE, EXECUTION_API_METHOD, EXECUTION_API_PATH, EXECUTE_API_INVOKE_ACTION }).toEqual({
      EXECUTION_API_STAGE: 'prod',
      EXECUTION_API_METHOD: 'POST',
      EXECUTION_API_PATH: 'execute',
      EXECUTE_API_INVOKE_ACTION: 'execute-api:Invoke',
    });
  });

  it("match the installed Powertools DynamoDBPersistenceLayer's default key and expiry attributes", () => {
    const layer = new DynamoDBPersistenceLayer({ tableName: 'idempotency' }) as unknown as {
      keyAttr: string;
      expiryAttr: string;
    };
    expect(IDEMPOTENCY_TABLE).toEqual({ partitionKey: layer.keyAttr, ttlAttribute: layer.expiryAttr });
    expect(IDEMPOTENCY_TABLE).toEqual({ partitionKey: 'id', ttlAttribute: 'expiration' });
  });
});
