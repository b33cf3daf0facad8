import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventInProgressError, IdempotencyStoreError } from '../src/errors';
import {
  createIdempotencyDynamoDbClient,
  createIdempotencyGuard,
  createPersistenceStore,
  FALLBACK_REMAINING_MS,
  IDEMPOTENCY_KEY_PREFIX,
  type GuardObserver,
} from '../src/idempotency';
import { fakeContext } from './support/context';
import { LocalDynamo, TEST_CREDENTIALS, TEST_REGION } from './support/dynalite';

const TTL = 3_600;

/** The record key Powertools derives from an event id: fixed prefix + md5 of the JSON-encoded id. */
function recordKey(eventId: string): string {
  return `${IDEMPOTENCY_KEY_PREFIX}#${createHash('md5').update(JSON.stringify(eventId)).digest('base64')}`;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('idempotency guard on dynalite', () => {
  const dynamo = new LocalDynamo();
  const failures: Array<[string, unknown]> = [];
  const observer: GuardObserver = { onStoreFailure: (stage, error) => failures.push([stage, error]) };
  let table = '';
  let n = 0;

  const guardFor = (client: DynamoDBClient = dynamo.client) =>
    createIdempotencyGuard({ persistenceStore: createPersistenceStore(table, client), expiresAfterSeconds: TTL });

  beforeAll(() => dynamo.start());
  afterAll(() => dynamo.stop());
  beforeEach(async () => {
    n += 1;
    table = `idempotency-${n}`;
    failures.length = 0;
    await dynamo.createIdempotencyTable(table);
  });

  it('runs the unit once, stores a COMPLETED record keyed on event_id, then reports duplicates', async () => {
    const guard = guardFor();
    let runs = 0;
    const unit = async () => ({ outcome: 'replied', parts: (runs += 1) });
    const before = Math.floor(Date.now() / 1000);

    await expect(guard.run('Ev1', fakeContext(), unit, observer)).resolves.toEqual({
      status: 'executed',
      outcome: { outcome: 'replied', parts: 1 },
      recordSaved: true,
    });
    await expect(guard.run('Ev1', fakeContext(), unit, observer)).resolves.toEqual({
      status: 'duplicate',
      outcome: { outcome: 'replied', parts: 1 },
    });
    expect(runs).toBe(1);

    const [item] = await dynamo.items(table);
    expect(item.id).toBe(recordKey('Ev1'));
    expect(item.status).toBe('COMPLETED');
    expect(item.expiration).toBeGreaterThanOrEqual(before + TTL);
    expect(item.expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + TTL);
  });

  it('refuses a concurrent delivery while the first holds the in-progress record', async () => {
    const guard = guardFor();
    const gate = deferred();
    let runs = 0;
    const first = guard.run('Ev2', fakeContext(), async () => {
      runs += 1;
      await gate.promise;
      return { outcome: 'replied' };
    }, observer);
    // Let the first invocation write its INPROGRESS record.
    while ((await dynamo.items(table)).length === 0) await new Promise((r) => setImmediate(r));

    const second = await guard
      .run('Ev2', fakeContext(), async () => ((runs += 1), { outcome: 'replied' }), observer)
      .catch((e: unknown) => e);
    expect(second).toBeInstanceOf(EventInProgressError);
    expect((second as EventInProgressError).retryable).toBe(true);
    const [inProgress] = await dynamo.items(table);
    expect(inProgress.status).toBe('INPROGRESS');
    expect(typeof inProgress.in_progress_expiration).toBe('number');

    gate.resolve();
    await expect(first).resolves.toMatchObject({ status: 'executed' });
    await expect(guard.run('Ev2', fakeContext(), async () => ((runs += 1), { outcome: 'x' }), observer)).resolves.toMatchObject({
      status: 'duplicate',
    });
    expect(runs).toBe(1);
  });

  it('bounds the in-progress record by the remaining time, with a fallback when the context cannot tell', async () => {
    const seen: number[] = [];
    const guard = guardFor();
    const before = Date.now();
    await guard.run('Ev9', fakeContext(30_000), async () => {
      seen.push(Number((await dynamo.items(table))[0].in_progress_expiration));
      return { outcome: 'replied' };
    }, observer);
    const bare = { awsRequestId: 'r', functionName: 'f' } as unknown as Context;
    await guard.run('Ev10', bare, async () => {
      const items = await dynamo.items(table);
      seen.push(Number(items.find((i) => i.id === recordKey('Ev10'))?.in_progress_expiration));
      return { outcome: 'replied' };
    }, observer);
    const after = Date.now();
    expect(seen[0]).toBeGreaterThanOrEqual(before + 30_000);
    expect(seen[0]).toBeLessThanOrEqual(after + 30_000);
    expect(seen[1]).toBeGreaterThanOrEqual(before + FALLBACK_REMAINING_MS);
    expect(seen[1]).toBeLessThanOrEqual(after + FALLBACK_REMAINING_MS);
  });

  it('releases the record when the unit throws, so a retry runs it again', async () => {
    const guard = guardFor();
    const boom = new Error('transient');
    await expect(guard.run('Ev3', fakeContext(), async () => Promise.reject(boom), observer)).rejects.toBe(boom);
    expect(await dynamo.items(table)).toEqual([]);
    await expect(guard.run('Ev3', fakeContext(), async () => ({ outcome: 'replied' }), observer)).resolves.toMatchObject({
      status: 'executed',
    });
    expect(failures).toEqual([]);
  });

  it('takes over an in-progress record whose invocation has expired (a crashed attempt)', async () => {
    await dynamo.client.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          id: { S: recordKey('Ev4') },
          status: { S: 'INPROGRESS' },
          expiration: { N: String(Math.floor(Date.now() / 1000) + TTL) },
          in_progress_expiration: { N: String(Date.now() - 1_000) },
        },
      }),
    );
    await expect(guardFor().run('Ev4', fakeContext(), async () => ({ outcome: 'replied' }), observer)).resolves.toMatchObject({
      status: 'executed',
    });
  });

  it('never runs the unit when the store is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const unreachable = new DynamoDBClient({
      region: TEST_REGION,
      endpoint: `http://127.0.0.1:${port}`,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    let ran = false;
    const error = await guardFor(unreachable)
      .run('Ev5', fakeContext(), async () => ((ran = true), { outcome: 'replied' }), observer)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect((error as IdempotencyStoreError).message).toBe('The idempotency store could not be used (IdempotencyPersistenceLayerError)');
    expect(ran).toBe(false);
  });

  it('does not throw when the work is done but the COMPLETED write fails (a retry would reply twice)', async () => {
    const client = new DynamoDBClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS });
    const ddb = mockClient(client);
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(guardFor(client).run('Ev6', fakeContext(), async () => ({ outcome: 'replied' }), observer)).resolves.toEqual({
      status: 'executed',
      outcome: { outcome: 'replied' },
      recordSaved: false,
    });
    expect(failures.map(([stage]) => stage)).toEqual(['save_completed']);
  });

  it('rethrows the unit’s own error when releasing the record fails too', async () => {
    const client = new DynamoDBClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS });
    const ddb = mockClient(client);
    ddb.on(PutItemCommand).resolves({});
    ddb.on(DeleteItemCommand).rejects(new Error('network down'));
    const boom = new Error('transient');
    await expect(guardFor(client).run('Ev7', fakeContext(), async () => Promise.reject(boom), observer)).rejects.toBe(boom);
    expect(failures.map(([stage]) => stage)).toEqual(['release_after_failure']);
  });

  it('reaches the store through AWS_ENDPOINT_URL, as the local stack configures it', async () => {
    const overrides = {
      AWS_ENDPOINT_URL: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    };
    const saved = Object.fromEntries(Object.keys(overrides).map((k) => [k, process.env[k]]));
    Object.assign(process.env, overrides);
    try {
      const client = createIdempotencyDynamoDbClient(TEST_REGION);
      await guardFor(client).run('Ev8', fakeContext(), async () => ({ outcome: 'replied' }), observer);
      client.destroy();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect((await dynamo.items(table)).map((i) => i.id)).toEqual([recordKey('Ev8')]);
  });
});
