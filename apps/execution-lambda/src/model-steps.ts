import { invokeModel, type ModelAnswer } from './bedrock';
import { ModelStreamBrokenError, streamModel, type ModelStreamEvent } from './bedrock-stream';
import { BedrockInvocationError, EMPTY_ANSWER_MESSAGE, MODEL_DECLINED_MESSAGE, TRUNCATED_SUFFIX } from './errors';
import { remainingTimeMs } from './idempotency';
import type { Run } from './run';
import { formatModelAnswer } from './slack-format';
import { splitReply } from './split-reply';
import type { ConversationTurn } from './thread-history';

/** Time kept back from the model call for posting the reply before the function times out. */
export const POST_RESERVE_MS = 10_000;

function modelBudgetMs(run: Run): number {
  return Math.min(run.deps.config.bedrock.timeoutMs, remainingTimeMs(run.context) - POST_RESERVE_MS);
}

/**
 * The model's whole answer (Converse), logged.
 *
 * @throws {@link BedrockInvocationError}, classified and logged
 */
export async function ask(run: Run, conversation: ConversationTurn[]): Promise<ModelAnswer> {
  const started = run.now();
  try {
    const answer = await invokeModel({
      client: run.deps.bedrock,
      bedrock: run.deps.config.bedrock,
      conversation,
      budgetMs: modelBudgetMs(run),
    });
    run.record.modelSuccess(answer, run.now() - started, conversation.length, false);
    return answer;
  } catch (error) {
    throw run.record.modelFailure(error, started);
  }
}

/** The model's stream (ConverseStream), logged as {@link ask} logs Converse. */
export async function* askStreamed(run: Run, conversation: ConversationTurn[]): AsyncGenerator<ModelStreamEvent, void, undefined> {
  const started = run.now();
  try {
    for await (const event of streamModel({
      client: run.deps.bedrock,
      bedrock: run.deps.config.bedrock,
      conversation,
      budgetMs: modelBudgetMs(run),
    })) {
      if (event.type === 'end') run.record.modelSuccess(event.answer, run.now() - started, conversation.length, true);
      yield event;
    }
  } catch (error) {
    if (error instanceof ModelStreamBrokenError) {
      run.record.modelFailure(error.cause, started, { stream_broken: true, text_so_far: error.textSoFar });
      throw error;
    }
    throw run.record.modelFailure(error, started);
  }
}

/** The whole answer of a stream, when nothing is streamed (a retry that replaces a partial message). */
export async function askCollected(run: Run, conversation: ConversationTurn[]): Promise<ModelAnswer> {
  try {
    for await (const event of askStreamed(run, conversation)) {
      if (event.type === 'end') return event.answer;
    }
  } catch (error) {
    throw error instanceof ModelStreamBrokenError ? (error.cause as BedrockInvocationError) : error;
  }
  throw new BedrockInvocationError('bedrock_error', 'StreamEndedEarly');
}

/** The model's answer as Slack parts: formatted, with the truncation note, split. */
export function answerParts(answer: ModelAnswer): string[] {
  const truncated = answer.stopReason === 'max_tokens';
  return splitReply(formatModelAnswer(answer.text) + (truncated ? TRUNCATED_SUFFIX : ''));
}

/** A terminal outcome for a model answer that cannot be posted as is (declined, empty), or `undefined`. */
export function unusable(answer: ModelAnswer): { kind: string; message: string } | undefined {
  if (answer.stopReason === 'guardrail_intervened' || answer.stopReason === 'content_filtered') {
    return { kind: 'model_declined', message: MODEL_DECLINED_MESSAGE };
  }
  if (answer.text === '') return { kind: 'empty_answer', message: EMPTY_ANSWER_MESSAGE };
  return undefined;
}
