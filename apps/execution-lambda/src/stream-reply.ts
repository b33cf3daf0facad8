import type { ModelAnswer } from './bedrock';
import { ModelStreamBrokenError, type ModelStreamEvent } from './bedrock-stream';
import { SlackApiError } from './errors';
import { STREAM_ENDED_ERRORS, STREAM_REFUSED_ERRORS, STREAM_TEXT_LIMIT, type SlackStreamApi } from './slack-stream';
import { escapeSlackText } from './slack-format';

/**
 * Streaming one answer into a Slack thread: the model's text goes out as it arrives, batched so that one answer makes
 * about one call per {@link STREAM_FLUSH_INTERVAL_MS} (`chat.appendStream` is rate tier 4, 100+ calls a minute per
 * workspace: https://docs.slack.dev/reference/methods/chat.appendStream). Reading the model never waits for Slack:
 * one append is in flight at a time and the text that arrives meanwhile goes out with the next one.
 *
 * The text is `markdown_text` (standard Markdown, which Slack renders), with `&`, `<` and `>` escaped so that the
 * model can never write `<!channel>` or a disguised link.
 */

/** Least time between two streaming calls of one answer. */
export const STREAM_FLUSH_INTERVAL_MS = 1_000;

/** Appended where a streamed answer stopped early: the user always sees an ending. */
export const STREAM_INTERRUPTED_NOTICE =
  '\n\n:warning: _My answer stopped here because of a problem on our side. Please ask again._';

/** Where and to whom the answer is streamed. */
export interface StreamTarget {
  readonly channel: string;
  readonly threadTs: string;
  readonly recipientTeamId?: string;
  readonly recipientUserId?: string;
}

/** Inputs of {@link streamReply}. */
export interface StreamReplyInput {
  readonly slack: SlackStreamApi;
  readonly target: StreamTarget;
  /** The model's stream ({@link streamModel}). */
  readonly events: AsyncIterable<ModelStreamEvent>;
  /**
   * Called once `chat.startStream` answered, before any more text goes out (the checkpoint). When it throws, nothing
   * more is streamed: the stream is ended at once with {@link STREAM_INTERRUPTED_NOTICE} (result `interrupted`, its
   * `cause` the thrown error).
   */
  readonly onStarted: (ts: string, elapsedMs: number) => Promise<void>;
  /** Called when the first text is visible. */
  readonly onFirstText?: (elapsedMs: number) => void;
  /** What to append at the end (e.g. the truncation note), from the final answer; raw Markdown. */
  readonly ending?: (answer: ModelAnswer) => string;
  /** Clock (ms). */
  readonly now: () => number;
  /** @default {@link STREAM_FLUSH_INTERVAL_MS} */
  readonly flushIntervalMs?: number;
}

/** Figures of a stream. */
export interface StreamFigures {
  /** Streaming calls made (start + appends + stop). */
  readonly calls: number;
  /** Milliseconds from the call of {@link streamReply} to the first visible text. */
  readonly firstTextMs: number;
  /** Milliseconds to the end of the stream (stop answered, or the interruption handled). */
  readonly lastTextMs: number;
}

/** What {@link streamReply} did. */
export type StreamReplyResult =
  /** The whole answer was streamed and the stream stopped. */
  | { readonly kind: 'streamed'; readonly ts: string; readonly answer: ModelAnswer; readonly figures: StreamFigures }
  /** The model ended without any text: nothing was posted. */
  | { readonly kind: 'no_text'; readonly answer: ModelAnswer }
  /** `chat.startStream` refused streaming here; the model was read to the end; nothing was posted. */
  | { readonly kind: 'refused'; readonly slackError: string; readonly answer: ModelAnswer }
  /**
   * The stream started, then the model or Slack failed: the stream was ended with {@link STREAM_INTERRUPTED_NOTICE}
   * (`ended: true`) or could not be ended (`ended: false`, Slack unreachable).
   */
  | {
      readonly kind: 'interrupted';
      readonly ts: string;
      readonly cause: unknown;
      readonly ended: boolean;
      readonly figures: StreamFigures;
    };

function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += STREAM_TEXT_LIMIT) out.push(text.slice(i, i + STREAM_TEXT_LIMIT));
  return out;
}

/**
 * Stream the model's answer into the thread.
 *
 * @returns what happened (see {@link StreamReplyResult})
 * @throws the model's error when it fails before any text (nothing posted: the caller's usual error handling applies),
 * and a `SlackApiError` when `chat.startStream` fails for another reason than a refusal (nothing posted)
 */
export async function streamReply(input: StreamReplyInput): Promise<StreamReplyResult> {
  const { slack, target, now } = input;
  const interval = input.flushIntervalMs ?? STREAM_FLUSH_INTERVAL_MS;
  const started = now();
  let ts: string | undefined;
  let refused: string | undefined;
  let pending = '';
  /** The text Slack accepted so far. */
  let visible = '';
  let calls = 0;
  let firstTextMs = 0;
  let lastSendAt = 0;
  let inflight: Promise<void> | undefined;
  let slackFailure: unknown;
  let answer: ModelAnswer | undefined;

  const figures = (): StreamFigures => ({ calls, firstTextMs, lastTextMs: now() - started });
  const append = (streamTs: string): void => {
    const [text = '', ...rest] = chunks(pending);
    pending = rest.join('');
    lastSendAt = now();
    calls += 1;
    inflight = slack
      .appendStream({ channel: target.channel, ts: streamTs, markdownText: text })
      .then(() => {
        visible += text;
      })
      .catch((error: unknown) => {
        slackFailure = error;
      })
      .finally(() => {
        inflight = undefined;
      });
  };

  try {
    for await (const event of input.events) {
      if (event.type === 'end') {
        answer = event.answer;
        break;
      }
      if (refused !== undefined) continue;
      pending += escapeSlackText(event.text);
      if (ts === undefined) {
        if (pending.trim() === '') continue;
        const [first = '', ...rest] = chunks(pending.trimStart());
        try {
          ts = await slack.startStream({
            channel: target.channel,
            threadTs: target.threadTs,
            markdownText: first,
            ...(target.recipientTeamId !== undefined ? { recipientTeamId: target.recipientTeamId } : {}),
            ...(target.recipientUserId !== undefined ? { recipientUserId: target.recipientUserId } : {}),
          });
        } catch (error) {
          if (error instanceof SlackApiError && STREAM_REFUSED_ERRORS.has(error.slackError)) {
            refused = error.slackError;
            continue;
          }
          throw error;
        }
        calls += 1;
        visible = first;
        pending = rest.join('');
        lastSendAt = now();
        firstTextMs = lastSendAt - started;
        input.onFirstText?.(firstTextMs);
        try {
          await input.onStarted(ts, now() - started);
        } catch (error) {
          // Without the checkpoint a retry could not find this message: end it now rather than risk a second one.
          return await interrupt(ts, error);
        }
        continue;
      }
      if (slackFailure !== undefined) break;
      if (inflight === undefined && now() - lastSendAt >= interval) append(ts);
    }
  } catch (error) {
    if (!(error instanceof ModelStreamBrokenError)) throw error;
    // Broken before anything was shown: an ordinary model failure for the caller.
    if (ts === undefined) throw error.cause;
    return interrupt(ts, error, true);
  }

  if (refused !== undefined) {
    if (answer === undefined) throw new Error('The model stream ended without its end event');
    return { kind: 'refused', slackError: refused, answer };
  }
  if (ts === undefined) {
    if (answer === undefined) throw new Error('The model stream ended without its end event');
    return { kind: 'no_text', answer };
  }
  await inflight;
  if (slackFailure !== undefined || answer === undefined) return interrupt(ts, slackFailure);

  const ending = escapeSlackText(input.ending?.(answer) ?? '');
  try {
    const all = chunks(pending + ending);
    const last = all.pop() ?? '';
    for (const text of all) {
      calls += 1;
      await slack.appendStream({ channel: target.channel, ts, markdownText: text });
    }
    calls += 1;
    await slack.stopStream({ channel: target.channel, ts, markdownText: last });
  } catch (error) {
    return interrupt(ts, error);
  }
  return { kind: 'streamed', ts, answer, figures: figures() };

  async function interrupt(streamTs: string, cause: unknown, keepPending = false): Promise<StreamReplyResult> {
    await inflight;
    // After a model break, the text already received still goes out; after a Slack failure it is dropped. The notice
    // marks where the visible answer stops.
    const rest = keepPending && slackFailure === undefined ? (chunks(pending)[0] ?? '') : '';
    try {
      calls += 1;
      await slack.stopStream({ channel: target.channel, ts: streamTs, markdownText: rest + STREAM_INTERRUPTED_NOTICE });
      return { kind: 'interrupted', ts: streamTs, cause, ended: true, figures: figures() };
    } catch (error) {
      if (!(error instanceof SlackApiError && STREAM_ENDED_ERRORS.has(error.slackError))) {
        return { kind: 'interrupted', ts: streamTs, cause, ended: false, figures: figures() };
      }
    }
    // The message left the streaming state (Slack ends idle streams): replace it with what was shown, and the notice.
    try {
      await slack.update({ channel: target.channel, ts: streamTs, text: visible + STREAM_INTERRUPTED_NOTICE });
      return { kind: 'interrupted', ts: streamTs, cause, ended: true, figures: figures() };
    } catch {
      return { kind: 'interrupted', ts: streamTs, cause, ended: false, figures: figures() };
    }
  }
}
