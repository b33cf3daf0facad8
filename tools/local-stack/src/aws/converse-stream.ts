import { setTimeout as delay } from 'node:timers/promises';
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import type { ConverseResponseBody } from './local-model';

/**
 * Bedrock Runtime `ConverseStream` in its real wire format: an `application/vnd.amazon.eventstream` body of binary
 * event-stream messages (prelude, headers, JSON payload, CRCs), encoded with `@smithy/eventstream-codec`, the codec
 * the SDK decodes them with. Events (API reference,
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html): `messageStart`
 * `{role}`, `contentBlockDelta` `{contentBlockIndex, delta: {text}}`, `contentBlockStop`, `messageStop`
 * `{stopReason}`, `metadata` `{usage, metrics: {latencyMs}}`; each with headers `:message-type: event`,
 * `:event-type: <name>`, `:content-type: application/json`. An error inside the stream is an exception message
 * (`:message-type: exception`, `:exception-type: modelStreamErrorException`, body `{"message": …}`), which the SDK
 * throws as `ModelStreamErrorException` (`@smithy/core` event-streams `getMessageUnmarshaller`).
 */

/** The content type of an AWS event stream response. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** Characters per token of the local model (the same estimate as its usage figures). */
export const STREAM_CHARS_PER_TOKEN = 4;

/** How the local model streams. */
export interface ModelStreamSettings {
  /** Milliseconds to the first token (`LOCAL_STACK_MODEL_TTFT_MS`). */
  readonly ttftMs: number;
  /** Tokens per second after the first (`LOCAL_STACK_MODEL_TOKENS_PER_SECOND`); 0 sends them all at once. */
  readonly tokensPerSecond: number;
  /** The answer's length in tokens (`LOCAL_STACK_MODEL_ANSWER_TOKENS`): padded with filler or cut; unset keeps it. */
  readonly answerTokens?: number;
}

/** A break of the stream: after this many tokens, an exception message ends it. */
export interface StreamBreak {
  readonly afterTokens: number;
}

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

function message(kind: 'event' | 'exception', type: string, payload: unknown): Buffer {
  const typeHeader = kind === 'event' ? ':event-type' : ':exception-type';
  const framed: Message = {
    headers: {
      ':message-type': { type: 'string', value: kind },
      [typeHeader]: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  };
  return Buffer.from(codec.encode(framed));
}

const FILLER = 'The local model keeps writing so that the answer has the configured length. ';

/**
 * The answer's text at the configured length.
 *
 * @param text - the local model's answer
 * @param answerTokens - the wanted length in tokens, or `undefined` to keep the text
 */
export function sizedAnswer(text: string, answerTokens: number | undefined): string {
  if (answerTokens === undefined) return text;
  const chars = answerTokens * STREAM_CHARS_PER_TOKEN;
  let out = text.length >= chars ? text : `${text}\n\n`;
  while (out.length < chars) out += FILLER;
  // Never end on whitespace: Converse callers trim the answer, and both operations must give the same length.
  return out.slice(0, chars).replace(/\s$/, '.');
}

/** Splits a text into the tokens the local model streams (runs of {@link STREAM_CHARS_PER_TOKEN} characters). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < text.length; i += STREAM_CHARS_PER_TOKEN) tokens.push(text.slice(i, i + STREAM_CHARS_PER_TOKEN));
  return tokens;
}

/**
 * The same answer for Converse (not streamed): sized as configured, and due when its last token would have been
 * streamed (`ttftMs` + one token interval per token after the first), so that both operations take the same time.
 *
 * @param answer - the Converse answer of the local model
 * @param settings - pacing and length
 * @returns the answer to send and the time to wait before sending it
 */
export function wholeAnswer(answer: ConverseResponseBody, settings: ModelStreamSettings): { body: ConverseResponseBody; latencyMs: number } {
  const text = sizedAnswer(answer.output.message.content.map((c) => c.text).join(''), settings.answerTokens);
  const outputTokens = tokenize(text).length;
  const latencyMs = settings.ttftMs + (settings.tokensPerSecond > 0 ? (Math.max(outputTokens - 1, 0) * 1000) / settings.tokensPerSecond : 0);
  return {
    body: {
      ...answer,
      output: { message: { role: 'assistant', content: [{ text }] } },
      usage: { inputTokens: answer.usage.inputTokens, outputTokens, totalTokens: answer.usage.inputTokens + outputTokens },
      metrics: { latencyMs: Math.round(latencyMs) },
    },
    latencyMs,
  };
}

/**
 * The event stream of one answer, paced as configured: the first token after `ttftMs`, then `tokensPerSecond`.
 *
 * @param answer - the Converse answer of the local model (its text and usage)
 * @param settings - pacing and length
 * @param signal - ends the stream (the stack is stopping)
 * @param streamBreak - break the stream after some tokens
 */
export async function* converseEventStream(
  answer: ConverseResponseBody,
  settings: ModelStreamSettings,
  signal: AbortSignal,
  streamBreak?: StreamBreak,
): AsyncGenerator<Buffer> {
  const text = sizedAnswer(answer.output.message.content.map((c) => c.text).join(''), settings.answerTokens);
  const tokens = tokenize(text);
  const started = Date.now();
  yield message('event', 'messageStart', { role: 'assistant' });
  for (const [index, token] of tokens.entries()) {
    if (streamBreak !== undefined && index === streamBreak.afterTokens) {
      yield message('exception', 'modelStreamErrorException', {
        message: 'The model stream was interrupted (injected by the local stack).',
      });
      return;
    }
    // Pace against the start, so that slow writes do not accumulate drift.
    const due = settings.ttftMs + (settings.tokensPerSecond > 0 ? (index * 1000) / settings.tokensPerSecond : 0);
    const wait = started + due - Date.now();
    if (wait > 0) await delay(wait, undefined, { signal });
    yield message('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { text: token } });
  }
  const outputTokens = tokens.length;
  yield message('event', 'contentBlockStop', { contentBlockIndex: 0 });
  yield message('event', 'messageStop', { stopReason: answer.stopReason });
  yield message('event', 'metadata', {
    usage: { inputTokens: answer.usage.inputTokens, outputTokens, totalTokens: answer.usage.inputTokens + outputTokens },
    metrics: { latencyMs: Date.now() - started },
  });
}
