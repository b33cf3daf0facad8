/**
 * The two hand-off paths end to end through the verification core: the API path against a local execution API that
 * verifies SigV4 with tools/aws-emulation's verifier (real HTTP, real signing), the direct path through the real Lambda client under
 * aws-sdk-client-mock.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { parseExecutionRequest } from '@slack-ai-app/payload-schemas';
import { mockClient } from 'aws-sdk-client-mock';
import { Agent } from 'node:http';
import { createDirectInvoker } from '../src/direct-invoker';
import { createExecutionApiClient } from '../src/execution-api-client';
import { handleSlackRequest } from '../src/handle-slack-request';
import { startExecutionApi, TEST_CREDENTIALS, type ScriptedAnswer } from './support/execution-api-server';
import { pinnedClock, staticSecrets, TEST_SIGNING_SECRET, testConfig } from './support/fakes';
import { loadFunctionUrlEvent, signEvent } from './support/fixtures';
import { captureLogs } from './support/log-capture';

const NOW_MS = 1_764_357_600_000;
const CONTEXT = { awsRequestId: 'a1b2c3d4-0000-4000-8000-00000000cafe', functionName: 'verification' };
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:execution';

const lambda = mockClient(LambdaClient);
let agent: Agent;
beforeEach(() => {
  lambda.reset();
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  agent = new Agent({ keepAlive: true });
});
afterEach(() => agent.destroy());
afterAll(() => lambda.restore());

async function deliver(options: { answers: ScriptedAnswer[]; env: Record<string, string>; withArn?: boolean; timeoutMs?: number }) {
  const api = await startExecutionApi({ now: () => new Date(NOW_MS), answers: options.answers });
  try {
    const clock = pinnedClock(NOW_MS);
    const logs = captureLogs();
    const config = testConfig({ EXECUTION_API_URL: `${api.stageUrl}/`, ...options.env });
    const target = config.handoff.executionApi;
    const response = await handleSlackRequest(signEvent(loadFunctionUrlEvent('app-mention'), TEST_SIGNING_SECRET, NOW_MS / 1000 - 1), CONTEXT, {
      config,
      secrets: staticSecrets(TEST_SIGNING_SECRET),
      api: target.ok
        ? createExecutionApiClient({
            executeUrl: target.executeUrl,
            region: 'us-east-1',
            timeoutMs: options.timeoutMs ?? 2000,
            credentials: async () => TEST_CREDENTIALS,
            now: clock.now,
            agent,
          })
        : undefined,
      direct: options.withArn === false ? undefined : createDirectInvoker({ functionName: FUNCTION_ARN, region: 'us-east-1' }),
      logger: logs.logger,
      now: clock.now,
    });
    return { response, logs, received: [...api.received], invokes: lambda.commandCalls(InvokeCommand) };
  } finally {
    await api.close();
  }
}

const ALL_API = { USE_API_GATEWAY: 'true' };

describe('hand-off over the API path (real HTTP, SigV4 verified by the emulated API Gateway)', () => {
  it('delivers the ExecutionRequest once, authenticated, and answers Slack 200', async () => {
    const { response, received, invokes, logs } = await deliver({ answers: [202], env: ALL_API });
    expect(response.statusCode).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ authenticated: true, url: '/prod/execute' });
    expect(received[0]?.headers['x-correlation-id']).toBe(CONTEXT.awsRequestId);
    const body = parseExecutionRequest(JSON.parse(received[0]?.body ?? ''));
    expect(body.ok && body.value).toMatchObject({ event_id: 'Ev0APPMENT01', correlation_id: CONTEXT.awsRequestId });
    expect(invokes).toHaveLength(0);
    expect(logs.events('execution_api_invocation_success')[0]).toMatchObject({ status: 202, path: 'api', HandoffLatency: 0 });
  });

  // status × path: where each API answer ends up, with the fallback configured.
  it.each([
    [200, 0, 'execution_api_invocation_success'],
    [202, 0, 'execution_api_invocation_success'],
    [400, 0, 'execution_api_invocation_error'],
    [403, 1, 'execution_api_invocation_error'],
    [429, 1, 'execution_api_invocation_error'],
    [500, 1, 'execution_api_invocation_error'],
    [502, 1, 'execution_api_invocation_error'],
    [503, 1, 'execution_api_invocation_error'],
  ])('API answers %i → %i direct invoke(s), logged as %s, Slack gets 200', async (status, directInvokes, logged) => {
    const { response, invokes, logs } = await deliver({ answers: [status], env: ALL_API });
    expect(response.statusCode).toBe(200);
    expect(invokes).toHaveLength(directInvokes);
    expect(logs.events(logged)[0]).toMatchObject({ status });
    if (directInvokes === 1) {
      expect(JSON.parse(Buffer.from(invokes[0]?.args[0].input.Payload as Uint8Array).toString('utf8'))).toMatchObject({ event_id: 'Ev0APPMENT01' });
      expect(invokes[0]?.args[0].input).toMatchObject({ FunctionName: FUNCTION_ARN, InvocationType: 'Event' });
    }
  });

  it('falls back on a timeout', async () => {
    const { response, invokes, logs } = await deliver({ answers: ['hang'], env: ALL_API, timeoutMs: 50 });
    expect(response.statusCode).toBe(200);
    expect(invokes).toHaveLength(1);
    expect(logs.events('fallback_to_direct_invoke')[0]).toMatchObject({ reason: 'timeout' });
  });

  it('answers 500 when the API fails and no fallback is configured', async () => {
    const { response, invokes } = await deliver({ answers: [503], env: ALL_API, withArn: false });
    expect(response.statusCode).toBe(500);
    expect(invokes).toHaveLength(0);
  });

  it('answers 500 when both paths fail (Slack retries later; nothing is lost)', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const { response, logs } = await deliver({ answers: [503], env: ALL_API });
    expect(response.statusCode).toBe(500);
    expect(logs.names()).toEqual(expect.arrayContaining(['execution_api_invocation_error', 'fallback_to_direct_invoke', 'direct_invoke_failed', 'handoff_failed']));
  });
});

describe('hand-off over the direct path (aws-sdk-client-mock)', () => {
  it('invokes the execution Lambda asynchronously when API Gateway is off', async () => {
    const { response, received, invokes, logs } = await deliver({ answers: [202], env: {} });
    expect(response.statusCode).toBe(200);
    expect(received).toHaveLength(0);
    expect(invokes).toHaveLength(1);
    expect(logs.events('direct_invoke_success')[0]).toMatchObject({ path: 'direct', status_code: 202 });
  });

  it('answers 500 when Lambda does not accept the event', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 500 });
    const { response } = await deliver({ answers: [202], env: {} });
    expect(response.statusCode).toBe(500);
  });

  it('takes the path the bucket picks, by USE_API_GATEWAY_PERCENTAGE', async () => {
    const none = await deliver({ answers: [202], env: { USE_API_GATEWAY_PERCENTAGE: '0' } });
    expect([none.received.length, none.invokes.length]).toEqual([0, 1]);
    lambda.resetHistory();
    const all = await deliver({ answers: [202], env: { USE_API_GATEWAY_PERCENTAGE: '100' } });
    expect([all.received.length, all.invokes.length]).toEqual([1, 0]);
    expect(all.logs.events('api_gateway_percentage_check')[0]).toMatchObject({ percentage: 100, decision: 'api' });
  });
});
