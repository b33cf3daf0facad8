import { errorName } from '@slack-ai-app/errors';
import { LogEvent } from '@slack-ai-app/logging';
import { ModelStreamBrokenError } from './bedrock-stream';
import {
  BedrockInvocationError,
  bedrockUserMessage,
  EMPTY_ANSWER_MESSAGE,
  IdempotencyStoreError,
  SlackApiError,
  TRUNCATED_SUFFIX,
} from './errors';
import { answerParts, askCollected, askStreamed, unusable } from './model-steps';
import type { ExecutionDeps, ExecutionOutcome, Job, Run } from './run';
import { classifySlackError, type SlackApi } from './slack';
import { notifyError, post, settleReactions, slackFailedBeforePosting } from './slack-steps';
import { STREAM_ENDED_ERRORS } from './slack-stream';
import type { StreamCheckpoint } from './stream-checkpoint';
import { streamReply, type StreamReplyResult } from './stream-reply';
import type { ConversationTurn } from './thread-history';

/** Containers (their dependencies) that already logged why streaming was refused. */
const refusalLogged = new WeakSet<ExecutionDeps>();

async function readCheckpoint(run: Run, eventId: string): Promise<StreamCheckpoint | undefined> {
  try {
    return await run.deps.checkpoints?.get(eventId);
  } catch (error) {
    run.log.event(LogEvent.StreamCheckpointFailed, { stage: 'read', error: errorName(error) }, 'error');
    throw new IdempotencyStoreError(`The stream checkpoint could not be read (${errorName(error)})`, { cause: error });
  }
}

/**
 * Stream the answer into the thread (ConverseStream → chat.startStream/appendStream/stopStream). A retry that finds
 * the checkpoint of an earlier attempt's stream replaces that message instead ({@link replaceStream}).
 */
export async function answerStreamed(
  run: Run,
  slack: SlackApi,
  job: Job & { replyThreadTs: string; eventId: string },
  conversation: ConversationTurn[],
): Promise<ExecutionOutcome> {
  const previous = await readCheckpoint(run, job.eventId);
  if (previous !== undefined) return replaceStream(run, slack, job, conversation, previous);

  run.log.event(LogEvent.SlackStreamStarted, { since_start_ms: run.now() - run.startedAt });
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
      events: askStreamed(run, conversation),
      now: run.now,
      onFirstText: (elapsedMs) => {
        firstTextAt = run.now();
        run.log.event(LogEvent.SlackStreamFirstText, { since_start_ms: firstTextAt - run.startedAt, stream_ms: elapsedMs });
      },
      onStarted: async (ts) => {
        try {
          await run.deps.checkpoints?.put(job.eventId, { channel: job.channel, ts });
          checkpointed = true;
        } catch (error) {
          // streamReply ends the stream at once: a retry without the checkpoint would start a second message.
          run.log.event(LogEvent.StreamCheckpointFailed, { stage: 'write', error: errorName(error) }, 'error');
          throw new IdempotencyStoreError(`The stream checkpoint could not be written (${errorName(error)})`, { cause: error });
        }
      },
      ending: (answer) => (answer.stopReason === 'max_tokens' ? TRUNCATED_SUFFIX : ''),
    });
  } catch (error) {
    if (error instanceof BedrockInvocationError && !error.retryable) {
      return notifyError(run, slack, job, error.kind, bedrockUserMessage(error));
    }
    if (error instanceof SlackApiError) return slackFailedBeforePosting(run, error, 'chat.startStream');
    throw error;
  }

  switch (result.kind) {
    case 'no_text': {
      const failed = unusable(result.answer) ?? { kind: 'empty_answer', message: EMPTY_ANSWER_MESSAGE };
      return notifyError(run, slack, job, failed.kind, failed.message);
    }
    case 'refused': {
      if (!refusalLogged.has(run.deps)) {
        refusalLogged.add(run.deps);
        run.log.event(LogEvent.SlackStreamUnavailable, { slack_error: result.slackError, fallback: 'chat.postMessage' }, 'warn');
      }
      const failed = unusable(result.answer);
      if (failed !== undefined) return notifyError(run, slack, job, failed.kind, failed.message);
      const posted = await post(run, slack, job.channel, job.replyThreadTs, answerParts(result.answer));
      await settleReactions(run, slack, job, !posted.ok);
      return posted.ok ? { outcome: 'replied', parts: posted.parts, delivery: 'post_fallback' } : posted.outcome;
    }
    case 'streamed': {
      run.record.streamStopped(result.figures, firstTextAt, result.answer.stopReason);
      const declined = unusable(result.answer)?.kind === 'model_declined';
      await settleReactions(run, slack, job, declined);
      return { outcome: 'replied', parts: 1, delivery: 'stream' };
    }
    case 'interrupted': {
      const cause = result.cause instanceof ModelStreamBrokenError ? (result.cause.cause as BedrockInvocationError).kind : errorName(result.cause);
      run.log.event(
        LogEvent.SlackStreamInterrupted,
        { cause, ended: result.ended, slack_calls: result.figures.calls, stream_ms: result.figures.lastTextMs },
        'warn',
      );
      if (!result.ended && checkpointed) {
        // Slack cannot be reached to end the message: the retry finds the checkpoint and replaces it whole.
        throw result.cause instanceof SlackApiError ? result.cause : new SlackApiError('chat.stopStream', 'unknown', true, { cause: result.cause });
      }
      await settleReactions(run, slack, job, true);
      return { outcome: 'stream_interrupted', cause };
    }
  }
}

/**
 * A retry found the checkpoint of a stream an earlier attempt started (it crashed or timed out mid-stream): ask the
 * model again, end that stream if it is still open, and replace the message with the whole answer (`chat.update`);
 * the rest of a long answer follows in the thread. Never a second streamed message.
 */
async function replaceStream(
  run: Run,
  slack: SlackApi,
  job: Job,
  conversation: ConversationTurn[],
  previous: StreamCheckpoint,
): Promise<ExecutionOutcome> {
  run.log.event(LogEvent.SlackStreamResumed, { stream_ts: previous.ts });
  let parts: string[];
  let failedKind: string | undefined;
  try {
    const answer = await askCollected(run, conversation);
    const failed = unusable(answer);
    parts = failed !== undefined ? [failed.message] : answerParts(answer);
    failedKind = failed?.kind;
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
    return slackFailedBeforePosting(run, error, 'chat.update');
  }
  const posted = rest.length > 0 ? await post(run, slack, job.channel, job.replyThreadTs, rest) : { ok: true as const, parts: 0 };
  await settleReactions(run, slack, job, failedKind !== undefined || !posted.ok);
  if (failedKind !== undefined) return { outcome: 'error_notified', kind: failedKind };
  return posted.ok ? { outcome: 'replied', parts: parts.length, delivery: 'stream_replaced' } : { outcome: 'reply_incomplete', parts_posted: 1, parts_total: parts.length };
}
