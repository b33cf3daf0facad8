/**
 * The shapes the console's JSON API answers and its page reads: shared by the server (`tools/local-stack/src/console`)
 * and the browser bundle (`tools/local-stack/console`). Types only, so the page bundles none of the server's code.
 */

/** A reaction on a message. */
export interface ConsoleReaction {
  readonly name: string;
  readonly count: number;
}

/** One message of the local workspace, as the chat view draws it. */
export interface ConsoleMessage {
  readonly ts: string;
  readonly threadTs: string | undefined;
  readonly user: string;
  /** True when the bot posted it. */
  readonly bot: boolean;
  readonly text: string;
  readonly reactions: readonly ConsoleReaction[];
  /** The Slack `event_id` the message was delivered with (user messages posted through the stand-in). */
  readonly eventId: string | undefined;
  /** Set while the bot is still streaming the message. */
  readonly streaming: boolean;
}

/** A channel and its messages (roots and thread replies, oldest first). */
export interface ConsoleChannel {
  readonly id: string;
  readonly messages: readonly ConsoleMessage[];
}

/** The hand-off settings the stack was last deployed with. */
export interface ConsoleDeployment {
  /** `executionApiPercentage`: share of events handed off through the execution API. */
  readonly executionApiPercentage: number;
  /** `enableDirectInvokeFallback`: the direct path and the fallback are deployed. */
  readonly enableDirectInvokeFallback: boolean;
}

/** `GET /api/state`. */
export interface ConsoleState {
  readonly channels: readonly ConsoleChannel[];
  readonly localUser: string;
  readonly deployment: ConsoleDeployment;
  /** The local model's latency: its time to the first token, in ms. */
  readonly modelLatencyMs: number;
  /** The local model's speed after the first token (0: the whole answer at once). */
  readonly tokensPerSecond: number;
  /** Armed faults by target. */
  readonly faults: Readonly<Record<string, unknown>>;
  readonly faultTargets: readonly string[];
}

/** Which layer a timeline step belongs to (one row of the picture). */
export type TimelineLane = 'slack' | 'verification' | 'route' | 'execute-api' | 'direct' | 'execution' | 'model' | 'slack-api';

/** One step of a message's timeline, in ms from the first step. */
export interface TimelineStep {
  readonly lane: TimelineLane;
  readonly label: string;
  readonly detail: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly outcome: 'ok' | 'error' | 'info';
}

/** `GET /api/trace?event_id=`: how one message crossed the layers. */
export interface ConsoleTimeline {
  readonly eventId: string;
  /** The path the execution layer was reached by. */
  readonly path: 'api' | 'direct' | 'none';
  readonly fallback: boolean;
  readonly steps: readonly TimelineStep[];
}

/** One principal the "who may call what" view offers. */
export interface ConsolePrincipal {
  readonly name: string;
  readonly arn: string;
  readonly description: string;
  /** Its identity-based policies (never its keys). */
  readonly identityPolicies: readonly unknown[];
}

/** `GET /api/iam/decide?principal=&action=&resource=`. */
export interface ConsoleVerdict {
  readonly decision: 'allow' | 'explicit_deny' | 'implicit_deny';
  readonly deciding: ReadonlyArray<{ readonly policy: string; readonly index: number; readonly sid: string | undefined; readonly effect: string; readonly statement: unknown }>;
}

/** Names of the server-sent events on `GET /api/events`. */
export const CONSOLE_EVENTS = {
  /** Something changed (a message, a reply, a trace step, a setting): fetch the state again. */
  changed: 'changed',
} as const;

/** The header control requests carry the page's session token in. */
export const CONSOLE_TOKEN_HEADER = 'x-console-token';
