import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import type { ExecutionConfig } from './config';
import { BedrockInvocationError, bedrockAccessHint, type BedrockErrorKind } from './errors';
import type { ConversationTurn } from './thread-history';

/** TCP connect timeout to the Bedrock endpoint. */
export const BEDROCK_CONNECTION_TIMEOUT_MS = 3_000;

/** What the model answered, with the figures that are logged. */
export interface ModelAnswer {
  /** The concatenated text blocks of the answer (may be empty). */
  readonly text: string;
  /** Converse `stopReason`, e.g. `end_turn`, `max_tokens`, `guardrail_intervened`. */
  readonly stopReason: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Bedrock's own latency metric (ms). */
  readonly latencyMs: number;
}

/** The slice of the Bedrock client the core uses: injectable, mockable. */
export interface ConverseClient {
  send(command: ConverseCommand, options?: { abortSignal?: AbortSignal }): Promise<ConverseCommandOutput>;
}

/** Inputs of {@link invokeModel}. */
export interface InvokeModelInput {
  readonly client: ConverseClient;
  readonly bedrock: ExecutionConfig['bedrock'];
  readonly conversation: readonly ConversationTurn[];
  /** Milliseconds the call may take in total; the call is aborted (and reported as a timeout) after that. */
  readonly budgetMs: number;
}

/**
 * Create the Bedrock Runtime client: `BEDROCK_MAX_ATTEMPTS` attempts in `standard` retry mode (exponential backoff with
 * full jitter, 500 ms base for throttling errors), a connect timeout and a per-attempt socket timeout of `timeoutMs`.
 * The whole call, retries and their waits included, is still bounded by the caller's budget (see {@link invokeModel}). The endpoint comes from the SDK's own resolution
 * (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL` locally).
 */
export function createBedrockClient(config: Pick<ExecutionConfig, 'region' | 'bedrock'>): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: config.region,
    maxAttempts: config.bedrock.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: BEDROCK_CONNECTION_TIMEOUT_MS,
      requestTimeout: config.bedrock.timeoutMs,
    },
  });
}

/** Names of SDK errors for each catalogue kind. */
const KIND_BY_ERROR_NAME: Readonly<Record<string, BedrockErrorKind>> = {
  ThrottlingException: 'bedrock_throttled',
  ServiceQuotaExceededException: 'bedrock_throttled',
  AccessDeniedException: 'bedrock_access_denied',
  ResourceNotFoundException: 'bedrock_access_denied',
  UnrecognizedClientException: 'bedrock_access_denied',
  ExpiredTokenException: 'bedrock_error',
  ModelTimeoutException: 'bedrock_timeout',
  // ConverseStream only: an error of the model inside the stream (retryable, like a 5xx).
  ModelStreamErrorException: 'bedrock_error',
  TimeoutError: 'bedrock_timeout',
  AbortError: 'bedrock_timeout',
  RequestTimeout: 'bedrock_timeout',
  ValidationException: 'bedrock_validation_error',
  ServiceUnavailableException: 'bedrock_error',
  InternalServerException: 'bedrock_error',
  ModelNotReadyException: 'bedrock_error',
  ModelErrorException: 'bedrock_error',
};

/**
 * Classify a failed Converse call into the error catalogue.
 *
 * Throttling (after the SDK's retries), access denied / unknown model (with a hint of what to check, from Bedrock's
 * message), model timeouts and validation errors are terminal; service-side 5xx, model-not-ready, network errors and anything unknown are transient (retryable).
 */
export function classifyBedrockError(error: unknown): BedrockInvocationError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  const kind = KIND_BY_ERROR_NAME[name] ?? 'bedrock_error';
  if (kind !== 'bedrock_access_denied') return new BedrockInvocationError(kind, name, { cause: error });
  const accessHint = bedrockAccessHint(name, error instanceof Error ? error.message : '');
  return new BedrockInvocationError(kind, name, { cause: error, accessHint });
}

function toMessages(conversation: readonly ConversationTurn[]): Message[] {
  return conversation.map((turn) => ({ role: turn.role, content: [{ text: turn.text }] }));
}

function answerText(output: ConverseCommandOutput): string {
  const content = output.output?.message?.content ?? [];
  return content
    .map((block) => (typeof block.text === 'string' ? block.text : ''))
    .join('')
    .trim();
}

/**
 * The request shared by Converse and ConverseStream: model, system prompt, the conversation, and the limits.
 *
 * @param input - the model settings and the conversation
 */
export function converseInput(input: Pick<InvokeModelInput, 'bedrock' | 'conversation'>): ConverseCommandInput {
  return {
    modelId: input.bedrock.modelId,
    system: [{ text: input.bedrock.systemPrompt }],
    messages: toMessages(input.conversation),
    inferenceConfig: { maxTokens: input.bedrock.maxTokens, temperature: input.bedrock.temperature },
  };
}

/**
 * Ask the model through Converse.
 *
 * @returns the answer and its token counts
 * @throws {@link BedrockInvocationError} classified by {@link classifyBedrockError}; a budget that runs out is a
 * `bedrock_timeout`
 */
export async function invokeModel(input: InvokeModelInput): Promise<ModelAnswer> {
  if (input.budgetMs < 1_000) {
    throw new BedrockInvocationError('bedrock_timeout', 'InsufficientTimeBudget');
  }
  const command = new ConverseCommand(converseInput(input));
  let output: ConverseCommandOutput;
  try {
    output = await input.client.send(command, { abortSignal: AbortSignal.timeout(input.budgetMs) });
  } catch (error) {
    throw classifyBedrockError(error);
  }
  return {
    text: answerText(output),
    stopReason: output.stopReason ?? 'unknown',
    inputTokens: output.usage?.inputTokens ?? 0,
    outputTokens: output.usage?.outputTokens ?? 0,
    latencyMs: output.metrics?.latencyMs ?? 0,
  };
}
