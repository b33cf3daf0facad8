import type { Estimate } from '../stats/bootstrap';
import type { Summary } from '../stats/quantile';

/**
 * The shape of a results file (`tools/bench/results/runs/<timestamp>.json` and `latest.json`). Every figure keeps its raw
 * samples next to its summary, so that a report can be recomputed, or compared with another run, from the JSON alone.
 * Times are in milliseconds unless a field name says otherwise (`…Us`: microseconds).
 */

/** Version of this shape; bumped on any incompatible change. */
export const RESULTS_SCHEMA_VERSION = 1;

/** One measured quantity: the raw samples and their summary. */
export interface Figure {
  readonly summary: Summary;
  readonly samples: readonly number[];
}

/** The two hand-off paths of the verification layer (defined in `@slack-ai-app/logging`). */
export type { HandoffPath } from '@slack-ai-app/logging';

/** Where and on what the benchmark ran. */
export interface MachineInfo {
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly cpuSpeedMHz: number;
  readonly totalMemoryBytes: number;
  readonly freeMemoryBytesAtStart: number;
  /** 1, 5 and 15-minute load averages when the run started. */
  readonly loadAverageAtStart: readonly [number, number, number];
  /** Load averages when the run ended. */
  readonly loadAverageAtEnd: readonly [number, number, number] | undefined;
  readonly nodeVersion: string;
  readonly v8Version: string;
}

/** The source that was measured. */
export interface SourceInfo {
  /** `git rev-parse HEAD`; `undefined` outside a git checkout. */
  readonly commit: string | undefined;
  /** Whether the working tree had uncommitted changes; `undefined` when unknown. */
  readonly dirty: boolean | undefined;
}

/** When and how the run was made. */
export interface RunInfo {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  /** The options in force (sample counts, budgets, seed). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The cold-start variants, in the order they are run within each round. */
export type ColdStartVariantId = 'empty' | 'verification-api' | 'verification-direct' | 'naive' | 'execution';

/** Sizes of a bundle on disk. */
export interface BundleSize {
  /** The entry file (`main.js`). */
  readonly mainBytes: number;
  /** Chunks loaded on first use (`lazy/*.js`), by file name. */
  readonly lazyBytes: Readonly<Record<string, number>>;
}

/** One cold-start variant: fresh `node` processes loading one bundle and invoking its handler once. */
export interface ColdStartVariant {
  readonly id: ColdStartVariantId;
  readonly label: string;
  /** What the first invocation does in this variant. */
  readonly firstInvocation: string;
  readonly bundle: BundleSize | undefined;
  /** Runs that completed correctly (their samples are below). */
  readonly validRuns: number;
  /** Runs that failed (handler error, wrong status, hand-off not seen by the stand-in), with the first few distinct reasons. */
  readonly failedRuns: number;
  readonly failures: readonly string[];
  /** `require()` of the bundle, measured inside the child with `process.hrtime`. */
  readonly loadMs: Figure | undefined;
  /** The first `handler()` call, until its promise settles. */
  readonly firstInvocationMs: Figure | undefined;
  /** `loadMs + firstInvocationMs`, per run. */
  readonly totalMs: Figure | undefined;
  /** Spawn to exit, seen by the parent: includes Node's own start-up. */
  readonly processWallMs: Figure | undefined;
  /** Medians net of the empty-module baseline, with bootstrap intervals (absent for the baseline itself). */
  readonly net: { readonly loadMs: Estimate; readonly totalMs: Estimate; readonly totalP90Ms: Estimate } | undefined;
}

/** Cold start of the Lambda bundles. */
export interface ColdStartResult {
  readonly roundsPlanned: number;
  readonly roundsRun: number;
  readonly warmupRounds: number;
  readonly truncated: boolean;
  readonly variants: readonly ColdStartVariant[];
  readonly ratios: {
    /** Naive bundle / verification API path, load + first invocation, net medians: the "≥ 3×" goal. */
    readonly naiveOverApiTotal: Estimate | undefined;
    /** Naive bundle / verification API path, module load only, net medians. */
    readonly naiveOverApiLoad: Estimate | undefined;
    /** Verification direct path / API path, load + first invocation, net medians. */
    readonly directOverApiTotal: Estimate | undefined;
  };
}

/** Latencies of the two paths, measured side by side, and their ratios API / direct. */
export interface PathComparison {
  readonly api: Figure | undefined;
  readonly direct: Figure | undefined;
  /** API / direct at each reported quantile. */
  readonly ratios: Readonly<Partial<Record<'p50' | 'p95' | 'p99', Estimate>>>;
}

/** Ack latency through the local stack, warm containers, one request at a time. */
export interface AckResult extends PathComparison {
  readonly warmupPerPath: number;
  readonly plannedPerPath: number;
  readonly truncated: boolean;
}

/** Slack request to recorded reply, through the local stack, with a Bedrock-like model latency. */
export interface EndToEndResult extends PathComparison {
  readonly modelLatencyMs: number;
  readonly concurrency: number;
  readonly plannedPerPath: number;
  /** Each event's ack latency under this load, both paths together. */
  readonly ackMs: Figure | undefined;
  readonly truncated: boolean;
}

/** SigV4 signing cost of the execution request, in process. */
export interface SigningResult {
  readonly batchSize: number;
  readonly batches: number;
  /** `@slack-ai-app/signing` `RequestSigner.sign`, microseconds per signature (one sample per batch). */
  readonly signerUs: Figure;
  /** The floor: two SHA-256 and one HMAC with a cached signing key, in raw `node:crypto`; µs per signature. */
  readonly floorUs: Figure;
  /** Signer / floor, medians. */
  readonly ratio: Estimate;
  /** Whether the floor produced exactly the signer's `Authorization` header (same canonical request). */
  readonly signaturesMatch: boolean;
  /** Bytes of the signed body (the ExecutionRequest JSON). */
  readonly bodyBytes: number;
}

/** One concurrency level of the throughput run. */
export interface ThroughputLevel {
  readonly concurrency: number;
  readonly planned: number;
  readonly sent: number;
  /** Slack requests answered 200. */
  readonly acked: number;
  /** Slack requests answered anything else (or that failed), by status. */
  readonly notAcked: Readonly<Record<string, number>>;
  /** First request sent to last ack. */
  readonly ackWindowMs: number;
  /** First request sent to last reply recorded. */
  readonly replyWindowMs: number;
  readonly acksPerSecond: number;
  readonly repliesPerSecond: number;
  readonly ackMs: Figure | undefined;
  /** Slack request to reply, under this load. */
  readonly endToEndMs: Figure | undefined;
  /** Acked events answered exactly once, by the model's answer. */
  readonly exactlyOneReply: number;
  readonly noReply: number;
  readonly duplicateReplies: number;
  readonly truncated: boolean;
}

/** Slack events per second through the local stack. */
export interface ThroughputResult {
  readonly modelLatencyMs: number;
  readonly levels: readonly ThroughputLevel[];
}

/** One way of answering in the streaming phase. */
export interface StreamingModeResult {
  readonly answers: number;
  /** Slack request to the first visible text in the thread. */
  readonly firstTextMs: Figure | undefined;
  /** Slack request to the complete answer (stream stopped, or message posted). */
  readonly completeMs: Figure | undefined;
  /** Slack message calls per answer (`chat.startStream` + `appendStream` + `stopStream`, or `chat.postMessage`). */
  readonly messageCalls: Figure | undefined;
}

/** Streamed against non-streamed answers on the same questions, in one run (issue 16). */
export interface StreamingResult {
  readonly workload: { readonly ttftMs: number; readonly tokensPerSecond: number; readonly answerTokens: number };
  readonly concurrency: number;
  readonly plannedPerMode: number;
  readonly streamed: StreamingModeResult;
  readonly posted: StreamingModeResult;
  /** The streamed answers' median time to first visible text, with its interval: the "≤ 1.1 s" goal. */
  readonly firstTextP50: Estimate | undefined;
  /** Streamed / posted time to the complete answer: the "≤ 1.05" goal at p50. */
  readonly ratios: { readonly completeP50: Estimate | undefined; readonly completeP95: Estimate | undefined };
  readonly truncated: boolean;
}

/** One concurrency level of the ack-under-concurrency run. */
export interface AckConcurrencyLevel {
  readonly concurrency: number;
  readonly planned: number;
  readonly sent: number;
  /** Slack requests answered 200. */
  readonly acked: number;
  /** Slack requests answered anything else (`failed`: no answer), by status. */
  readonly notAcked: Readonly<Record<string, number>>;
  readonly ackMs: Figure | undefined;
  /** Acked mentions answered exactly once after the stack drained. */
  readonly exactlyOneReply: number;
  readonly truncated: boolean;
  /** The stack's settings: `null` is unreserved. */
  readonly verificationReservedConcurrency: number | null;
  readonly executionReservedConcurrency: number | null;
  /** The local container cap per function. */
  readonly maxContainers: number;
}

/** Slack's ack when a burst of signed mentions arrives, with the deployed concurrency settings. */
export interface AckConcurrencyResult {
  readonly modelLatencyMs: number;
  readonly levels: readonly AckConcurrencyLevel[];
}

/** A correctness check made during the run; a failed one makes the figures it concerns untrustworthy. */
export interface IntegrityCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Which way a goal bounds its figure. */
export type GoalDirection = 'at_most' | 'at_least';

/**
 * A goal's outcome:
 * - `met`: the estimate and the whole interval satisfy the goal;
 * - `met_noisy`: the estimate satisfies it but the interval crosses the bound (more samples or a quieter machine needed);
 * - `missed`: the estimate does not satisfy it;
 * - `too_few_samples`: a side has fewer samples than the quantile needs to be more than its largest values;
 * - `not_measured`: the figure is missing (its phase failed or was skipped).
 */
export type Verdict = 'met' | 'met_noisy' | 'missed' | 'too_few_samples' | 'not_measured';

/** A goal of the migration, evaluated on this run. */
export interface GoalResult {
  readonly id: string;
  readonly label: string;
  readonly direction: GoalDirection;
  readonly target: number;
  /** How the figure is printed: a ratio (`×`) or milliseconds. */
  readonly unit: 'ratio' | 'ms';
  readonly estimate: number | undefined;
  readonly low: number | undefined;
  readonly high: number | undefined;
  /** The smallest group's sample count behind the figure, when it is a comparison of samples. */
  readonly samples: number | undefined;
  /** Fewest samples per group for a verdict, when the goal has such a floor. */
  readonly minSamples: number | undefined;
  readonly verdict: Verdict;
}

/** A phase that did not complete. */
export interface PhaseError {
  readonly phase: string;
  readonly message: string;
}

/** Everything a run produced. */
export interface BenchResults {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly run: RunInfo;
  readonly machine: MachineInfo;
  readonly source: SourceInfo;
  readonly goals: readonly GoalResult[];
  readonly coldStart: ColdStartResult | undefined;
  readonly ack: AckResult | undefined;
  readonly endToEnd: EndToEndResult | undefined;
  readonly signing: SigningResult | undefined;
  readonly throughput: ThroughputResult | undefined;
  /** Absent in results written before the streaming phase existed. */
  readonly streaming?: StreamingResult | undefined;
  /** Absent from results written before this phase existed. */
  readonly ackConcurrency?: AckConcurrencyResult | undefined;
  readonly integrity: readonly IntegrityCheck[];
  readonly errors: readonly PhaseError[];
  /** Free-text observations (time budget reached, warnings). */
  readonly notes: readonly string[];
}
