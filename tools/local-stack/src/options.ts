import type { AlarmEvaluationOptions } from './aws/alarm-evaluation';
import type { BedrockUpstream } from './aws/bedrock';

/** How the local model streams its ConverseStream answers. */
export interface ModelStreamOptions {
  /** Milliseconds to the first token. @default the model latency (`modelLatencyMs`) */
  readonly ttftMs?: number;
  /** Tokens per second after the first; 0 sends them all at once. @default 0 */
  readonly tokensPerSecond?: number;
  /** Answer length in tokens (filler added or the text cut). @default the local answer as it is */
  readonly answerTokens?: number;
}
import type { PrincipalName } from './iam/principals';
import type { LogEntry } from './logs';
import type { BotReply } from './slack/workspace';

/** Per-function overrides. */
export interface FunctionOverrides {
  /** Merged over the stack's environment for the function; a key set to `undefined` removes that variable. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** The execution role the function runs as. */
  readonly principal?: PrincipalName;
  /** @default 512 (as apps/infra) */
  readonly memoryMb?: number;
  /** @default 10 for verification, 120 for execution (as apps/infra) */
  readonly timeoutSeconds?: number;
  /**
   * Reserved concurrency, as in Lambda: synchronous calls beyond it get 429, asynchronous events wait.
   * @default unreserved for verification (as apps/infra), DEFAULT_EXECUTION_RESERVED_CONCURRENCY for execution
   */
  readonly reservedConcurrency?: number;
  /** Local container cap (a resource limit of this machine): invocations beyond it wait for a container. @default 8 */
  readonly maxContainers?: number;
  /** The bundle to run. @default `<workspace>/dist/apps/<app>/main.js` */
  readonly bundlePath?: string;
}

/** Options of `startLocalStack`. Everything is optional; the defaults are those of `npm start`. */
export interface LocalStackOptions {
  /**
   * Ports on 127.0.0.1; 0 picks a free port (tests).
   *
   * @default { slack: 3000, slackApi: 3001, aws: 4566 }
   */
  readonly ports?: { readonly slack?: number; readonly slackApi?: number; readonly aws?: number };
  /**
   * `USE_API_GATEWAY_PERCENTAGE` of the verification function (0–100), a local override of the template's value;
   * `'template'` keeps what the assembly was synthesized with (`-c executionApiPercentage=…`). @default 100
   */
  readonly useApiGatewayPercentage?: number | 'template';
  /** Give the verification function `BEDROCK_PROCESSOR_ARN`, enabling the direct path and the fallback. @default true */
  readonly directInvokeFallback?: boolean;
  readonly functions?: { readonly verification?: FunctionOverrides; readonly execution?: FunctionOverrides };
  /**
   * Evaluate the template's alarms over the local metrics on a timer (state changes run their actions). Off by default:
   * alarm state then changes only through `SetAlarmState`.
   */
  readonly alarmEvaluation?: AlarmEvaluationOptions;
  /** Latency of the local model, in ms. @default 300 */
  readonly modelLatencyMs?: number;
  /** How the local model streams (ConverseStream). */
  readonly modelStream?: ModelStreamOptions;
  /** Use real Bedrock instead of the local model. */
  readonly bedrockUpstream?: BedrockUpstream;
  /** Slack settings; the defaults are the local, obviously fake values. */
  readonly slack?: {
    /** The app's signing secret (also stored in the local Secrets Manager). */
    readonly signingSecret?: string;
    /** The bot token (also stored in the local Secrets Manager). */
    readonly botToken?: string;
    /** The Web API the execution function calls; default: the stand-in. Set `https://slack.com/api/` for real Slack. */
    readonly apiUrl?: string;
  };
  /** Waits before the async retries (length = number of retries, at most 2). @default [200, 400] */
  readonly asyncRetryDelaysMs?: readonly number[];
  /** Cache TTL of the secrets extensions. @default 300000 */
  readonly secretsCacheTtlMs?: number;
  /** Start one warm container per function before returning. @default false */
  readonly prewarm?: boolean;
  /**
   * The cloud assembly to deploy (absolute, or relative to the workspace root). @default `LOCAL_STACK_ASSEMBLY`, else
   * `apps/infra/cdk.out` (what `nx run infra:synth` writes)
   */
  readonly assembly?: string;
  /** The repository root (where `apps/infra/cdk.out` is). @default found by walking up to `nx.json` */
  readonly workspaceRoot?: string;
  /** The stack's clock. @default `() => new Date()` */
  readonly now?: () => Date;
  /** Called for every captured Lambda log line. */
  readonly onLog?: (entry: LogEntry) => void;
  /** Called for every bot reply the Slack stand-in records. */
  readonly onBotReply?: (reply: BotReply) => void;
  /** Called when an emulator fails internally (the client gets a 500). @default prints to stderr */
  readonly onInternalError?: (error: unknown, where: string) => void;
}
