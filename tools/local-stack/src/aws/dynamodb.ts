import { Agent, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import dynalite from 'dynalite';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION, LOOPBACK } from '../constants';
import type { FaultController } from '../faults';
import type { HttpReply, HttpRequestData } from '../http/types';
import { unanswered, headerValue } from '../http/types';
import { awsJsonError } from './errors';

/** A table to create, as the infra app creates it: a string partition key and optionally a TTL attribute. */
export interface TableDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly ttlAttribute?: string;
}

/** The running in-memory DynamoDB. */
export interface LocalDynamo {
  /** Handles an authenticated DynamoDB request (proxied to dynalite). */
  readonly handler: (request: HttpRequestData) => Promise<HttpReply>;
  /** dynalite's own loopback address (not for clients: they go through the local AWS endpoint). */
  readonly backendOrigin: string;
  /** Stops dynalite. */
  close(): Promise<void>;
}

/** Options of {@link startLocalDynamo}. */
export interface LocalDynamoOptions {
  readonly tables: readonly TableDefinition[];
  readonly faults: FaultController;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
const DYNAMO_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';
/** Bound on waiting for a created table to turn ACTIVE. */
const MAX_ACTIVE_CHECKS = 200;

/**
 * Starts dynalite in memory on a loopback port, creates the tables, and returns a handler that proxies each request
 * to it. dynalite has no `UpdateTimeToLive` and always reports TTL disabled, so the two TTL operations are answered
 * here from the table definitions (DynamoDB deletes expired items only eventually, so no sweeping is needed; readers
 * such as Powertools' idempotency check the expiry themselves).
 *
 * @param options - tables and faults
 */
export async function startLocalDynamo(options: LocalDynamoOptions): Promise<LocalDynamo> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
  const backendOrigin = `http://${LOOPBACK}:${port}`;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const ttl = new Map<string, { attributeName: string; enabled: boolean }>();

  const admin = new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint: backendOrigin,
    credentials: { accessKeyId: 'dynalite-admin', secretAccessKey: 'dynalite-admin' },
  });
  try {
    for (const table of options.tables) {
      await admin.send(
        new CreateTableCommand({
          TableName: table.name,
          AttributeDefinitions: [{ AttributeName: table.partitionKey, AttributeType: 'S' }],
          KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await waitUntilActive(admin, table.name);
      if (table.ttlAttribute !== undefined) ttl.set(table.name, { attributeName: table.ttlAttribute, enabled: true });
    }
  } finally {
    admin.destroy();
  }

  const handler = async (request: HttpRequestData): Promise<HttpReply> => {
    const fault = options.faults.take('dynamodb');
    if (fault !== undefined) {
      if (fault.mode !== 'status') return unanswered(fault.mode);
      if (fault.status >= 500) return awsJsonError(fault.status, 'InternalServerError', 'Internal server error', DYNAMO_NAMESPACE);
      return awsJsonError(400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.', DYNAMO_NAMESPACE);
    }
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    if (target === `${TARGET_PREFIX}UpdateTimeToLive` || target === `${TARGET_PREFIX}DescribeTimeToLive`) {
      const answered = answerTtl(target.slice(TARGET_PREFIX.length), request.body, ttl);
      if (answered !== undefined) return answered;
    }
    return proxy(request, port, agent);
  };

  return {
    handler,
    backendOrigin,
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let check = 0; check < MAX_ACTIVE_CHECKS; check += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await nextTurn();
  }
  throw new Error(`the local table ${tableName} did not become ACTIVE`);
}

function answerTtl(operation: string, body: Buffer, ttl: Map<string, { attributeName: string; enabled: boolean }>): HttpReply | undefined {
  let input: { TableName?: unknown; TimeToLiveSpecification?: { AttributeName?: unknown; Enabled?: unknown } };
  try {
    input = JSON.parse(body.toString('utf8')) as typeof input;
  } catch {
    return undefined; // let dynalite produce its serialization error
  }
  if (typeof input.TableName !== 'string') return undefined;
  const reply = (payload: unknown): HttpReply => ({
    kind: 'respond',
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(payload),
  });
  if (operation === 'UpdateTimeToLive') {
    const spec = input.TimeToLiveSpecification;
    if (typeof spec?.AttributeName !== 'string' || typeof spec.Enabled !== 'boolean') return undefined;
    ttl.set(input.TableName, { attributeName: spec.AttributeName, enabled: spec.Enabled });
    return reply({ TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } });
  }
  const current = ttl.get(input.TableName);
  if (current === undefined) return undefined; // dynalite answers DISABLED, or ResourceNotFoundException
  return reply({ TimeToLiveDescription: { TimeToLiveStatus: current.enabled ? 'ENABLED' : 'DISABLED', AttributeName: current.attributeName } });
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

function proxy(request: HttpRequestData, port: number, agent: Agent): Promise<HttpReply> {
  return new Promise<HttpReply>((resolve) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name) && !name.startsWith(':')) headers[name] = value;
    }
    headers['content-length'] = String(request.body.length);
    const upstream = httpRequest({ host: LOOPBACK, port, method: request.method, path: request.rawPath, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const replyHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) replyHeaders[name] = value;
        }
        resolve({ kind: 'respond', status: response.statusCode ?? 500, headers: replyHeaders, body: Buffer.concat(chunks) });
      });
      response.on('error', () => resolve(awsJsonError(500, 'InternalServerError', 'the local DynamoDB backend failed', DYNAMO_NAMESPACE)));
    });
    upstream.on('error', () => resolve(awsJsonError(500, 'InternalServerError', 'the local DynamoDB backend is unreachable', DYNAMO_NAMESPACE)));
    upstream.end(request.body);
  });
}
