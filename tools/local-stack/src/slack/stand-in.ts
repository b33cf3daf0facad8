import type { TraceStore } from '../trace';
import { eventIdOf } from '../trace';
import { appMentionEnvelope, deliverSigned, directMessageEnvelope, type DeliveryOptions } from './events';
import type { BotReply, RecordedCall, SlackMessage, SlackWorkspace } from './workspace';

/** A message to post as a user, which Slack turns into an `app_mention` for the app. */
export interface UserMessageInput {
  /** The text after the mention. */
  readonly text: string;
  /** @default the local channel */
  readonly channel?: string;
  /** @default the local user */
  readonly user?: string;
  /** Post inside this thread. */
  readonly threadTs?: string;
  /** @default a new id, `Ev0L…` */
  readonly eventId?: string;
  /** A direct message to the bot (a `message.im` event in `channel`, a `D…` channel) instead of a mention. */
  readonly direct?: boolean;
}

/** What happened when Slack delivered an event to the app. */
export interface DeliveryResult {
  readonly eventId: string | undefined;
  /** The user's message ts (set by {@link SlackStandIn.postUserMessage}). */
  readonly ts: string | undefined;
  readonly channel: string | undefined;
  /** The thread the bot should answer in: the message's thread, or the message itself. */
  readonly threadTs: string | undefined;
  /** The Request URL's HTTP status (the ack). */
  readonly status: number;
  readonly body: string;
  readonly latencyMs: number;
  /** The envelope that was signed and sent. */
  readonly envelope: Record<string, unknown> | undefined;
}

/** Options of {@link SlackStandIn}. */
export interface SlackStandInOptions {
  readonly workspace: SlackWorkspace;
  /** The app's Request URL (the Slack ingress). */
  readonly eventsUrl: string;
  /** The app's signing secret. */
  readonly signingSecret: string;
  readonly defaultChannel: string;
  readonly defaultUser: string;
  readonly trace: TraceStore;
  readonly now: () => Date;
}

/**
 * Slack, played locally: it keeps the workspace (through the Web API stand-in) and delivers signed events to the
 * app's Request URL. This is `stack.slack`.
 */
export class SlackStandIn {
  private eventCounter = 0;

  constructor(private readonly options: SlackStandInOptions) {}

  /** The Request URL events are delivered to. */
  get eventsUrl(): string {
    return this.options.eventsUrl;
  }

  /** The workspace state (messages, reactions, recorded calls). */
  get workspace(): SlackWorkspace {
    return this.options.workspace;
  }

  /** Every recorded Web API call, optionally of one method. */
  calls(filter: { method?: string } = {}): RecordedCall[] {
    return this.options.workspace.calls(filter);
  }

  /** The bot's replies, optionally in one channel or thread. */
  botReplies(filter: { channel?: string; threadTs?: string } = {}): BotReply[] {
    return this.options.workspace.botReplies(filter);
  }

  /** A thread as `conversations.replies` would return it. */
  thread(channel: string, ts: string): SlackMessage[] | undefined {
    return this.options.workspace.thread(channel, ts);
  }

  /** A fresh event id, unique within this stack. */
  nextEventId(): string {
    this.eventCounter += 1;
    return `Ev0L${this.eventCounter.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /**
   * Posts a message as a user mentioning the bot (or, with `direct`, a direct message to it), and delivers the
   * resulting signed `app_mention` (or `message.im`) to the app, exactly as Slack does.
   *
   * @param input - text, channel, user, thread
   * @param options - retry headers or deliberate signing mistakes
   */
  async postUserMessage(input: UserMessageInput, options: DeliveryOptions = {}): Promise<DeliveryResult> {
    const { workspace } = this.options;
    const channel = input.channel ?? this.options.defaultChannel;
    const user = input.user ?? this.options.defaultUser;
    const message = workspace.postUserMessage({
      channel,
      user,
      text: input.direct === true ? input.text : `<@${workspace.ids.botUserId}> ${input.text}`,
      ...(input.threadTs !== undefined ? { threadTs: input.threadTs } : {}),
    });
    const eventId = input.eventId ?? this.nextEventId();
    const envelope = (input.direct === true ? directMessageEnvelope : appMentionEnvelope)({
      eventId,
      eventTime: Math.floor(this.options.now().getTime() / 1000),
      teamId: workspace.ids.teamId,
      appId: workspace.ids.appId,
      botUserId: workspace.ids.botUserId,
      channel,
      user,
      text: message.text,
      ts: message.ts,
      ...(input.threadTs !== undefined ? { threadTs: input.threadTs } : {}),
    });
    const delivered = await this.deliver(envelope, options);
    return { ...delivered, ts: message.ts, channel, threadTs: input.threadTs ?? message.ts };
  }

  /**
   * Signs and delivers an envelope (or any body) to the Request URL: the low-level step, for retries
   * (`X-Slack-Retry-Num`), duplicates and tampered or expired signatures.
   *
   * @param envelope - an envelope object, or a raw body string
   * @param options - retry headers, timestamp, secret, tampering
   */
  async deliver(envelope: Record<string, unknown> | string, options: DeliveryOptions = {}): Promise<DeliveryResult> {
    const body = typeof envelope === 'string' ? envelope : JSON.stringify(envelope);
    const response = await deliverSigned(this.options.eventsUrl, body, this.options.signingSecret, Math.floor(this.options.now().getTime() / 1000), options);
    const eventId = eventIdOf(body);
    const event = typeof envelope === 'string' ? undefined : (envelope['event'] as Record<string, unknown> | undefined);
    const message = typeof event?.['channel'] === 'string' && typeof event['ts'] === 'string' ? { channel: event['channel'], ts: event['ts'] } : undefined;
    this.options.trace.add({
      kind: 'slack_delivery',
      at: this.options.now(),
      eventId,
      status: response.status,
      latencyMs: response.latencyMs,
      retryNum: options.retryNum,
      ...(message !== undefined ? { message } : {}),
    });
    return {
      eventId,
      ts: undefined,
      channel: undefined,
      threadTs: undefined,
      status: response.status,
      body: response.body,
      latencyMs: response.latencyMs,
      envelope: typeof envelope === 'string' ? undefined : envelope,
    };
  }

  /**
   * Resolves with the bot's first reply in a thread (one already posted counts), or `undefined` when `timeoutMs`
   * passes first or `signal` aborts.
   *
   * @param channel - the channel
   * @param threadTs - the thread
   * @param timeoutMs - upper bound
   * @param signal - aborts the wait
   */
  waitForReply(channel: string, threadTs: string, timeoutMs: number, signal?: AbortSignal): Promise<BotReply | undefined> {
    // A streamed message counts once its stream has stopped (its final text).
    const existing = this.botReplies({ channel, threadTs }).find((r) => r.stream !== 'streaming');
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise<BotReply | undefined>((resolve) => {
      const done = (reply: BotReply | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        resolve(reply);
      };
      const onAbort = () => done(undefined);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const unsubscribe = this.options.workspace.onBotReply((reply) => {
        if (reply.channel === channel && reply.threadTs === threadTs) done(reply);
      });
      signal?.addEventListener('abort', onAbort);
    });
  }
}
