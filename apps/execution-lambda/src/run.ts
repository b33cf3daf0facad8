import type { AppLogger } from '@slack-ai-app/logging';
import type { Context } from 'aws-lambda';
import type { ConverseClient } from './bedrock';
import type { ConverseStreamClient } from './bedrock-stream';
import type { BotTokenProvider } from './bot-token';
import type { ExecutionConfig } from './config';
import type { IdempotencyGuard } from './idempotency';
import type { SlackApi, SlackClientObserver } from './slack';
import type { StreamCheckpointStore } from './stream-checkpoint';
import { RunLog } from './run-log';

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

/** One request to answer, whichever payload it came from. */
export interface Job {
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

/** One invocation's state, passed to every step of the answer flow: the container's dependencies, its log, its clock. */
export interface Run {
  readonly deps: ExecutionDeps;
  /** The invocation's logger, for plain events. */
  readonly log: AppLogger;
  /** The log fields and metrics of the model and stream steps. */
  readonly record: RunLog;
  readonly context: Context;
  readonly now: () => number;
  /** When the invocation started (ms, on {@link Run.now}). */
  readonly startedAt: number;
}

/**
 * Starts one invocation's run.
 *
 * @param deps - the container's dependencies
 * @param log - the invocation's logger (with its correlation id and `event_id`)
 * @param context - the Lambda context (its remaining time bounds the model call)
 * @returns the run, started now
 */
export function startRun(deps: ExecutionDeps, log: AppLogger, context: Context): Run {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  return { deps, context, now, startedAt, log, record: new RunLog(log, now, startedAt, deps.config.bedrock.modelId) };
}
