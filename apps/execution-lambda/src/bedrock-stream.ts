import {
  ConverseStreamCommand,
  type ConverseStreamCommandOutput,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { classifyBedrockError, converseInput, type InvokeModelInput, type ModelAnswer } from './bedrock';
import { BedrockInvocationError } from './errors';

/**
 * Bedrock `ConverseStream`: the same request as Converse (model, system prompt, thread context, limits), answered as an
 * AWS event stream that the SDK parses into `messageStart`, `contentBlockDelta` (`delta.text`), `contentBlockStop`,
 * `messageStop` (`stopReason`) and `metadata` (`usage`, `metrics.latencyMs`) events. An exception inside the stream
 * (`modelStreamErrorException`, `throttlingException`, `internalServerException`…) is thrown by the SDK's iterator
 * with that name (`@smithy/core` event-streams `getMessageUnmarshaller`; API reference:
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html).
 */

/** The slice of the Bedrock client the streaming core uses: injectable, mockable. */
export interface ConverseStreamClient {
  send(command: ConverseStreamCommand, options?: { abortSignal?: AbortSignal }): Promise<ConverseStreamCommandOutput>;
}

/** Inputs of {@link streamModel}: those of Converse, with a client that can stream. */
export type StreamModelInput = Omit<InvokeModelInput, 'client'> & { readonly client: ConverseStreamClient };

/** One piece of a streamed answer. */
export type ModelStreamEvent =
  /** Text as the model wrote it (a `contentBlockDelta`). */
  | { readonly type: 'text'; readonly text: string }
  /** The end: the whole answer's text (trimmed) and figures, as {@link ModelAnswer}. */
  | { readonly type: 'end'; readonly answer: ModelAnswer };

/**
 * A model stream that broke after it had started (an exception event, a dropped connection, the budget running out).
 * `textSoFar` is how much text had arrived; the classified error is the `cause`.
 */
export class ModelStreamBrokenError extends Error {
  override readonly name = 'ModelStreamBrokenError';
  /** Characters of text received before the break. */
  readonly textSoFar: number;
  constructor(textSoFar: number, options: { cause: BedrockInvocationError }) {
    super(`The model stream broke after ${textSoFar} characters (${options.cause.awsErrorName})`, options);
    this.textSoFar = textSoFar;
  }
}

/**
 * Ask the model through ConverseStream and yield its text as it arrives, then one `end` event.
 *
 * @throws {@link BedrockInvocationError} when the call fails before any event arrived (same classification as
 * Converse); {@link ModelStreamBrokenError} (cause: the classified error) when it breaks afterwards
 */
export async function* streamModel(input: StreamModelInput): AsyncGenerator<ModelStreamEvent, void, undefined> {
  if (input.budgetMs < 1_000) {
    throw new BedrockInvocationError('bedrock_timeout', 'InsufficientTimeBudget');
  }
  const signal = AbortSignal.timeout(input.budgetMs);
  let output: ConverseStreamCommandOutput;
  try {
    output = await input.client.send(new ConverseStreamCommand(converseInput(input)), { abortSignal: signal });
  } catch (error) {
    throw classifyBedrockError(error);
  }
  let text = '';
  let started = false;
  let stopReason = 'unknown';
  let usage: { inputTokens?: number; outputTokens?: number } = {};
  let latencyMs = 0;
  try {
    for await (const event of output.stream ?? emptyStream()) {
      started = true;
      const delta = event.contentBlockDelta?.delta?.text;
      if (typeof delta === 'string' && delta !== '') {
        text += delta;
        yield { type: 'text', text: delta };
      } else if (event.messageStop !== undefined) {
        stopReason = event.messageStop.stopReason ?? 'unknown';
      } else if (event.metadata !== undefined) {
        usage = event.metadata.usage ?? {};
        latencyMs = event.metadata.metrics?.latencyMs ?? 0;
      }
    }
  } catch (error) {
    const classified = signal.aborted && !(error instanceof BedrockInvocationError)
      ? new BedrockInvocationError('bedrock_timeout', 'AbortError', { cause: error })
      : classifyBedrockError(error);
    if (!started && text === '') throw classified;
    throw new ModelStreamBrokenError(text.length, { cause: classified });
  }
  yield {
    type: 'end',
    answer: {
      text: text.trim(),
      stopReason,
      inputTokens: usage.inputTokens ?? 0,
      outputTokens: usage.outputTokens ?? 0,
      latencyMs,
    },
  };
}

async function* emptyStream(): AsyncGenerator<ConverseStreamOutput> {
  // A response without a stream has no events.
}
