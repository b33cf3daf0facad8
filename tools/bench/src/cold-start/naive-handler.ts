/**
 * The naive reference for the cold-start comparison: the verification Lambda's API path as it is commonly first
 * written, with every library imported and every client built eagerly at module scope: the Lambda client (for the
 * fallback), the SigV4 signer, pino, and full `zod`. It does the same work per request as the real bundle's API path
 * (checks the Slack signature, validates the envelope, signs and posts the ExecutionRequest, answers 200), so that
 * "load + first invocation" compares like with like.
 *
 * Never deployed: the benchmark bundles it with esbuild (platform node, target node24, minified) into a temporary
 * directory and runs it in fresh processes next to the real bundle.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { request } from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import pino from 'pino';
import { z } from 'zod';
import { executionFunctionArnFrom, VERIFICATION_ENV } from '@slack-ai-app/stack-contract';

const logger = pino({ base: { service: 'naive-verification' } });
const region = process.env['AWS_REGION'] ?? 'us-east-1';
const lambda = new LambdaClient({ region });
const signer = new SignatureV4({
  service: 'execute-api',
  region,
  credentials: {
    accessKeyId: process.env['AWS_ACCESS_KEY_ID'] ?? '',
    secretAccessKey: process.env['AWS_SECRET_ACCESS_KEY'] ?? '',
    ...(process.env['AWS_SESSION_TOKEN'] ? { sessionToken: process.env['AWS_SESSION_TOKEN'] } : {}),
  },
  sha256: Hash.bind(null, 'sha256'),
});

const SlackEnvelope = z.object({
  type: z.literal('event_callback'),
  team_id: z.string().min(1),
  event_id: z.string().min(1),
  event: z.object({
    type: z.literal('app_mention'),
    user: z.string().min(1),
    channel: z.string().min(1),
    text: z.string(),
    ts: z.string().regex(/^\d+\.\d+$/),
    thread_ts: z.string().optional(),
  }),
});

const ExecutionRequest = z.object({
  channel: z.string().min(1),
  text: z.string().max(4000),
  user_id: z.string().min(1),
  team_id: z.string().min(1),
  event_id: z.string().min(1),
  correlation_id: z.string().min(1),
  message_ts: z.string().optional(),
  thread_ts: z.string().optional(),
});

interface FunctionUrlEvent {
  headers?: Record<string, string | undefined>;
  body?: string;
  requestContext?: { requestId?: string };
}

function respond(statusCode: number, body: unknown) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function signatureValid(headers: Record<string, string | undefined>, body: string): boolean {
  const timestamp = headers['x-slack-request-timestamp'];
  const signature = headers['x-slack-signature'] ?? '';
  if (timestamp === undefined || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = `v0=${createHmac('sha256', process.env['SLACK_SIGNING_SECRET'] ?? '').update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

function post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The naive handler: Function URL event in, `{ statusCode }` out.
 *
 * @param event - the Function URL event (payload format 2.0)
 * @returns 200 when handed off, 401 on a bad signature, 400 on a bad envelope, 500 when every path failed
 */
export async function handler(event: FunctionUrlEvent) {
  const headers = event.headers ?? {};
  const body = event.body ?? '';
  if (!signatureValid(headers, body)) return respond(401, { error: 'invalid signature' });
  const parsed = SlackEnvelope.safeParse(JSON.parse(body));
  if (!parsed.success) return respond(400, { error: parsed.error.message });
  const envelope = parsed.data;
  const correlationId = event.requestContext?.requestId ?? envelope.event_id;
  const executionRequest = ExecutionRequest.parse({
    channel: envelope.event.channel,
    text: envelope.event.text.replace(/<@[A-Z0-9]+>\s*/g, ''),
    user_id: envelope.event.user,
    team_id: envelope.team_id,
    event_id: envelope.event_id,
    correlation_id: correlationId,
    message_ts: envelope.event.ts,
    ...(envelope.event.thread_ts === undefined ? {} : { thread_ts: envelope.event.thread_ts }),
  });
  const payload = JSON.stringify(executionRequest);
  logger.info({ event_id: envelope.event_id }, 'execution_api_invocation_started');

  const url = new URL('execute', process.env[VERIFICATION_ENV.executionApiUrl]);
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), 'x-correlation-id': correlationId },
      body: payload,
    }),
  );
  try {
    const status = await post(url, signed.headers as Record<string, string>, payload);
    if (status === 200 || status === 202) {
      logger.info({ event_id: envelope.event_id, status }, 'handoff_completed');
      return respond(200, { ok: true });
    }
    logger.warn({ status }, 'execution_api_invocation_error');
  } catch (error) {
    logger.warn({ error: String(error) }, 'execution_api_invocation_failed');
  }
  const invoked = await lambda.send(
    new InvokeCommand({ FunctionName: executionFunctionArnFrom(process.env), InvocationType: 'Event', Payload: Buffer.from(payload) }),
  );
  return invoked.StatusCode === 202 ? respond(200, { ok: true }) : respond(500, { error: 'hand-off failed' });
}
