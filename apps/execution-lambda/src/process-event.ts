import { errorName } from '@slack-ai-app/errors';
import { LogEvent, StreamMetric, textSummary, type AppLogger } from '@slack-ai-app/logging';
import {
  parseHandoffPayload,
  type ExecutionRequest,
  type LegacyExecutionRequest,
} from '@slack-ai-app/payload-schemas';
import type { Context } from 'aws-lambda';
import { classifyBedrockError, invokeModel, type ConverseClient, type ModelAnswer } from './bedrock';
import { ModelStreamBrokenError, streamModel, type ConverseStreamClient, type ModelStreamEvent } from './bedrock-stream';
import type { BotTokenProvider } from './bot-token';
import type { ExecutionConfig } from './config';
import { detectEventShape, type ReceivedEvent } from './event-shape';
import {
  BEDROCK_ACCESS_HINTS,
  BEDROCK_ERROR_CATALOGUE,
  BedrockInvocationError,
  bedrockUserMessage,
  EMPTY_ANSWER_MESSAGE,
  EMPTY_QUESTION_MESSAGE,
  EventInProgressError,
  ExecutionError,
  IdempotencyStoreError,
  MODEL_DECLINED_MESSAGE,
  SlackApiError,
  TRUNCATED_SUFFIX,
} from './errors';
import { remainingTimeMs, type IdempotencyGuard } from './idempotency';
import { classifySlackError, TOKEN_ERRORS, type SlackApi, type SlackClientObserver } from './slack';
import { formatModelAnswer } from './slack-format';
import { splitReply } from './split-reply';
import { STREAM_ENDED_ERRORS } from './slack-stream';
import type { StreamCheckpoint, StreamCheckpointStore } from './stream-checkpoint';
import { streamReply, type StreamFigures, type StreamReplyResult } from './stream-reply';
import { buildConversation, mapThreadHistory, type ConversationTurn } from './thread-history';

/** Reaction added to the user's message while the answer is being prepared. */
export const REACTION_WORKING = 'eyes';
/** Reaction that replaces {@link REACTION_WORKING} when the request ends with an error message. */
export const REACTION_FAILED = 'warning';
/** Time kept back from the model call for posting the reply before the function times out. */
export const POST_RESERVE_MS = 10_000;

/** What an invocation did. Stored (for a current request) as the idempotency record's response: no message content. */
export type ExecutionOutcome =
  | { readonly outcome: 'replied'; readonly parts: number; readonly delivery?: 'stream' | 'post_fallback' | 'stream_replaced' }
  | { readonly outcome: 'stream_interrupted'; readonly cause: string }
  | { readonly outcome: 'reply_incomplete'; readonly parts_posted: number; readonly parts_total: number }
  | { readonly outcome: 'notice_posted' }
  | { readonly outcome: 'error_notified'; readonly kind: string }
  | { readonly outcome: 'slack_rejected'; readonly slack_error: string }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'invalid_payload' };

/** Everything the core needs, built once per container by `main.ts` (or by a test). */
export interface ExecutionDeps {
  readonly config: ExecutionConfig;
  readonly logger: AppLogger;
  readonly guard: IdempotencyGuard;
  readonly tokens: BotTokenProvider;
  /** A Slack Web API client for a token; `observer` receives rate-limit notices for this invocation's logs. */
  readonly slack: (token: string, observer: SlackClientObserver) => SlackApi;
  readonly bedrock: ConverseClient & ConverseStreamClient;
  /** The stream checkpoints (`SLACK_STREAMING`); without it, answers are posted whole. */
  readonly checkpoints?: StreamCheckpointStore;
  /** Clock for durations (ms). Default `Date.now`. */
  readonly now?: () => number;
}

interface Job {
  readonly channel: string;
  /** Thread to reply in; `undefined` posts to the channel (legacy). */
  readonly replyThreadTs: string | undefined;
  /** Message to react on; `undefined`: no reactions (legacy). */
  readonly reactTs: string | undefined;
  /** Thread whose history is read; `undefined` when the message is not in a thread. */
  readonly historyThreadTs: string | undefined;
  readonly question: string;
  /** The event being answered (the stream checkpoint's key); `undefined` for a legacy payload. */
  readonly eventId?: string;
  /** The asking user and team: the recipient of a streamed answer. */
  readonly userId?: string;
  readonly teamId?: string;
}

/** Containers (their dependencies) that already logged why streaming was refused. */
const refusalLogged = new WeakSet<ExecutionDeps>();

type PostResult = { readonly ok: true; readonly parts: number } | { readonly ok: false; readonly outcome: ExecutionOutcome };

class Run {
  private readonly now: () => number;
  private readonly startedAt: number;
  constructor(
    private readonly deps: ExecutionDeps,
    private readonly log: AppLogger,
    private readonly context: Context,
  ) {
    this.now = deps.now ?? Date.now;
    this.startedAt = this.now();
  }

  observer(): SlackClientObserver {
    return {
      onRateLimited: (retryAfterSeconds, method) =>
        this.log.event(LogEvent.SlackRateLimited, { method, retry_after_seconds: retryAfterSeconds }, 'warn'),
    };
  }

  async token(payloadToken: string | undefined): Promise<SlackApi> {
    try {
      const token = await this.deps.tokens.getToken(payloadToken);
      return this.deps.slack(token, this.observer());
    } catch (error) {
      const cause = error instanceof Error && error.cause !== undefined ? errorName(error.cause) : undefined;
      this.log.event(LogEvent.SecretFetchFailed, { error: errorName(error), cause }, 'error');
      throw error;
    }
  }

  async react(slack: SlackApi, op: 'add' | 'remove', channel: string, timestamp: string, name: string): Promise<void> {
    try {
      if (op === 'add') await slack.addReaction({ channel, timestamp, name });
      else await slack.removeReaction({ channel, timestamp, name });
    } catch (error) {
      const slackError = classifySlackError(`reactions.${op}`, error).slackError;
      const benign = slackError === 'already_reacted' || slackError === 'no_reaction';
      this.log.event(LogEvent.ReactionFailed, { op, name, slack_error: slackError }, benign ? 'info' : 'warn');
    }
  }

  /**
   * Post the parts in order. Before anything is out, a transient failure is thrown (Lambda retries the whole unit);
   * once a part is out, nothing is thrown any more: a retry would post that part twice.
   */
  async post(slack: SlackApi, channel: string, threadTs: string | undefined, parts: readonly string[]): Promise<PostResult> {
    const started = this.now();
    for (let i = 0; i < parts.length; i += 1) {
      try {
        await slack.postMessage({ channel, text: parts[i], ...(threadTs !== undefined ? { threadTs } : {}) });
      } catch (error) {
        const failure = classifySlackError('chat.postMessage', error);
        if (TOKEN_ERRORS.has(failure.slackError)) this.deps.tokens.invalidate();
        this.log.event(
          LogEvent.SlackPostFailed,
          { slack_error: failure.slackError, retryable: failure.retryable, parts_posted: i, parts_total: parts.length },
          'error',
        );
        if (i === 0 && failure.retryable) throw failure;
        return {
          ok: false,
          outcome:
            i === 0
              ? { outcome: 'slack_rejected', slack_error: failure.slackError }
              : { outcome: 'reply_incomplete', parts_posted: i, parts_total: parts.length },
        };
      }
    }
    this.log.event(LogEvent.SlackPostSuccess, {
      parts: parts.length,
      reply_length: parts.reduce((n, p) => n + p.length, 0),
      duration_ms: this.now() - started,
    });
    return { ok: true, parts: parts.length };
  }

  async notifyError(slack: SlackApi, job: Job, kind: string, message: string): Promise<ExecutionOutcome> {
    const posted = await this.post(slack, job.channel, job.replyThreadTs, [message]);
    if (job.reactTs !== undefined) {
      await this.react(slack, 'remove', job.channel, job.reactTs, REACTION_WORKING);
      await this.react(slack, 'add', job.channel, job.reactTs, REACTION_FAILED);
    }
    return posted.ok ? { outcome: 'error_notified', kind } : posted.outcome;
  }

  async history(slack: SlackApi, job: Job): Promise<ConversationTurn[]> {
    const limit = this.deps.config.threadHistoryLimit;
    if (job.historyThreadTs === undefined || limit === 0) return [];
    const started = this.now();
    try {
      const messages = await slack.threadReplies({ channel: job.channel, threadTs: job.historyThreadTs });
      const turns = mapThreadHistory(messages, { currentTs: job.reactTs, limit });
      this.log.event(LogEvent.ThreadHistoryFetched, {
        messages: messages.length,
        turns: turns.length,
        duration_ms: this.now() - started,
      });
      return turns;
    } catch (error) {
      const failure = classifySlackError('conversations.replies', error);
      this.log.event(
        LogEvent.ThreadHistoryFetched,
        { ok: false, slack_error: failure.slackError, retryable: failure.retryable },
        'warn',
      );
      // Nothing is posted yet: a transient failure is retried whole; a terminal one (missing scope…) answers without context.
      if (failure.retryable) throw failure;
      return [];
    }
  }

  private modelBudgetMs(): number {
    return Math.min(this.deps.config.bedrock.timeoutMs, remainingTimeMs(this.context) - POST_RESERVE_MS);
  }

  private logModelSuccess(answer: ModelAnswer, durationMs: number, turns: number, streamed: boolean): void {
    this.log.metric(
      LogEvent.BedrockInvocationSuccess,
      [
        { name: 'BedrockLatency', value: durationMs, unit: 'Milliseconds' },
        { name: 'InputTokens', value: answer.inputTokens, unit: 'Count' },
        { name: 'OutputTokens', value: answer.outputTokens, unit: 'Count' },
      ],
      { Service: 'execution' },
      {
        model_id: this.deps.config.bedrock.modelId,
        stop_reason: answer.stopReason,
        input_tokens: answer.inputTokens,
        output_tokens: answer.outputTokens,
        latency_ms: answer.latencyMs,
        duration_ms: durationMs,
        turns,
        answer_length: answer.text.length,
        ...(streamed ? { streamed } : {}),
      },
    );
  }

  private logModelFailure(error: unknown, started: number, extra: Record<string, unknown> = {}): BedrockInvocationError {
    const failure = error instanceof BedrockInvocationError ? error : classifyBedrockError(error);
    const attempts = (failure.cause as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
    this.log.event(
      BEDROCK_ERROR_CATALOGUE[failure.kind].logEvent,
      {
        model_id: this.deps.config.bedrock.modelId,
        error: failure.awsErrorName,
        retryable: failure.retryable,
        attempts,
        duration_ms: this.now() - started,
        ...(failure.accessHint !== undefined ? { hint: failure.accessHint, check: BEDROCK_ACCESS_HINTS[failure.accessHint] } : {}),
        ...extra,
      },
      failure.retryable ? 'error' : 'warn',
    );
    return failure;
  }

  async ask(conversation: ConversationTurn[]): Promise<ModelAnswer> {
    const started = this.now();
    try {
      const answer = await invokeModel({
        client: this.deps.bedrock,
        bedrock: this.deps.config.bedrock,
        conversation,
        budgetMs: this.modelBudgetMs(),
      });
      this.logModelSuccess(answer, this.now() - started, conversation.length, false);
      return answer;
    } catch (error) {
      throw this.logModelFailure(error, started);
    }
  }

  /** The model's stream (ConverseStream), logged as {@link ask} logs Converse. */
  async *askStreamed(conversation: ConversationTurn[]): AsyncGenerator<ModelStreamEvent, void, undefined> {
    const started = this.now();
    try {
      for await (const event of streamModel({
        client: this.deps.bedrock,
        bedrock: this.deps.config.bedrock,
        conversation,
        budgetMs: this.modelBudgetMs(),
      })) {
        if (event.type === 'end') this.logModelSuccess(event.answer, this.now() - started, conversation.length, true);
        yield event;
      }
    } catch (error) {
      if (error instanceof ModelStreamBrokenError) {
        this.logModelFailure(error.cause, started, { stream_broken: true, text_so_far: error.textSoFar });
        throw error;
      }
      throw this.logModelFailure(error, started);
    }
  }

  /** The whole answer of a stream, when nothing is streamed (a retry that replaces a partial message). */
  async askCollected(conversation: ConversationTurn[]): Promise<ModelAnswer> {
    try {
      for await (const event of this.askStreamed(conversation)) {
        if (event.type === 'end') return event.answer;
      }
    } catch (error) {
      throw error instanceof ModelStreamBrokenError ? (error.cause as BedrockInvocationError) : error;
    }
    throw new BedrockInvocationError('bedrock_error', 'StreamEndedEarly');
  }

  /** Un-react after an answer: 👀 removed, and ⚠️ added when the answer is not whole. */
  async settleReactions(slack: SlackApi, job: Job, failed: boolean): Promise<void> {
    if (job.reactTs === undefined) return;
    await this.react(slack, 'remove', job.channel, job.reactTs, REACTION_WORKING);
    if (failed) await this.react(slack, 'add', job.channel, job.reactTs, REACTION_FAILED);
  }

  /** The model's answer as Slack parts: formatted, with the truncation note, split. */
  answerParts(answer: ModelAnswer): string[] {
    const truncated = answer.stopReason === 'max_tokens';
    return splitReply(formatModelAnswer(answer.text) + (truncated ? TRUNCATED_SUFFIX : ''));
  }

  /** A terminal outcome for a model answer that cannot be posted as is (declined, empty), or `undefined`. */
  unusable(answer: ModelAnswer): { kind: string; message: string } | undefined {
    if (answer.stopReason === 'guardrail_intervened' || answer.stopReason === 'content_filtered') {
      return { kind: 'model_declined', message: MODEL_DECLINED_MESSAGE };
    }
    if (answer.text === '') return { kind: 'empty_answer', message: EMPTY_ANSWER_MESSAGE };
    return undefined;
  }

  /** A Slack failure before anything was posted: thrown when a retry can fix it, else the request ends. */
  slackFailedBeforePosting(error: unknown, method: string): ExecutionOutcome {
    const failure = classifySlackError(method, error);
    if (TOKEN_ERRORS.has(failure.slackError)) this.deps.tokens.invalidate();
    this.log.event(
      LogEvent.SlackPostFailed,
      { method, slack_error: failure.slackError, retryable: failure.retryable, parts_posted: 0, parts_total: 1 },
      'error',
    );
    if (failure.retryable) throw failure;
    return { outcome: 'slack_rejected', slack_error: failure.slackError };
  }

  async checkpoint(eventId: string): Promise<StreamCheckpoint | undefined> {
    try {
      return await this.deps.checkpoints?.get(eventId);
    } catch (error) {
      this.log.event(LogEvent.StreamCheckpointFailed, { stage: 'read', error: errorName(error) }, 'error');
      throw new IdempotencyStoreError(`The stream checkpoint could not be read (${errorName(error)})`, { cause: error });
    }
  }

  /** Stream the answer into the thread (ConverseStream → chat.startStream/appendStream/stopStream). */
  async answerStreamed(slack: SlackApi, job: Job & { replyThreadTs: string; eventId: string }, conversation: ConversationTurn[]): Promise<ExecutionOutcome> {
    const previous = await this.checkpoint(job.eventId);
    if (previous !== undefined) return this.replaceStream(slack, job, conversation, previous);

    this.log.event(LogEvent.SlackStreamStarted, { since_start_ms: this.now() - this.startedAt });
    let firstTextAt = 0;
    /** Whether the stream's checkpoint is stored: only then can a retry find this message instead of starting another. */
    let checkpointed = false;
    let result: StreamReplyResult;
    try {
      result = await streamReply({
        slack,
        target: {
          channel: job.channel,
          threadTs: job.replyThreadTs,
          ...(job.teamId !== undefined ? { recipientTeamId: job.teamId } : {}),
          ...(job.userId !== undefined ? { recipientUserId: job.userId } : {}),
        },
        events: this.askStreamed(conversation),
        now: this.now,
        onFirstText: (elapsedMs) => {
          firstTextAt = this.now();
          this.log.event(LogEvent.SlackStreamFirstText, { since_start_ms: firstTextAt - this.startedAt, stream_ms: elapsedMs });
        },
        onStarted: async (ts) => {
          try {
            await this.deps.checkpoints?.put(job.eventId, { channel: job.channel, ts });
            checkpointed = true;
          } catch (error) {
            // streamReply ends the stream at once: a retry without the checkpoint would start a second message.
            this.log.event(LogEvent.StreamCheckpointFailed, { stage: 'write', error: errorName(error) }, 'error');
            throw new IdempotencyStoreError(`The stream checkpoint could not be written (${errorName(error)})`, { cause: error });
          }
        },
        ending: (answer) => (answer.stopReason === 'max_tokens' ? TRUNCATED_SUFFIX : ''),
      });
    } catch (error) {
      if (error instanceof BedrockInvocationError && !error.retryable) {
        return this.notifyError(slack, job, error.kind, bedrockUserMessage(error));
      }
      if (error instanceof SlackApiError) return this.slackFailedBeforePosting(error, 'chat.startStream');
      throw error;
    }

    switch (result.kind) {
      case 'no_text': {
        const unusable = this.unusable(result.answer) ?? { kind: 'empty_answer', message: EMPTY_ANSWER_MESSAGE };
        return this.notifyError(slack, job, unusable.kind, unusable.message);
      }
      case 'refused': {
        if (!refusalLogged.has(this.deps)) {
          refusalLogged.add(this.deps);
          this.log.event(LogEvent.SlackStreamUnavailable, { slack_error: result.slackError, fallback: 'chat.postMessage' }, 'warn');
        }
        const unusable = this.unusable(result.answer);
        if (unusable !== undefined) return this.notifyError(slack, job, unusable.kind, unusable.message);
        const posted = await this.post(slack, job.channel, job.replyThreadTs, this.answerParts(result.answer));
        await this.settleReactions(slack, job, !posted.ok);
        return posted.ok ? { outcome: 'replied', parts: posted.parts, delivery: 'post_fallback' } : posted.outcome;
      }
      case 'streamed': {
        this.logStreamStopped(result.figures, firstTextAt, result.answer.stopReason);
        const declined = this.unusable(result.answer)?.kind === 'model_declined';
        await this.settleReactions(slack, job, declined);
        return { outcome: 'replied', parts: 1, delivery: 'stream' };
      }
      case 'interrupted': {
        const cause = result.cause instanceof ModelStreamBrokenError ? (result.cause.cause as BedrockInvocationError).kind : errorName(result.cause);
        this.log.event(
          LogEvent.SlackStreamInterrupted,
          { cause, ended: result.ended, slack_calls: result.figures.calls, stream_ms: result.figures.lastTextMs },
          'warn',
        );
        if (!result.ended && checkpointed) {
          // Slack cannot be reached to end the message: the retry finds the checkpoint and replaces it whole.
          throw result.cause instanceof SlackApiError ? result.cause : new SlackApiError('chat.stopStream', 'unknown', true, { cause: result.cause });
        }
        await this.settleReactions(slack, job, true);
        return { outcome: 'stream_interrupted', cause };
      }
    }
  }

  private logStreamStopped(figures: StreamFigures, firstTextAt: number, stopReason: string): void {
    this.log.metric(
      LogEvent.SlackStreamStopped,
      [
        { name: StreamMetric.TimeToFirstText, value: firstTextAt - this.startedAt, unit: 'Milliseconds' },
        { name: StreamMetric.TimeToLastText, value: this.now() - this.startedAt, unit: 'Milliseconds' },
        { name: StreamMetric.StreamSlackCalls, value: figures.calls, unit: 'Count' },
      ],
      { Service: 'execution' },
      { stream_ms: figures.lastTextMs, first_text_stream_ms: figures.firstTextMs, slack_calls: figures.calls, stop_reason: stopReason },
    );
  }

  /**
   * A retry found the checkpoint of a stream an earlier attempt started (it crashed or timed out mid-stream): ask the
   * model again, end that stream if it is still open, and replace the message with the whole answer (`chat.update`);
   * the rest of a long answer follows in the thread. Never a second streamed message.
   */
  async replaceStream(slack: SlackApi, job: Job, conversation: ConversationTurn[], previous: StreamCheckpoint): Promise<ExecutionOutcome> {
    this.log.event(LogEvent.SlackStreamResumed, { stream_ts: previous.ts });
    let parts: string[];
    let failedKind: string | undefined;
    try {
      const answer = await this.askCollected(conversation);
      const unusable = this.unusable(answer);
      parts = unusable !== undefined ? [unusable.message] : this.answerParts(answer);
      failedKind = unusable?.kind;
    } catch (error) {
      if (!(error instanceof BedrockInvocationError) || error.retryable) throw error;
      parts = [bedrockUserMessage(error)];
      failedKind = error.kind;
    }
    try {
      await slack.stopStream({ channel: previous.channel, ts: previous.ts });
    } catch (error) {
      const failure = classifySlackError('chat.stopStream', error);
      if (!STREAM_ENDED_ERRORS.has(failure.slackError) && failure.slackError !== 'message_not_found' && failure.retryable) throw failure;
    }
    const [first = '', ...rest] = parts;
    try {
      await slack.update({ channel: previous.channel, ts: previous.ts, text: first });
    } catch (error) {
      return this.slackFailedBeforePosting(error, 'chat.update');
    }
    const posted = rest.length > 0 ? await this.post(slack, job.channel, job.replyThreadTs, rest) : { ok: true as const, parts: 0 };
    await this.settleReactions(slack, job, failedKind !== undefined || !posted.ok);
    if (failedKind !== undefined) return { outcome: 'error_notified', kind: failedKind };
    return posted.ok ? { outcome: 'replied', parts: parts.length, delivery: 'stream_replaced' } : { outcome: 'reply_incomplete', parts_posted: 1, parts_total: parts.length };
  }

  /** React, read the thread, ask the model, post (or stream) the answer, un-react. */
  async answer(slack: SlackApi, job: Job): Promise<ExecutionOutcome> {
    if (job.reactTs !== undefined) await this.react(slack, 'add', job.channel, job.reactTs, REACTION_WORKING);
    if (job.question.trim() === '') return this.notifyError(slack, job, 'empty_question', EMPTY_QUESTION_MESSAGE);

    const conversation = buildConversation(await this.history(slack, job), job.question);
    const { replyThreadTs, eventId } = job;
    if (this.deps.config.slackStreaming && this.deps.checkpoints !== undefined && replyThreadTs !== undefined && eventId !== undefined) {
      return this.answerStreamed(slack, { ...job, replyThreadTs, eventId }, conversation);
    }
    let answer: ModelAnswer;
    try {
      answer = await this.ask(conversation);
    } catch (error) {
      if (error instanceof BedrockInvocationError && !error.retryable) {
        return this.notifyError(slack, job, error.kind, bedrockUserMessage(error));
      }
      throw error;
    }

    const unusable = this.unusable(answer);
    if (unusable !== undefined) return this.notifyError(slack, job, unusable.kind, unusable.message);

    const posted = await this.post(slack, job.channel, job.replyThreadTs, this.answerParts(answer));
    await this.settleReactions(slack, job, !posted.ok);
    return posted.ok ? { outcome: 'replied', parts: posted.parts } : posted.outcome;
  }

  async current(request: ExecutionRequest, received: ReceivedEvent): Promise<ExecutionOutcome> {
    this.log.event(LogEvent.ProcessingStarted, {
      source: received.source,
      caller_arn: received.callerArn,
      api_request_id: received.apiRequestId,
      channel: request.channel,
      team_id: request.team_id,
      user_id: request.user_id,
      in_thread: request.thread_ts !== undefined,
      notice: request.notice?.kind,
      idempotency: 'event_id',
      ...textSummary(request.text),
    });
    const slack = await this.token(request.bot_token);
    const replyThreadTs = request.thread_ts ?? request.message_ts;
    if (request.notice !== undefined) {
      const posted = await this.post(slack, request.channel, replyThreadTs, [request.notice.text]);
      if (!posted.ok) return posted.outcome;
      this.log.event(LogEvent.NoticePosted, { kind: request.notice.kind });
      return { outcome: 'notice_posted' };
    }
    return this.answer(slack, {
      channel: request.channel,
      replyThreadTs,
      reactTs: request.message_ts,
      historyThreadTs: request.thread_ts,
      question: request.text,
      eventId: request.event_id,
      userId: request.user_id,
      teamId: request.team_id,
    });
  }

  async legacy(request: LegacyExecutionRequest, received: ReceivedEvent): Promise<ExecutionOutcome> {
    this.log.event(LogEvent.ProcessingStarted, {
      source: received.source,
      channel: request.channel,
      legacy: true,
      // A legacy payload has no event_id: it cannot be deduplicated.
      idempotency: 'none',
      ...textSummary(request.text),
    });
    const slack = await this.token(request.bot_token);
    return this.answer(slack, {
      channel: request.channel,
      replyThreadTs: undefined,
      reactTs: undefined,
      historyThreadTs: undefined,
      question: request.text,
    });
  }
}

function failureFields(error: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = { error: errorName(error) };
  if (error instanceof ExecutionError) fields.retryable = error.retryable;
  if (error instanceof BedrockInvocationError) fields.kind = error.kind;
  if (error instanceof SlackApiError) fields.slack_error = error.slackError;
  if (error instanceof Error && error.cause !== undefined) fields.cause = errorName(error.cause);
  return fields;
}

/**
 * Process one execution event, from either delivery path.
 *
 * Validates the payload (an invalid one is logged as `invalid_payload` and dropped: a retry cannot fix it), then
 * runs the request inside the idempotency guard keyed on `event_id` (a legacy payload, which has none, runs
 * unguarded). Terminal failures post a friendly message and resolve; transient ones are thrown for Lambda's async
 * retries and failure destination.
 *
 * @param event - an `ExecutionApiEvent`, an ExecutionRequest or a legacy `{channel, text, bot_token}`
 * @param context - the Lambda context (remaining time bounds the in-progress record and the model call)
 * @returns what was done
 * @throws {@link EventInProgressError}, {@link IdempotencyStoreError}, `BotTokenError`, and retryable
 * {@link SlackApiError} / {@link BedrockInvocationError}: every error thrown is retryable
 */
export async function processExecutionEvent(
  event: unknown,
  context: Context,
  deps: ExecutionDeps,
): Promise<ExecutionOutcome> {
  const now = deps.now ?? Date.now;
  const started = now();
  const received = detectEventShape(event);
  const parsed = parseHandoffPayload(received.payload);
  const correlationId =
    parsed.ok && parsed.value.kind === 'current' ? parsed.value.request.correlation_id : received.correlationId;
  const log = deps.logger.forInvocation(context, correlationId);

  if (!parsed.ok) {
    log.event(
      LogEvent.InvalidPayload,
      {
        source: received.source,
        fields: [...new Set(parsed.error.issues.map((issue) => issue.path))],
        issues: parsed.error.issues,
      },
      'warn',
    );
    return { outcome: 'invalid_payload' };
  }

  const eventId = parsed.value.kind === 'current' ? parsed.value.request.event_id : undefined;
  const runLog = eventId !== undefined ? log.child({ event_id: eventId }) : log;
  const run = new Run(deps, runLog, context);
  try {
    let outcome: ExecutionOutcome;
    if (parsed.value.kind === 'legacy') {
      outcome = await run.legacy(parsed.value.request, received);
    } else {
      const request = parsed.value.request;
      const result = await deps.guard.run(request.event_id, context, () => run.current(request, received), {
        onStoreFailure: (stage, error) =>
          runLog.event(LogEvent.IdempotencyStoreUnavailable, { stage, error: errorName(error) }, 'error'),
      });
      if (result.status === 'duplicate') {
        runLog.event(LogEvent.DuplicateEventSkipped, {
          source: received.source,
          previous_outcome: typeof result.outcome?.outcome === 'string' ? result.outcome.outcome : undefined,
        });
        return { outcome: 'duplicate' };
      }
      outcome = result.outcome;
    }
    runLog.event(LogEvent.ProcessingCompleted, { ...outcome, duration_ms: now() - started });
    return outcome;
  } catch (error) {
    if (error instanceof EventInProgressError) {
      runLog.event(LogEvent.EventInProgress, { source: received.source, will_retry: true }, 'warn');
    } else if (error instanceof IdempotencyStoreError) {
      runLog.event(LogEvent.IdempotencyStoreUnavailable, { stage: 'save_in_progress', ...failureFields(error) }, 'error');
    }
    runLog.event(
      LogEvent.ProcessingFailed,
      { ...failureFields(error), duration_ms: now() - started },
      error instanceof EventInProgressError ? 'warn' : 'error',
    );
    throw error;
  }
}
