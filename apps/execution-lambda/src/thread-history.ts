/**
 * Turning a Slack thread into a Bedrock Converse conversation.
 *
 * Converse wants a list that starts with a `user` message, alternates roles and ends with the `user` message being
 * answered. Slack threads do none of that reliably: a user may post three messages in a row, the thread may start
 * with a bot's message, and system messages (joins, topic changes) are mixed in. These pure functions do the mapping.
 */

/** The fields of a Slack message (from `conversations.replies`) that the mapping reads. */
export interface SlackThreadMessage {
  readonly ts?: string;
  readonly text?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly subtype?: string;
}

/** One conversation turn, before conversion to the SDK's `Message` shape. */
export interface ConversationTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

/** Options of {@link mapThreadHistory}. */
export interface ThreadHistoryOptions {
  /** The `ts` of the message being answered: it and anything after it are left out. */
  readonly currentTs: string | undefined;
  /** Keep at most this many earlier messages (the most recent ones). */
  readonly limit: number;
  /** Keep at most this many characters of history in total, dropping the oldest messages first. */
  readonly maxChars?: number;
}

/** Default cap on the characters of thread history sent to the model (about 10k tokens). */
export const DEFAULT_MAX_HISTORY_CHARS = 40_000;

/** Message subtypes that carry conversation; every other subtype (joins, topic changes…) is skipped. */
const CONVERSATIONAL_SUBTYPES = new Set([undefined, 'bot_message', 'thread_broadcast', 'file_share', 'me_message']);

/**
 * Compare two Slack timestamps (`"1700000000.000100"`) exactly, without floating point.
 *
 * @returns a negative number, zero or a positive number, like `Array.prototype.sort` expects
 */
export function compareSlackTs(a: string, b: string): number {
  const [aSec = '', aFrac = ''] = a.split('.');
  const [bSec = '', bFrac = ''] = b.split('.');
  const width = Math.max(aSec.length, bSec.length);
  const fracWidth = Math.max(aFrac.length, bFrac.length);
  const left = aSec.padStart(width, '0') + aFrac.padEnd(fracWidth, '0');
  const right = bSec.padStart(width, '0') + bFrac.padEnd(fracWidth, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Map the messages of a thread to conversation turns: a bot's message becomes an `assistant` turn, a person's a
 * `user` turn; non-conversational messages, empty texts, the current message and anything after it are dropped; the
 * most recent `limit` messages (and at most `maxChars` characters) are kept, in order.
 *
 * @param messages - `conversations.replies` messages, in any order
 * @returns turns in chronological order (not yet merged, see {@link mergeConsecutiveTurns})
 */
export function mapThreadHistory(
  messages: readonly SlackThreadMessage[],
  options: ThreadHistoryOptions,
): ConversationTurn[] {
  if (options.limit <= 0) return [];
  const maxChars = options.maxChars ?? DEFAULT_MAX_HISTORY_CHARS;
  const earlier = messages
    .filter((m): m is SlackThreadMessage & { ts: string } => typeof m.ts === 'string')
    .filter((m) => options.currentTs === undefined || compareSlackTs(m.ts, options.currentTs) < 0)
    .filter((m) => CONVERSATIONAL_SUBTYPES.has(m.subtype))
    .filter((m) => typeof m.text === 'string' && m.text.trim() !== '')
    .sort((a, b) => compareSlackTs(a.ts, b.ts))
    .slice(-options.limit);

  const kept: ConversationTurn[] = [];
  let chars = 0;
  for (let i = earlier.length - 1; i >= 0; i -= 1) {
    const message = earlier[i];
    const text = (message.text ?? '').trim();
    if (chars + text.length > maxChars) break;
    chars += text.length;
    const role = message.bot_id !== undefined || message.subtype === 'bot_message' ? 'assistant' : 'user';
    kept.push({ role, text });
  }
  return kept.reverse();
}

/**
 * Merge consecutive turns of the same role into one (texts joined by a blank line), as Converse requires
 * alternating roles.
 */
export function mergeConsecutiveTurns(turns: readonly ConversationTurn[]): ConversationTurn[] {
  const merged: ConversationTurn[] = [];
  for (const turn of turns) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.role === turn.role) {
      merged[merged.length - 1] = { role: last.role, text: `${last.text}\n\n${turn.text}` };
    } else {
      merged.push({ role: turn.role, text: turn.text });
    }
  }
  return merged;
}

/**
 * Build the conversation sent to the model: thread history, then the question being answered, merged so that roles
 * alternate, starting and ending with a `user` turn.
 *
 * @param history - from {@link mapThreadHistory}
 * @param question - the text of the message being answered
 */
export function buildConversation(history: readonly ConversationTurn[], question: string): ConversationTurn[] {
  const merged = mergeConsecutiveTurns([...history, { role: 'user', text: question }]);
  const firstUser = merged.findIndex((turn) => turn.role === 'user');
  return merged.slice(firstUser);
}
