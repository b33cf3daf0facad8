import { Agent } from 'node:http';
import { executeUrlFrom } from '../src/config';
import { createExecutionApiClient } from '../src/execution-api-client';
import { loadSigningModule } from '../src/lazy-modules';
import { startExecutionApi, TEST_CREDENTIALS } from './support/execution-api-server';
import { pinnedClock } from './support/fakes';
import { executionRequest } from './support/fixtures';

const NOW_MS = Date.UTC(2025, 10, 28, 19, 20, 0);
const REQUEST = executionRequest('a1b2c3d4-0000-4000-8000-00000000beef');

describe('createExecutionApiClient (real HTTP, real SigV4, verified by the signing lib)', () => {
  let agents: Agent[] = [];
  const agent = () => {
    const created = new Agent({ keepAlive: true });
    agents.push(created);
    return created;
  };
  afterEach(() => {
    agents.forEach((a) => a.destroy());
    agents = [];
  });

  const client = (stageUrl: string, over: Partial<Parameters<typeof createExecutionApiClient>[0]> = {}) => {
    const target = executeUrlFrom(`${stageUrl}/`);
    if (!target.ok) throw new Error('bad stage URL');
    return createExecutionApiClient({
      executeUrl: target.executeUrl,
      region: 'us-east-1',
      timeoutMs: 2000,
      credentials: async () => TEST_CREDENTIALS,
      now: pinnedClock(NOW_MS).now,
      agent: agent(),
      ...over,
    });
  };

  it('POSTs the ExecutionRequest as JSON to <stage>/execute, SigV4-signed at the injected time, with X-Correlation-Id', async () => {
    const api = await startExecutionApi({ now: () => new Date(NOW_MS) });
    try {
      const attempt = await client(api.stageUrl).post(REQUEST, REQUEST.correlation_id);
      expect(attempt).toEqual({ kind: 'response', status: 202, body: '{"status":"accepted"}', latencyMs: 0 });
      const [received] = api.received;
      expect(received).toMatchObject({ method: 'POST', url: '/prod/execute', authenticated: true });
      expect(received?.headers['x-correlation-id']).toBe(REQUEST.correlation_id);
      expect(received?.headers['content-type']).toBe('application/json');
      expect(received?.headers['x-amz-date']).toBe('20251128T192000Z');
      expect(received?.headers['x-amz-security-token']).toBe(TEST_CREDENTIALS.sessionToken);
      expect(received?.headers['authorization']).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDVERIFICATIONTEST\/20251128\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*x-correlation-id[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
      );
      expect(JSON.parse(received?.body ?? '')).toEqual(REQUEST);
    } finally {
      await api.close();
    }
  });

  it('reports the status of any answer, e.g. the verifier refusing unknown credentials (403)', async () => {
    const api = await startExecutionApi({ now: () => new Date(NOW_MS) });
    try {
      const attempt = await client(api.stageUrl, { credentials: async () => ({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' }) }).post(REQUEST, 'c');
      expect(attempt).toMatchObject({ kind: 'response', status: 403 });
      expect(attempt.kind === 'response' && attempt.body).toContain('The security token included in the request is invalid.');
    } finally {
      await api.close();
    }
  });

  it('is refused when its clock is more than 5 minutes off the API', async () => {
    const api = await startExecutionApi({ now: () => new Date(NOW_MS + 301_000) });
    try {
      expect(await client(api.stageUrl).post(REQUEST, 'c')).toMatchObject({ kind: 'response', status: 403 });
      expect(api.received[0]?.authenticated).toBe(false);
    } finally {
      await api.close();
    }
  });

  it('reuses one kept-alive connection across warm invocations', async () => {
    const api = await startExecutionApi({ now: () => new Date(NOW_MS) });
    try {
      const shared = client(api.stageUrl);
      await shared.post(REQUEST, 'c1');
      await shared.post(REQUEST, 'c2');
      await shared.post(REQUEST, 'c3');
      expect(api.received).toHaveLength(3);
      expect(api.connections()).toBe(1);
    } finally {
      await api.close();
    }
  });

  it('classifies a timeout', async () => {
    const api = await startExecutionApi({ now: () => new Date(NOW_MS), answers: ['hang'] });
    try {
      const attempt = await client(api.stageUrl, { timeoutMs: 50 }).post(REQUEST, 'c');
      expect(attempt).toMatchObject({ kind: 'exception', failure: 'timeout' });
      expect(attempt.kind === 'exception' && (attempt.error as Error).name).toBe('RequestTimeoutError');
    } finally {
      await api.close();
    }
  });

  it('classifies a refused connection as a network error', async () => {
    const api = await startExecutionApi({ now: () => new Date(NOW_MS) });
    await api.close();
    expect(await client(api.stageUrl).post(REQUEST, 'c')).toMatchObject({ kind: 'exception', failure: 'network' });
  });

  it('classifies failing credentials as a signing error, without sending anything', async () => {
    const api = await startExecutionApi({ now: () => new Date(NOW_MS) });
    try {
      const attempt = await client(api.stageUrl, { credentials: async () => Promise.reject(new Error('no credentials')) }).post(REQUEST, 'c');
      expect(attempt).toMatchObject({ kind: 'exception', failure: 'signing' });
      expect(api.received).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('loads the signer on first use only, and reports a failed load as an exception', async () => {
    const api = await startExecutionApi({ now: () => new Date(NOW_MS) });
    try {
      const load = jest.fn(loadSigningModule);
      load.mockRejectedValueOnce(new Error('Cannot find module'));
      const lazy = client(api.stageUrl, { loadSigning: load });
      expect(load).not.toHaveBeenCalled();
      expect(await lazy.post(REQUEST, 'c')).toMatchObject({ kind: 'exception', failure: 'unknown' });
      expect(await lazy.post(REQUEST, 'c')).toMatchObject({ kind: 'response', status: 202 });
      expect(await lazy.post(REQUEST, 'c')).toMatchObject({ kind: 'response', status: 202 });
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      await api.close();
    }
  });
});
