/**
 * What the gates read, independent of where it comes from. {@link CloudWatchMetricsReader} reads it from CloudWatch; tests
 * hand it in directly. Metric names are fixed in docs/contracts.md ("Metrics").
 */

import { EMF_NAMESPACE, type FallbackRateCounts, fallbackRateOf, HandoffMetric, type HandoffPath } from '@slack-ai-app/logging';
import { ApiGatewayMetric } from '@slack-ai-app/stack-contract';

/** EMF namespace of the verification layer's metrics. */
export const APP_METRIC_NAMESPACE = EMF_NAMESPACE;

/** Names of the verification layer's EMF metrics, from their one definition in libs/logging. */
export { HandoffMetric };
export type { HandoffPath };


/** API Gateway's own metrics, namespace `AWS/ApiGateway`, dimensions `ApiName` and `Stage` (defined in stack-contract). */
export { ApiGatewayMetric };

/** A time window, start inclusive, end exclusive. */
export interface TimeWindow {
  /** Inclusive start. */
  readonly start: Date;
  /** Exclusive end. */
  readonly end: Date;
}

/** A latency distribution summary over a window. */
export interface LatencySummary {
  /** p95 in milliseconds; undefined when there were no samples. */
  readonly p95Ms: number | undefined;
  /** Number of samples. */
  readonly samples: number;
}

/** The hand-off metrics of one path over a window (sums of counts). */
export interface PathMetrics {
  /** Accepted hand-offs. */
  readonly success: number;
  /** Refused hand-offs. */
  readonly error: number;
  /** Hand-offs with no answer. */
  readonly failed: number;
  /** Latency of accepted hand-offs. */
  readonly latency: LatencySummary;
}

/** Everything the gates and `status` need, over one window. Absent data reads as 0 samples, never as an error. */
export interface MetricsSnapshot {
  /** The window actually read (aligned to whole minutes). */
  readonly window: TimeWindow;
  /** The execution API's own metrics. */
  readonly api: {
    /** Requests (API Gateway `Count`, Sum). */
    readonly count: number;
    /** 4XX responses (`4XXError`, Sum), all causes. */
    readonly error4xx: number;
    /** 5XX responses (`5XXError`, Sum). */
    readonly error5xx: number;
    /** `Latency` p95 in milliseconds. */
    readonly latencyP95Ms: number | undefined;
    /** `IntegrationLatency` p95 in milliseconds. */
    readonly integrationLatencyP95Ms: number | undefined;
  };
  /** The verification layer's hand-off metrics per path. */
  readonly handoff: {
    /** The API path. */
    readonly api: PathMetrics & {
      /** API-path hand-offs re-sent by direct invoke. */
      readonly fallback: number;
      /** API-path hand-offs refused with 401/403. */
      readonly authError: number;
    };
    /** The direct path. */
    readonly direct: PathMetrics;
  };
}

/** Reads a {@link MetricsSnapshot}. */
export interface MetricsReader {
  /**
   * Reads the metrics of `window`.
   *
   * @param window - the window; implementations may align it to whole minutes and report the aligned window
   * @returns the snapshot
   * @throws MetricsReadError when the source cannot be read
   */
  read(window: TimeWindow): Promise<MetricsSnapshot>;
}

/**
 * API-path hand-off attempts: accepted + refused + unanswered. The denominator of the fallback rate and the sample
 * count of the auth gate.
 *
 * @param snapshot - the snapshot
 * @returns the number of API-path hand-off attempts
 */
export function apiHandoffAttempts(snapshot: MetricsSnapshot): number {
  return fallbackRateOf(fallbackRateCounts(snapshot)).attempts;
}

/**
 * The API path's counts the fallback rate is computed from (its one definition is `fallbackRateOf` in libs/logging).
 *
 * @param snapshot - the snapshot
 * @returns the counts
 */
export function fallbackRateCounts(snapshot: MetricsSnapshot): FallbackRateCounts {
  const api = snapshot.handoff.api;
  return { fallbacks: api.fallback, successes: api.success, errors: api.error, failures: api.failed };
}

/** Hand-offs counted by the path chosen for them (a fallback's re-send by direct invoke is not counted again). */
export interface HandoffCounts {
  /** Hand-offs routed to the execution API first. */
  readonly api: number;
  /** Hand-offs routed to direct invoke. */
  readonly direct: number;
}

/**
 * The hand-offs of a window by the path the routing chose: API-path attempts ({@link apiHandoffAttempts}), and direct
 * attempts (`HandoffSuccess` + `HandoffFailed`, path `direct`) less the fallbacks, which the verification Lambda re-sends
 * by direct invoke after an API-path attempt (`handoff.ts`). The observed API share is `api / (api + direct)`.
 *
 * @param snapshot - the snapshot
 * @returns the counts per chosen path
 */
export function handoffsByChosenPath(snapshot: MetricsSnapshot): HandoffCounts {
  const { direct, api } = snapshot.handoff;
  // The fallback metric is logged just before the direct attempt, so a window edge may split the pair: never below 0.
  return { api: apiHandoffAttempts(snapshot), direct: Math.max(0, direct.success + direct.failed - api.fallback) };
}

/**
 * Builds a snapshot with every count 0 and no latency samples; handy as a base for tests and for windows with no data.
 *
 * @param window - the window the snapshot covers
 * @returns an empty snapshot
 */
export function emptySnapshot(window: TimeWindow): MetricsSnapshot {
  const noLatency = { p95Ms: undefined, samples: 0 };
  return {
    window,
    api: { count: 0, error4xx: 0, error5xx: 0, latencyP95Ms: undefined, integrationLatencyP95Ms: undefined },
    handoff: {
      api: { success: 0, error: 0, failed: 0, fallback: 0, authError: 0, latency: noLatency },
      direct: { success: 0, error: 0, failed: 0, latency: noLatency },
    },
  };
}
