import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { RequestSigner, type RequestSignerOptions } from '@slack-ai-app/signing';
import type { FaultController } from '../faults';
import type { HttpReply, HttpRequestData } from '../http/types';
import { unanswered } from '../http/types';
import { restJsonError } from './errors';
import { converseEventStream, EVENT_STREAM_CONTENT_TYPE, wholeAnswer, type ModelStreamSettings } from './converse-stream';
import { runLocalModel, type ConverseRequestBody } from './local-model';

/**
 * Bedrock Runtime's Converse operation, `POST /model/{modelId}/converse` (signing name `bedrock`), answered by the
 * deterministic local model or forwarded to real Bedrock. Errors use restJson1's shape (`x-amzn-ErrorType` and a JSON
 * `message`), so `@aws-sdk/client-bedrock-runtime` maps them to its exception classes.
 */

const CONVERSE_PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/** Real Bedrock, reached with credentials from the host environment (never the local fake keys). */
export interface BedrockUpstream {
  /** e.g. `https://bedrock-runtime.us-east-1.amazonaws.com` */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: NonNullable<RequestSignerOptions['credentials']>;
  /** Bound on one forwarded call. @default 120_000 */
  readonly timeoutMs?: number;
}

/** Options of {@link createBedrockHandler}. */
export interface BedrockOptions {
  /** Delay before the local model answers (a stand-in for model latency). */
  readonly latencyMs: () => number;
  /**
   * How answers are paced and sized: ConverseStream streams them so; Converse answers when the stream would have ended.
   * @default first token after `latencyMs`, all tokens at once
   */
  readonly stream?: () => ModelStreamSettings;
  /** Forward to real Bedrock instead of answering locally. */
  readonly upstream?: BedrockUpstream;
  readonly faults: FaultController;
  /** Aborted when the stack stops, ending any wait. */
  readonly signal: AbortSignal;
}

/** The Bedrock errors an injected status stands for. */
const FAULTS: Record<number, [string, string]> = {
  400: ['ValidationException', 'Injected validation failure (local stack).'],
  403: ['AccessDeniedException', "You don't have access to the model with the specified model ID."],
  404: ['ResourceNotFoundException', 'The provided model identifier is invalid.'],
  408: ['ModelTimeoutException', 'Model has timed out in processing the request. Try your request again.'],
  424: ['ModelErrorException', 'The model returned an error (injected by the local stack).'],
  429: ['ThrottlingException', 'Too many requests, please wait before trying again.'],
  500: ['InternalServerException', 'The server encountered an internal error while processing the request.'],
  503: ['ServiceUnavailableException', 'Bedrock is unable to process your request.'],
};

/**
 * Creates the Converse handler. The caller has authenticated the request.
 *
 * @param options - latency, upstream, faults, stop signal
 */
export function createBedrockHandler(options: BedrockOptions): (request: HttpRequestData) => Promise<HttpReply> {
  return async (request) => {
    const match = CONVERSE_PATH.exec(request.path);
    if (match === null || request.method !== 'POST') {
      return restJsonError(404, 'UnknownOperationException', `The local stack emulates only Converse and ConverseStream (POST /model/{modelId}/converse[-stream]), not ${request.method} ${request.path}.`);
    }
    const streaming = match[2] === 'converse-stream';
    // A stream break applies to ConverseStream only; Converse leaves it armed.
    const fault = options.faults.take('bedrock', (spec) => streaming || spec.mode !== 'break');
    if (fault !== undefined && fault.mode !== 'break') {
      if (fault.mode !== 'status') return unanswered(fault.mode);
      const [errorType, message] = FAULTS[fault.status] ?? [fault.status >= 500 ? 'InternalServerException' : 'ValidationException', `Injected HTTP ${fault.status}.`];
      return restJsonError(fault.status, errorType, message);
    }
    if (options.upstream !== undefined) return forward(request, options.upstream);

    let body: ConverseRequestBody;
    try {
      body = JSON.parse(request.body.toString('utf8')) as ConverseRequestBody;
    } catch {
      return restJsonError(400, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
    }
    if (typeof body !== 'object' || body === null) return restJsonError(400, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
    const latencyMs = Math.max(0, options.latencyMs());
    const result = runLocalModel(body, latencyMs);
    if (!result.ok) return restJsonError(400, 'ValidationException', result.message);
    const settings = options.stream?.() ?? { ttftMs: latencyMs, tokensPerSecond: 0 };
    if (streaming) {
      return {
        kind: 'stream',
        status: 200,
        headers: { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
        body: converseEventStream(result.body, settings, options.signal, fault?.mode === 'break' ? { afterTokens: fault.afterTokens } : undefined),
      };
    }
    // Converse answers when the stream would have ended: the same answer, the same time.
    const whole = wholeAnswer(result.body, settings);
    try {
      if (whole.latencyMs > 0) await delay(whole.latencyMs, undefined, { signal: options.signal });
    } catch {
      return { kind: 'drop' }; // the stack is stopping
    }
    return {
      kind: 'respond',
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
      body: JSON.stringify(whole.body),
    };
  };
}

/**
 * Forwards a Converse request to real Bedrock: same path and body, signed again with the host's credentials.
 *
 * @param request - the local request (its local signature is dropped)
 * @param upstream - the real endpoint and credentials
 */
export async function forward(request: HttpRequestData, upstream: BedrockUpstream): Promise<HttpReply> {
  const signer = new RequestSigner({ service: 'bedrock', region: upstream.region, credentials: upstream.credentials });
  const signed = await signer.sign({
    method: request.method,
    url: new URL(request.rawPath, upstream.endpoint),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: request.body.toString('utf8'),
  });
  let response: Response;
  try {
    response = await fetch(signed.url, {
      method: signed.method,
      headers: signed.headers,
      body: signed.body ?? null,
      signal: AbortSignal.timeout(upstream.timeoutMs ?? 120_000),
    });
  } catch (error) {
    return restJsonError(503, 'ServiceUnavailableException', `The local stack could not reach Bedrock at ${upstream.endpoint}: ${(error as Error).message}`);
  }
  const headers: Record<string, string> = { 'content-type': response.headers.get('content-type') ?? 'application/json' };
  for (const name of ['x-amzn-errortype', 'x-amzn-requestid']) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { kind: 'respond', status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
}
