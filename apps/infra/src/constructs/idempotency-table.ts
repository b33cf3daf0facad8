import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { IDEMPOTENCY_TABLE } from '@slack-ai-app/execution-api-contract';

/** Props of {@link IdempotencyTable}. */
export interface IdempotencyTableProps {
  /**
   * What happens to the table when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Refuse deletion of the table, even by CloudFormation.
   *
   * @default false
   */
  readonly deletionProtection?: boolean;
}

/**
 * The execution Lambda's exactly-once guard: one item per Slack `event_id`, written before the reply is posted and
 * expired by DynamoDB TTL. The verification layer stays stateless; the guard sits where the reply is posted.
 *
 * Keys come from `IDEMPOTENCY_TABLE` in `libs/execution-api-contract` (partition key `id`, TTL attribute
 * `expiration`), the same names the execution Lambda and the local stack use. On-demand billing, encryption at rest
 * with the AWS managed key, point-in-time recovery.
 */
export class IdempotencyTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.TableV2;

  /**
   * @param scope - parent construct
   * @param id - construct id
   * @param props - see {@link IdempotencyTableProps}
   */
  constructor(scope: Construct, id: string, props: IdempotencyTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE.ttlAttribute,
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
