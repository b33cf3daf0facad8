import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionRequest } from '@slack-ai-app/payload-schemas';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { computeSlackSignature } from '../../src/slack-signature';
import { EVENTS_DIR } from './paths';

/** The Function URL fixtures in `test/events/function-url/`, each a real Slack delivery as Lambda passes it. */
export type FunctionUrlVariant =
  | 'app-mention'
  | 'app-mention-base64'
  | 'app-mention-in-thread'
  | 'bot-message'
  | 'direct-message'
  | 'message-changed'
  | 'message-deleted'
  | 'retry'
  | 'url-verification';

/** Loads a fixture (a fresh copy each call, so tests may change it). */
export function loadFunctionUrlEvent(variant: FunctionUrlVariant): LambdaFunctionURLEvent {
  return JSON.parse(readFileSync(join(EVENTS_DIR, 'function-url', `${variant}.json`), 'utf8')) as LambdaFunctionURLEvent;
}

/** The raw body bytes of a Function URL event, decoded when `isBase64Encoded`. */
export function rawBodyOf(event: LambdaFunctionURLEvent): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/** The Slack envelope (parsed body) of a Function URL event. */
export function envelopeOf(event: LambdaFunctionURLEvent): Record<string, unknown> & { event: Record<string, unknown> } {
  return JSON.parse(rawBodyOf(event).toString('utf8'));
}

/** Replaces the body of a Function URL event with this JSON value (plain text, not base64). */
export function withEnvelope(event: LambdaFunctionURLEvent, envelope: unknown): LambdaFunctionURLEvent {
  const body = JSON.stringify(envelope);
  return { ...event, body, isBase64Encoded: false, headers: { ...event.headers, 'content-length': String(Buffer.byteLength(body)) } };
}

/** Signs a Function URL event as Slack would: adds `x-slack-request-timestamp` and `x-slack-signature`. */
export function signEvent(event: LambdaFunctionURLEvent, secret: string, timestampSeconds: number): LambdaFunctionURLEvent {
  const timestamp = String(timestampSeconds);
  return {
    ...event,
    headers: {
      ...event.headers,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': computeSlackSignature(secret, timestamp, rawBodyOf(event)),
    },
  };
}

/** The hand-off request of an app mention ("What is the capital of France?"), as the verification Lambda sends it. */
export function executionRequest(correlationId: string): ExecutionRequest {
  return {
    channel: 'C0CHAN0001',
    text: 'What is the capital of France?',
    user_id: 'U0USER0001',
    team_id: 'T0AAAAAAA1',
    event_id: 'Ev0APPMENT01',
    correlation_id: correlationId,
    message_ts: '1764357598.123459',
  };
}
