import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

// dynalite ships no types.
const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;

/** Fixed fake credentials: dynalite checks that requests are signed, not by whom. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const TEST_REGION = 'us-east-1';

/** A dynalite server on 127.0.0.1 (ephemeral port) and a client of it. */
export class LocalDynamo {
  private server: Server | undefined;
  endpoint = '';
  client!: DynamoDBClient;

  async start(): Promise<void> {
    this.server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.client = new DynamoDBClient({ region: TEST_REGION, endpoint: this.endpoint, credentials: TEST_CREDENTIALS });
  }

  /**
   * Create an idempotency table as the infra app does: partition key `id` (string). (The TTL attribute `expiration`
   * is set by UpdateTimeToLive in AWS; dynalite does not implement TTL, so tests check the attribute's value instead.)
   */
  async createIdempotencyTable(name: string): Promise<void> {
    await this.client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }

  /** Every item of a table, unmarshalled to plain values. */
  async items(table: string): Promise<Array<Record<string, string | number>>> {
    const out = await this.client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return (out.Items ?? []).map((item) =>
      Object.fromEntries(
        Object.entries(item).map(([k, v]) => [k, v.S ?? (v.N !== undefined ? Number(v.N) : JSON.stringify(v))]),
      ),
    );
  }

  async stop(): Promise<void> {
    this.client.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
