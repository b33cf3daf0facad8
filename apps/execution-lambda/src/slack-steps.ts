import { errorName } from '@slack-ai-app/errors';
import { LogEvent } from '@slack-ai-app/logging';
import { classifySlackError, TOKEN_ERRORS, type SlackApi } from './slack';
import type { ExecutionOutcome, Job, Run } from './run';
import { mapThreadHistory, type ConversationTurn } from './thread-history';

/** Reaction added to the user's message while the answer is being prepared. */
export const REACTION_WORKING = 'eyes';
/** Reaction that replaces {@link REACTION_WORKING} when the request ends with an error message. */
export const REACTION_FAILED = 'warning';

/** Whether every part was posted, or the outcome that ends the request. */
export type PostResult = { readonly ok: true; readonly parts: number } | { readonly ok: false; readonly outcome: ExecutionOutcome };

/**
 * The Slack client for this request's bot token (the payload's own, for a legacy one).
 *
 * @throws `BotTokenError` when no token can be had (logged as `secret_fetch_failed`, by name only)
 */
export async function slackFor(run: Run, payloadToken: string | undefined): Promise<SlackApi> {
  try {
    const token = await run.deps.tokens.getToken(payloadToken);
    return run.deps.slack(token, run.record.rateLimitObserver());
  } catch (error) {
    const cause = error instanceof Error && error.cause !== undefined ? errorName(error.cause) : undefined;
    run.log.event(LogEvent.SecretFetchFailed, { error: errorName(error), cause }, 'error');
    throw error;
  }
}

/** Adds or removes a reaction; a failure is logged (info when it was already so) and never ends the request. */
export async function react(run: Run, slack: SlackApi, op: 'add' | 'remove', channel: string, timestamp: string, name: string): Promise<void> {
  try {
    if (op === 'add') await slack.addReaction({ channel, timestamp, name });
    else await slack.removeReaction({ channel, timestamp, name });
  } catch (error) {
    const slackError = classifySlackError(`reactions.${op}`, error).slackError;
    const benign = slackError === 'already_reacted' || slackError === 'no_reaction';
    run.log.event(LogEvent.ReactionFailed, { op, name, slack_error: slackError }, benign ? 'info' : 'warn');
  }
}

/**
 * Post the parts in order. Before anything is out, a transient failure is thrown (Lambda retries the whole unit);
 * once a part is out, nothing is thrown any more: a retry would post that part twice.
 */
export async function post(run: Run, slack: SlackApi, channel: string, threadTs: string | undefined, parts: readonly string[]): Promise<PostResult> {
  const started = run.now();
  for (let i = 0; i < parts.length; i += 1) {
    try {
      await slack.postMessage({ channel, text: parts[i], ...(threadTs !== undefined ? { threadTs } : {}) });
    } catch (error) {
      const failure = classifySlackError('chat.postMessage', error);
      if (TOKEN_ERRORS.has(failure.slackError)) run.deps.tokens.invalidate();
      run.log.event(
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
  run.log.event(LogEvent.SlackPostSuccess, {
    parts: parts.length,
    reply_length: parts.reduce((n, p) => n + p.length, 0),
    duration_ms: run.now() - started,
  });
  return { ok: true, parts: parts.length };
}

/** Un-react after an answer: 👀 removed, and ⚠️ added when the answer is not whole. */
export async function settleReactions(run: Run, slack: SlackApi, job: Job, failed: boolean): Promise<void> {
  if (job.reactTs === undefined) return;
  await react(run, slack, 'remove', job.channel, job.reactTs, REACTION_WORKING);
  if (failed) await react(run, slack, 'add', job.channel, job.reactTs, REACTION_FAILED);
}

/** Ends the request with a friendly message in the thread and ⚠️ in place of 👀. */
export async function notifyError(run: Run, slack: SlackApi, job: Job, kind: string, message: string): Promise<ExecutionOutcome> {
  const posted = await post(run, slack, job.channel, job.replyThreadTs, [message]);
  await settleReactions(run, slack, job, true);
  return posted.ok ? { outcome: 'error_notified', kind } : posted.outcome;
}

/** A Slack failure before anything was posted: thrown when a retry can fix it, else the request ends. */
export function slackFailedBeforePosting(run: Run, error: unknown, method: string): ExecutionOutcome {
  const failure = classifySlackError(method, error);
  if (TOKEN_ERRORS.has(failure.slackError)) run.deps.tokens.invalidate();
  run.log.event(
    LogEvent.SlackPostFailed,
    { method, slack_error: failure.slackError, retryable: failure.retryable, parts_posted: 0, parts_total: 1 },
    'error',
  );
  if (failure.retryable) throw failure;
  return { outcome: 'slack_rejected', slack_error: failure.slackError };
}

/**
 * The thread's earlier turns, as context for the model (`THREAD_HISTORY_LIMIT`; none outside a thread).
 *
 * @throws the Slack failure when a retry can fix it (nothing is posted yet); a terminal one answers without context
 */
export async function threadHistory(run: Run, slack: SlackApi, job: Job): Promise<ConversationTurn[]> {
  const limit = run.deps.config.threadHistoryLimit;
  if (job.historyThreadTs === undefined || limit === 0) return [];
  const started = run.now();
  try {
    const messages = await slack.threadReplies({ channel: job.channel, threadTs: job.historyThreadTs });
    const turns = mapThreadHistory(messages, { currentTs: job.reactTs, limit });
    run.log.event(LogEvent.ThreadHistoryFetched, {
      messages: messages.length,
      turns: turns.length,
      duration_ms: run.now() - started,
    });
    return turns;
  } catch (error) {
    const failure = classifySlackError('conversations.replies', error);
    run.log.event(
      LogEvent.ThreadHistoryFetched,
      { ok: false, slack_error: failure.slackError, retryable: failure.retryable },
      'warn',
    );
    // Nothing is posted yet: a transient failure is retried whole; a terminal one (missing scope…) answers without context.
    if (failure.retryable) throw failure;
    return [];
  }
}
