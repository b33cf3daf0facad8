import { LogEvent } from '@slack-ai-app/logging';
import type { ExecutionRequest, LegacyExecutionRequest } from '@slack-ai-app/payload-schemas';
import type { ModelAnswer } from './bedrock';
import { answerStreamed } from './answer-streamed';
import { BedrockInvocationError, bedrockUserMessage, EMPTY_QUESTION_MESSAGE } from './errors';
import type { ReceivedEvent } from './event-shape';
import { answerParts, ask, unusable } from './model-steps';
import type { ExecutionOutcome, Job, Run } from './run';
import type { SlackApi } from './slack';
import { notifyError, post, react, REACTION_WORKING, settleReactions, slackFor, threadHistory } from './slack-steps';
import { buildConversation } from './thread-history';

/**
 * React, read the thread, ask the model, post (or stream) the answer, un-react. Terminal failures end here with a
 * friendly message; transient ones are thrown.
 */
async function answer(run: Run, slack: SlackApi, job: Job): Promise<ExecutionOutcome> {
  if (job.reactTs !== undefined) await react(run, slack, 'add', job.channel, job.reactTs, REACTION_WORKING);
  if (job.question.trim() === '') return notifyError(run, slack, job, 'empty_question', EMPTY_QUESTION_MESSAGE);

  const conversation = buildConversation(await threadHistory(run, slack, job), job.question);
  const { replyThreadTs, eventId } = job;
  if (run.deps.config.slackStreaming && run.deps.checkpoints !== undefined && replyThreadTs !== undefined && eventId !== undefined) {
    return answerStreamed(run, slack, { ...job, replyThreadTs, eventId }, conversation);
  }
  let reply: ModelAnswer;
  try {
    reply = await ask(run, conversation);
  } catch (error) {
    if (error instanceof BedrockInvocationError && !error.retryable) {
      return notifyError(run, slack, job, error.kind, bedrockUserMessage(error));
    }
    throw error;
  }

  const failed = unusable(reply);
  if (failed !== undefined) return notifyError(run, slack, job, failed.kind, failed.message);

  const posted = await post(run, slack, job.channel, job.replyThreadTs, answerParts(reply));
  await settleReactions(run, slack, job, !posted.ok);
  return posted.ok ? { outcome: 'replied', parts: posted.parts } : posted.outcome;
}

/**
 * Answers a current request in its thread, or posts its notice.
 *
 * @param run - this invocation's run
 * @param request - the validated request
 * @param received - where it came from
 * @returns what was done
 */
export async function answerCurrent(run: Run, request: ExecutionRequest, received: ReceivedEvent): Promise<ExecutionOutcome> {
  run.record.currentStarted(request, received);
  const slack = await slackFor(run, request.bot_token);
  const replyThreadTs = request.thread_ts ?? request.message_ts;
  if (request.notice !== undefined) {
    const posted = await post(run, slack, request.channel, replyThreadTs, [request.notice.text]);
    if (!posted.ok) return posted.outcome;
    run.log.event(LogEvent.NoticePosted, { kind: request.notice.kind });
    return { outcome: 'notice_posted' };
  }
  return answer(run, slack, {
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

/**
 * Answers a legacy `{channel, text, bot_token}` payload in the channel: no thread, no reactions, no deduplication.
 *
 * @param run - this invocation's run
 * @param request - the validated legacy payload
 * @param received - where it came from
 * @returns what was done
 */
export async function answerLegacy(run: Run, request: LegacyExecutionRequest, received: ReceivedEvent): Promise<ExecutionOutcome> {
  run.record.legacyStarted(request, received);
  const slack = await slackFor(run, request.bot_token);
  return answer(run, slack, {
    channel: request.channel,
    replyThreadTs: undefined,
    reactTs: undefined,
    historyThreadTs: undefined,
    question: request.text,
  });
}
