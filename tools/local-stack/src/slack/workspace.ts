/**
 * The state of the local Slack workspace behind the Web API stand-in: channels, messages, threads, reactions, and a
 * record of every Web API call. Pure (no I/O); the HTTP layer is `web-api.ts`.
 */

/** A reaction on a message. */
export interface SlackReaction {
  readonly name: string;
  readonly users: string[];
  readonly count: number;
}

/** A message as `conversations.replies` returns it. */
export interface SlackMessage {
  readonly type: 'message';
  readonly ts: string;
  readonly text: string;
  readonly user: string;
  readonly team: string;
  readonly bot_id?: string;
  readonly app_id?: string;
  readonly thread_ts?: string;
  readonly parent_user_id?: string;
  readonly reply_count?: number;
  readonly reply_users_count?: number;
  readonly latest_reply?: string;
  readonly reactions?: SlackReaction[];
}

/** How a Web API call was authenticated. */
export type CallAuth = 'ok' | 'not_authed' | 'invalid_auth';

/** One recorded Web API call. The token is never recorded. */
export interface RecordedCall {
  readonly seq: number;
  readonly at: Date;
  /** e.g. `chat.postMessage` */
  readonly method: string;
  /** The arguments, without `token`. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly auth: CallAuth;
  /** The HTTP status answered. */
  readonly status: number;
  /** The JSON body answered (`undefined` when a fault dropped the connection or hung). */
  readonly response: Readonly<Record<string, unknown>> | undefined;
  /** Set when a fault was injected instead of the normal answer. */
  readonly fault?: 'down' | 'hang' | 'status';
}

/** A message the bot posted. */
export interface BotReply {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | undefined;
  readonly text: string;
  /** Set for a message started with `chat.startStream`: still `streaming`, or `stopped` (`chat.stopStream`). */
  readonly stream?: 'streaming' | 'stopped';
}

/** One visible change of a bot message: what the thread showed after that call. */
export interface TextChange {
  readonly at: Date;
  readonly method: string;
  readonly text: string;
}

/** Most characters of `markdown_text` in one streaming call (https://docs.slack.dev/reference/methods/chat.startStream). */
const MAX_STREAM_TEXT = 12_000;
const STREAM_METHODS = new Set(['chat.startStream', 'chat.appendStream', 'chat.stopStream', 'chat.update']);

/** Ids and secrets of the workspace. */
export interface WorkspaceOptions {
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  /** The bot token the Web API accepts. */
  readonly botToken: string;
  /** Channels that exist from the start. */
  readonly channels: readonly string[];
  readonly now: () => Date;
}

/** The answer of a Web API method: Slack answers HTTP 200 with `ok: false` for API errors. */
export interface MethodAnswer {
  readonly body: Record<string, unknown>;
}

const MAX_TEXT = 40_000;

/** A message the bot created: where it is (its index in its channel), its stream state, and how it grew. */
interface BotEntry {
  readonly channel: string;
  readonly ts: string;
  readonly index: number;
  stream?: 'streaming' | 'stopped';
  readonly changes: TextChange[];
}

function botKey(channel: string, ts: string): string {
  return `${channel} ${ts}`;
}

/** The local Slack workspace. */
export class SlackWorkspace {
  private readonly channels = new Map<string, SlackMessage[]>();
  private readonly callLog: RecordedCall[] = [];
  private readonly listeners = new Set<(reply: BotReply) => void>();
  private readonly textListeners = new Set<(reply: BotReply, change: TextChange) => void>();
  /** The bot's messages, in the order they were created, and by `channel ts` (lookups stay O(1) under load). */
  private readonly botMessages: BotEntry[] = [];
  private readonly botByKey = new Map<string, BotEntry>();
  private lastMicros = 0;
  private callSeq = 0;

  constructor(private readonly options: WorkspaceOptions) {
    for (const channel of options.channels) this.channels.set(channel, []);
  }

  /** The workspace's ids. */
  get ids(): Pick<WorkspaceOptions, 'teamId' | 'botUserId' | 'botId' | 'appId'> {
    const { teamId, botUserId, botId, appId } = this.options;
    return { teamId, botUserId, botId, appId };
  }

  /**
   * Posts a message as a user (what a person typing in Slack does), creating the channel if needed.
   *
   * @param input - channel, user, text, and the thread to post in
   * @returns the stored message
   */
  postUserMessage(input: { channel: string; user: string; text: string; threadTs?: string }): SlackMessage {
    return this.store(input.channel, { type: 'message', ts: this.nextTs(), text: input.text, user: input.user, team: this.options.teamId }, input.threadTs);
  }

  /**
   * Checks the token and runs a Web API method.
   *
   * @param method - e.g. `chat.postMessage`
   * @param params - the arguments (form fields or JSON), possibly with `token`
   * @param bearer - the `Authorization: Bearer` token, if any
   * @returns the JSON answer, and the authentication outcome
   */
  call(method: string, params: Record<string, unknown>, bearer: string | undefined): { auth: CallAuth; body: Record<string, unknown> } {
    const token = bearer ?? (typeof params['token'] === 'string' ? params['token'] : undefined);
    if (token === undefined || token === '') return { auth: 'not_authed', body: { ok: false, error: 'not_authed' } };
    if (token !== this.options.botToken) return { auth: 'invalid_auth', body: { ok: false, error: 'invalid_auth' } };
    return { auth: 'ok', body: this.run(method, params).body };
  }

  /**
   * Records a call (the HTTP layer calls this for every request, faulted or not).
   *
   * @param call - everything but `seq`; `params.token` is removed here
   */
  record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    const { token: _token, ...params } = call.params;
    const stored: RecordedCall = { ...call, params, seq: this.callSeq++ };
    this.callLog.push(stored);
    const response = call.response;
    const ok = response?.['ok'] === true;
    if (ok && (call.method === 'chat.postMessage' || STREAM_METHODS.has(call.method))) {
      const channel = String(response?.['channel']);
      const ts = String(response?.['ts']);
      const entry = this.botByKey.get(botKey(channel, ts));
      const reply = entry === undefined ? undefined : this.replyOf(entry);
      if (entry !== undefined && reply !== undefined) {
        const change: TextChange = { at: call.at, method: call.method, text: reply.text };
        entry.changes.push(change);
        for (const listener of this.textListeners) listener(reply, change);
        // A reply is complete when posted whole, or when its stream stops.
        if (call.method === 'chat.postMessage' || call.method === 'chat.stopStream') for (const listener of this.listeners) listener(reply);
      }
    }
    return stored;
  }

  /** The recorded calls, oldest first, optionally of one method. */
  calls(filter: { method?: string } = {}): RecordedCall[] {
    return this.callLog.filter((c) => filter.method === undefined || c.method === filter.method);
  }

  /** The messages the bot posted (or is streaming), with their current text, optionally in one channel or thread. */
  botReplies(filter: { channel?: string; threadTs?: string } = {}): BotReply[] {
    const replies: BotReply[] = [];
    for (const entry of this.botMessages) {
      if (filter.channel !== undefined && entry.channel !== filter.channel) continue;
      const reply = this.replyOf(entry);
      if (reply !== undefined && (filter.threadTs === undefined || reply.threadTs === filter.threadTs)) replies.push(reply);
    }
    return replies;
  }

  private replyOf(entry: BotEntry): BotReply | undefined {
    const message = this.channels.get(entry.channel)?.[entry.index];
    if (message === undefined) return undefined;
    return {
      channel: entry.channel,
      ts: message.ts,
      threadTs: message.thread_ts,
      text: message.text,
      ...(entry.stream !== undefined ? { stream: entry.stream } : {}),
    };
  }

  private addBotMessage(channel: string, message: SlackMessage, stream?: 'streaming'): void {
    const index = (this.channels.get(channel)?.length ?? 0) - 1;
    const entry: BotEntry = { channel, ts: message.ts, index, ...(stream !== undefined ? { stream } : {}), changes: [] };
    this.botMessages.push(entry);
    this.botByKey.set(botKey(channel, message.ts), entry);
  }

  /**
   * How a bot message grew: its text after each call that changed it, with the time of the call (replay).
   *
   * @param channel - the channel
   * @param ts - the message
   */
  textChanges(channel: string, ts: string): TextChange[] {
    return [...(this.botByKey.get(botKey(channel, ts))?.changes ?? [])];
  }

  /**
   * Calls `listener` on every visible change of a bot message from now on (posted, streamed text, stopped, updated).
   *
   * @returns a function that unsubscribes
   */
  onBotText(listener: (reply: BotReply, change: TextChange) => void): () => void {
    this.textListeners.add(listener);
    return () => this.textListeners.delete(listener);
  }

  /** The thread of a message (root first), or `undefined`. */
  thread(channel: string, ts: string): SlackMessage[] | undefined {
    const messages = this.channels.get(channel);
    if (messages === undefined) return undefined;
    const root = messages.find((m) => m.ts === ts);
    if (root === undefined) return undefined;
    const rootTs = root.thread_ts ?? root.ts;
    return messages.filter((m) => m.ts === rootTs || m.thread_ts === rootTs).map((m) => this.withThreadFields(channel, m));
  }

  /**
   * Calls `listener` for each bot reply posted from now on.
   *
   * @returns a function that unsubscribes
   */
  onBotReply(listener: (reply: BotReply) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the recorded calls (messages and reactions stay). */
  clearCalls(): void {
    this.callLog.length = 0;
  }

  /** The channels of the workspace (DMs included), in creation order. */
  channelIds(): string[] {
    return [...this.channels.keys()];
  }

  /** Every message of a channel, roots and thread replies, oldest first (empty for an unknown channel). */
  history(channel: string): SlackMessage[] {
    return [...(this.channels.get(channel) ?? [])];
  }

  private run(method: string, params: Record<string, unknown>): MethodAnswer {
    switch (method) {
      case 'chat.postMessage':
        return this.chatPostMessage(params);
      case 'reactions.add':
        return this.reaction(params, 'add');
      case 'reactions.remove':
        return this.reaction(params, 'remove');
      case 'conversations.replies':
        return this.conversationsReplies(params);
      case 'chat.startStream':
        return this.startStream(params);
      case 'chat.appendStream':
        return this.appendStream(params, false);
      case 'chat.stopStream':
        return this.appendStream(params, true);
      case 'chat.update':
        return this.chatUpdate(params);
      case 'auth.test':
        return {
          body: {
            ok: true,
            url: 'http://127.0.0.1/',
            team: 'local',
            user: 'local-bot',
            team_id: this.options.teamId,
            user_id: this.options.botUserId,
            bot_id: this.options.botId,
            is_enterprise_install: false,
          },
        };
      default:
        return { body: { ok: false, error: 'unknown_method', req_method: method } };
    }
  }

  private chatPostMessage(params: Record<string, unknown>): MethodAnswer {
    const channel = str(params['channel']);
    if (channel === undefined || !this.channels.has(channel)) return { body: { ok: false, error: 'channel_not_found' } };
    const text = str(params['text']) ?? '';
    const hasBlocks = params['blocks'] !== undefined || params['attachments'] !== undefined;
    if (text === '' && !hasBlocks) return { body: { ok: false, error: 'no_text' } };
    if (text.length > MAX_TEXT) return { body: { ok: false, error: 'msg_too_long' } };
    const threadTs = str(params['thread_ts']);
    const message = this.store(
      channel,
      {
        type: 'message',
        ts: this.nextTs(),
        text,
        user: this.options.botUserId,
        team: this.options.teamId,
        bot_id: this.options.botId,
        app_id: this.options.appId,
      },
      threadTs,
    );
    this.addBotMessage(channel, message);
    return { body: { ok: true, channel, ts: message.ts, message } };
  }

  /**
   * `chat.startStream` (https://docs.slack.dev/reference/methods/chat.startStream): a reply in a thread
   * (`thread_ts`, "streamed messages should always be replies to a user request"); in a channel (not a DM, `D…`)
   * `recipient_team_id` and `recipient_user_id` are required; `markdown_text` at most 12,000 characters.
   */
  private startStream(params: Record<string, unknown>): MethodAnswer {
    const channel = str(params['channel']);
    if (channel === undefined || !this.channels.has(channel)) return { body: { ok: false, error: 'channel_not_found' } };
    const threadTs = str(params['thread_ts']);
    if (threadTs === undefined || !(this.channels.get(channel) ?? []).some((m) => m.ts === threadTs)) return { body: { ok: false, error: 'invalid_thread_ts' } };
    if (!channel.startsWith('D') && (str(params['recipient_team_id']) === undefined || str(params['recipient_user_id']) === undefined)) {
      return { body: { ok: false, error: 'invalid_arguments' } };
    }
    const text = str(params['markdown_text']) ?? '';
    if (text.length > MAX_STREAM_TEXT) return { body: { ok: false, error: 'msg_too_long' } };
    const message = this.store(
      channel,
      { type: 'message', ts: this.nextTs(), text, user: this.options.botUserId, team: this.options.teamId, bot_id: this.options.botId, app_id: this.options.appId },
      threadTs,
    );
    this.addBotMessage(channel, message, 'streaming');
    return { body: { ok: true, channel, ts: message.ts } };
  }

  /**
   * `chat.appendStream` / `chat.stopStream` (https://docs.slack.dev/reference/methods/chat.appendStream,
   * …/chat.stopStream): `markdown_text` is added to the message; only a message in the streaming state takes it
   * (`message_not_in_streaming_state`); `stop` ends that state (its text is optional).
   */
  private appendStream(params: Record<string, unknown>, stop: boolean): MethodAnswer {
    const found = this.botMessage(params);
    if ('error' in found) return { body: { ok: false, error: found.error } };
    const { channel, entry, index, messages } = found;
    if (entry.stream !== 'streaming') return { body: { ok: false, error: 'message_not_in_streaming_state' } };
    const text = str(params['markdown_text']);
    if (!stop && (text === undefined || text === '')) return { body: { ok: false, error: 'no_text' } };
    if ((text ?? '').length > MAX_STREAM_TEXT) return { body: { ok: false, error: 'msg_too_long' } };
    const message = messages[index] as SlackMessage;
    messages[index] = { ...message, text: message.text + (text ?? '') };
    if (stop) entry.stream = 'stopped';
    return { body: { ok: true, channel, ts: message.ts } };
  }

  /** `chat.update`: a bot message's text replaced; a message still streaming must be stopped first. */
  private chatUpdate(params: Record<string, unknown>): MethodAnswer {
    const found = this.botMessage(params);
    if ('error' in found) return { body: { ok: false, error: found.error } };
    const { channel, entry, index, messages } = found;
    if (entry.stream === 'streaming') return { body: { ok: false, error: 'streaming_state_conflict' } };
    const text = str(params['text']) ?? '';
    if (text === '') return { body: { ok: false, error: 'no_text' } };
    if (text.length > MAX_TEXT) return { body: { ok: false, error: 'msg_too_long' } };
    const message = messages[index] as SlackMessage;
    messages[index] = { ...message, text };
    return { body: { ok: true, channel, ts: message.ts, text } };
  }

  private botMessage(params: Record<string, unknown>): { error: string } | { channel: string; entry: BotEntry; index: number; messages: SlackMessage[] } {
    const channel = str(params['channel']);
    const messages = channel === undefined ? undefined : this.channels.get(channel);
    if (channel === undefined || messages === undefined) return { error: 'channel_not_found' };
    const ts = str(params['ts']);
    const entry = ts === undefined ? undefined : this.botByKey.get(botKey(channel, ts));
    if (entry !== undefined) return { channel, entry, index: entry.index, messages };
    // Only on the error path: a message of someone else's, or none.
    return { error: ts !== undefined && messages.some((m) => m.ts === ts) ? 'cant_update_message' : 'message_not_found' };
  }


  private reaction(params: Record<string, unknown>, action: 'add' | 'remove'): MethodAnswer {
    const channel = str(params['channel']);
    const timestamp = str(params['timestamp']);
    const name = str(params['name']);
    if (channel === undefined || timestamp === undefined) return { body: { ok: false, error: 'no_item_specified' } };
    if (name === undefined || name === '') return { body: { ok: false, error: 'invalid_name' } };
    const messages = this.channels.get(channel);
    if (messages === undefined) return { body: { ok: false, error: 'channel_not_found' } };
    const index = messages.findIndex((m) => m.ts === timestamp);
    const message = messages[index];
    if (message === undefined) return { body: { ok: false, error: 'message_not_found' } };
    const bot = this.options.botUserId;
    const reactions = (message.reactions ?? []).map((r) => ({ ...r, users: [...r.users] }));
    const existing = reactions.find((r) => r.name === name);
    if (action === 'add') {
      if (existing?.users.includes(bot)) return { body: { ok: false, error: 'already_reacted' } };
      if (existing) existing.users.push(bot);
      else reactions.push({ name, users: [bot], count: 1 });
    } else {
      if (!existing?.users.includes(bot)) return { body: { ok: false, error: 'no_reaction' } };
      existing.users.splice(existing.users.indexOf(bot), 1);
    }
    const updated = reactions.filter((r) => r.users.length > 0).map((r) => ({ ...r, count: r.users.length }));
    const { reactions: _old, ...rest } = message;
    messages[index] = updated.length > 0 ? { ...rest, reactions: updated } : rest;
    return { body: { ok: true } };
  }

  private conversationsReplies(params: Record<string, unknown>): MethodAnswer {
    const channel = str(params['channel']);
    const ts = str(params['ts']);
    if (channel === undefined || !this.channels.has(channel)) return { body: { ok: false, error: 'channel_not_found' } };
    if (ts === undefined) return { body: { ok: false, error: 'thread_not_found' } };
    const thread = this.thread(channel, ts);
    if (thread === undefined) return { body: { ok: false, error: 'thread_not_found' } };
    const oldest = str(params['oldest']);
    const latest = str(params['latest']);
    const inclusive = params['inclusive'] === true || params['inclusive'] === 'true' || params['inclusive'] === '1';
    const after = (m: SlackMessage, bound: string) => (inclusive ? compareTs(m.ts, bound) >= 0 : compareTs(m.ts, bound) > 0);
    const before = (m: SlackMessage, bound: string) => (inclusive ? compareTs(m.ts, bound) <= 0 : compareTs(m.ts, bound) < 0);
    const inRange = thread.filter((m) => (oldest === undefined || after(m, oldest)) && (latest === undefined || before(m, latest)));
    const cursor = str(params['cursor']);
    let start = 0;
    if (cursor !== undefined && cursor !== '') {
      const decoded = Buffer.from(cursor, 'base64').toString('utf8');
      const match = /^next_ts:(\d+\.\d+)$/.exec(decoded);
      if (match === null) return { body: { ok: false, error: 'invalid_cursor' } };
      start = inRange.findIndex((m) => m.ts === match[1]);
      if (start === -1) return { body: { ok: false, error: 'invalid_cursor' } };
    }
    const limitRaw = Number(params['limit'] ?? 1000);
    const limit = Number.isFinite(limitRaw) && limitRaw >= 1 ? Math.min(Math.floor(limitRaw), 1000) : 1000;
    const page = inRange.slice(start, start + limit);
    const next = inRange[start + limit];
    return {
      body: {
        ok: true,
        messages: page,
        has_more: next !== undefined,
        response_metadata: { next_cursor: next === undefined ? '' : Buffer.from(`next_ts:${next.ts}`).toString('base64') },
      },
    };
  }

  private store(channel: string, message: SlackMessage, threadTs: string | undefined): SlackMessage {
    let messages = this.channels.get(channel);
    if (messages === undefined) {
      messages = [];
      this.channels.set(channel, messages);
    }
    const parent = threadTs === undefined ? undefined : messages.find((m) => m.ts === threadTs);
    const stored: SlackMessage =
      threadTs === undefined ? message : { ...message, thread_ts: threadTs, ...(parent !== undefined ? { parent_user_id: parent.user } : {}) };
    messages.push(stored);
    return stored;
  }

  private withThreadFields(channel: string, message: SlackMessage): SlackMessage {
    const messages = this.channels.get(channel) ?? [];
    if (message.thread_ts !== undefined && message.thread_ts !== message.ts) return message;
    const replies = messages.filter((m) => m.thread_ts === message.ts && m.ts !== message.ts);
    if (replies.length === 0) return message;
    return {
      ...message,
      thread_ts: message.ts,
      reply_count: replies.length,
      reply_users_count: new Set(replies.map((r) => r.user)).size,
      latest_reply: replies[replies.length - 1]?.ts ?? message.ts,
    };
  }

  /** Slack-style `ts`: seconds and six digits of microseconds, strictly increasing. */
  private nextTs(): string {
    const micros = Math.max(this.options.now().getTime() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }
}

/** Orders two Slack `ts` values exactly (a double cannot hold ten digits of seconds and six of microseconds). */
function compareTs(a: string, b: string): number {
  const [aSeconds = '0', aMicros = '0'] = a.split('.');
  const [bSeconds = '0', bMicros = '0'] = b.split('.');
  const seconds = Number(aSeconds) - Number(bSeconds);
  return seconds !== 0 ? seconds : Number(aMicros.padEnd(6, '0')) - Number(bMicros.padEnd(6, '0'));
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
