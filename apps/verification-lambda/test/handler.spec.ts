/**
 * The exported `handler`, as Lambda loads it: configuration parsed at module load from `process.env`, logs on stdout.
 */
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { TEST_SIGNING_SECRET } from './support/fakes';
import { loadFunctionUrlEvent, signEvent } from './support/fixtures';

const NOW_MS = 1_764_357_600_000;
const CONTEXT = { awsRequestId: 'a1b2c3d4-0000-4000-8000-0000000000aa', functionName: 'verification' } as Context;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:execution';

type Handler = (event: LambdaFunctionURLEvent, context: Context) => Promise<{ statusCode: number; body: string }>;

/** Loads `src/main.ts` in a fresh module registry with this environment, capturing its stdout lines. */
function loadHandler(env: Record<string, string>) {
  const saved = process.env;
  process.env = { ...env };
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  let loaded: { handler: Handler; mockLambda: () => { commandCalls: () => unknown[] } };
  try {
    // A fresh registry per test: main.ts runs its cold start again, and its first-use import of the Lambda client
    // resolves to the same class the mock patches here.
    jest.resetModules();
    const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
    const { mockClient } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const { handler } = require('../src/main') as { handler: Handler };
    loaded = { handler, mockLambda: () => ({ commandCalls: () => lambda.commandCalls(InvokeCommand) }) };
  } finally {
    process.env = saved;
  }
  return { ...loaded, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), restore: () => write.mockRestore() };
}

describe('handler', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW_MS));

  it('verifies and hands off a Slack app_mention by the direct path, logging JSON lines on stdout', async () => {
    const loaded = loadHandler({ SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, BEDROCK_PROCESSOR_ARN: FUNCTION_ARN, AWS_REGION: 'us-east-1' });
    try {
      const response = await loaded.handler(signEvent(loadFunctionUrlEvent('app-mention'), TEST_SIGNING_SECRET, NOW_MS / 1000), CONTEXT);
      expect(response).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
      expect(loaded.mockLambda().commandCalls()).toHaveLength(1);
      const events = loaded.lines().map((line) => line['event']);
      expect(events).toEqual(['slack_request_received', 'direct_invoke_started', 'direct_invoke_success', 'handoff_completed']);
      expect(loaded.lines()[0]).toMatchObject({ service: 'verification', aws_request_id: CONTEXT.awsRequestId, correlation_id: CONTEXT.awsRequestId });
    } finally {
      loaded.restore();
    }
  });

  it('fails closed with 401 and config_invalid naming both variables when no signing secret is configured', async () => {
    const loaded = loadHandler({ BEDROCK_PROCESSOR_ARN: FUNCTION_ARN });
    try {
      const response = await loaded.handler(signEvent(loadFunctionUrlEvent('app-mention'), TEST_SIGNING_SECRET, NOW_MS / 1000), CONTEXT);
      expect(response).toEqual({
        statusCode: 401,
        headers: { 'content-type': 'application/json' },
        body: '{"error":"service misconfigured; request cannot be verified"}',
      });
      expect(loaded.mockLambda().commandCalls()).toHaveLength(0);
      const invalid = loaded.lines().filter((line) => line['event'] === 'config_invalid');
      expect(invalid).toHaveLength(2); // once at cold start, once for the request
      expect(invalid[0]).toMatchObject({
        level: 'error',
        variables: ['SLACK_SIGNING_SECRET_ARN', 'SLACK_SIGNING_SECRET'],
        error:
          'SLACK_SIGNING_SECRET_ARN or SLACK_SIGNING_SECRET must be set (the Secrets Manager name or ARN of the Slack signing secret, or the secret itself for local use)',
      });
      expect(invalid[1]).toMatchObject({ aws_request_id: CONTEXT.awsRequestId });
    } finally {
      loaded.restore();
    }
  });

  it('names a bad variable at cold start without echoing secrets', async () => {
    const loaded = loadHandler({ SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, BEDROCK_PROCESSOR_ARN: FUNCTION_ARN, USE_API_GATEWAY_PERCENTAGE: 'half' });
    try {
      const response = await loaded.handler(signEvent(loadFunctionUrlEvent('app-mention'), TEST_SIGNING_SECRET, NOW_MS / 1000), CONTEXT);
      expect(response.statusCode).toBe(401);
      const [line] = loaded.lines();
      expect(line).toMatchObject({ event: 'config_invalid', error: 'USE_API_GATEWAY_PERCENTAGE must be an integer from 0 to 100, got "half"' });
      expect(JSON.stringify(loaded.lines())).not.toContain(TEST_SIGNING_SECRET);
    } finally {
      loaded.restore();
    }
  });

  it('keeps working at info level when LOG_LEVEL is invalid, and says so', async () => {
    const loaded = loadHandler({ SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, BEDROCK_PROCESSOR_ARN: FUNCTION_ARN, LOG_LEVEL: 'verbose' });
    try {
      const response = await loaded.handler(signEvent(loadFunctionUrlEvent('direct-message'), TEST_SIGNING_SECRET, NOW_MS / 1000), CONTEXT);
      expect(response.statusCode).toBe(200);
      expect(loaded.lines()[0]).toMatchObject({ event: 'config_invalid', level: 'warn', variables: ['LOG_LEVEL'], fallback_level: 'info' });
    } finally {
      loaded.restore();
    }
  });
});
