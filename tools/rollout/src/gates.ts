import { fallbackRateOf } from '@slack-ai-app/logging';
import { apiHandoffAttempts, fallbackRateCounts, type MetricsSnapshot } from './metrics';
import { formatRate, type GateThresholds } from './plan';

/** The gates, in the order they are shown. */
export type GateId = 'auth_errors' | 'api_5xx_rate' | 'fallback_rate' | 'p95_ratio';

/** `insufficient_data`: the gate's denominator has fewer than `minSamples` samples, so it can neither pass nor fail. */
export type GateStatus = 'pass' | 'fail' | 'insufficient_data';

/** One gate's verdict with the numbers behind it. */
export interface GateResult {
  /** Which gate. */
  readonly id: GateId;
  /** The verdict. */
  readonly status: GateStatus;
  /** The measured value (a count, a rate as a fraction, or a latency ratio); undefined when it cannot be computed. */
  readonly value: number | undefined;
  /** The threshold the value is compared with (`value ≤ threshold` passes). */
  readonly threshold: number;
  /** Numerator: auth errors, 5XX responses, fallbacks, or the API-path p95 in ms. */
  readonly numerator: number | undefined;
  /** Denominator: API-path hand-offs, API requests, API-path hand-offs, or the reference direct-path p95 in ms. */
  readonly denominator: number | undefined;
  /** Samples behind the verdict (for the p95 gate: the smaller of the two paths' sample counts). */
  readonly samples: number;
  /** Samples needed. */
  readonly minSamples: number;
  /** For the p95 gate: whether the direct-path reference was measured in this window or is the pre-run baseline. */
  readonly reference?: 'live' | 'baseline';
  /** One line with the numbers, e.g. `5XX rate 0.2% (2 of 1000 requests) > 0.1%`. */
  readonly detail: string;
}

/** The direct-path p95 measured before a run started; the p95 gate's reference once the direct path has too little traffic. */
export interface LatencyBaseline {
  /** Direct-path p95 in ms; undefined when there were no samples. */
  readonly directP95Ms: number | undefined;
  /** Direct-path samples in the baseline window. */
  readonly samples: number;
  /** The baseline window, ISO timestamps. */
  readonly window: { readonly start: string; readonly end: string };
}

/** Human names of the gates, used in progress lines and reports. */
export const GATE_LABELS: Readonly<Record<GateId, string>> = {
  auth_errors: 'auth 4XX',
  api_5xx_rate: '5XX rate',
  fallback_rate: 'fallback rate',
  p95_ratio: 'p95 api/direct',
};

/**
 * `value ≤ threshold`, with a relative tolerance of 1e-9 so that values equal to the threshold on paper (1 of 1000 vs
 * 0.1 %, 210 ms vs 1.05 × 200 ms) pass despite binary rounding.
 */
function atMost(value: number, threshold: number): boolean {
  return value <= threshold + Math.abs(threshold) * 1e-9;
}

function ms(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.round(value * 10) / 10} ms`;
}

function authGate(snapshot: MetricsSnapshot, gates: GateThresholds): GateResult {
  const errors = snapshot.handoff.api.authError;
  const attempts = apiHandoffAttempts(snapshot);
  const base = {
    id: 'auth_errors' as const,
    value: errors,
    threshold: gates.maxAuthErrors,
    numerator: errors,
    denominator: attempts,
    samples: attempts,
    minSamples: gates.minSamples,
  };
  const counts = `${errors} of ${attempts} API hand-offs`;
  // A count, not a rate: an auth failure beyond the allowance is a breach however few samples there are.
  if (!atMost(errors, gates.maxAuthErrors)) {
    return { ...base, status: 'fail', detail: `auth 4XX ${counts} > ${gates.maxAuthErrors} allowed` };
  }
  if (attempts < gates.minSamples) {
    return { ...base, status: 'insufficient_data', detail: `auth 4XX ${counts}; need ${gates.minSamples} API hand-offs` };
  }
  return { ...base, status: 'pass', detail: `auth 4XX ${counts} ≤ ${gates.maxAuthErrors} allowed` };
}

function rateGate(
  id: 'api_5xx_rate' | 'fallback_rate',
  numerator: number,
  denominator: number,
  threshold: number,
  unit: string,
  minSamples: number,
): GateResult {
  const value = denominator > 0 ? numerator / denominator : undefined;
  const base = { id, value, threshold, numerator, denominator, samples: denominator, minSamples };
  const label = GATE_LABELS[id];
  const counts = `(${numerator} of ${denominator} ${unit})`;
  if (value === undefined || denominator < minSamples) {
    const shown = value === undefined ? 'n/a' : formatRate(value);
    return { ...base, status: 'insufficient_data', detail: `${label} ${shown} ${counts}; need ${minSamples} ${unit}` };
  }
  const pass = atMost(value, threshold);
  return {
    ...base,
    status: pass ? 'pass' : 'fail',
    detail: `${label} ${formatRate(value)} ${counts} ${pass ? '≤' : '>'} ${formatRate(threshold)}`,
  };
}

function p95Gate(snapshot: MetricsSnapshot, gates: GateThresholds, baseline: LatencyBaseline | undefined): GateResult {
  const api = snapshot.handoff.api.latency;
  const live = snapshot.handoff.direct.latency;
  const useLive = live.samples >= gates.minSamples && live.p95Ms !== undefined;
  const reference = useLive
    ? { p95Ms: live.p95Ms, samples: live.samples, kind: 'live' as const }
    : { p95Ms: baseline?.directP95Ms, samples: baseline?.samples ?? 0, kind: 'baseline' as const };
  const samples = Math.min(api.samples, reference.samples);
  const value =
    api.p95Ms !== undefined && reference.p95Ms !== undefined && reference.p95Ms > 0 ? api.p95Ms / reference.p95Ms : undefined;
  const base = {
    id: 'p95_ratio' as const,
    value,
    threshold: gates.maxP95Ratio,
    numerator: api.p95Ms,
    denominator: reference.p95Ms,
    samples,
    minSamples: gates.minSamples,
    reference: reference.kind,
  };
  const numbers =
    `api ${ms(api.p95Ms)} (n=${api.samples}) vs direct ${ms(reference.p95Ms)} ` +
    `(${reference.kind}, n=${reference.samples})`;
  if (value === undefined || api.samples < gates.minSamples || reference.samples < gates.minSamples) {
    return { ...base, status: 'insufficient_data', detail: `p95 ${numbers}; need ${gates.minSamples} samples on each path` };
  }
  const pass = atMost(value, gates.maxP95Ratio);
  return {
    ...base,
    status: pass ? 'pass' : 'fail',
    detail: `p95 ${numbers} = ${value.toFixed(3)}× ${pass ? '≤' : '>'} ${gates.maxP95Ratio}×`,
  };
}

/**
 * Evaluates every gate on one snapshot.
 *
 * - `auth_errors`: API-path hand-offs refused with 401/403 ≤ `maxAuthErrors`. Fails on the first error beyond the
 *   allowance whatever the sample size; passes only with `minSamples` API-path hand-offs.
 * - `api_5xx_rate`: `5XXError / Count` of the execution API ≤ `max5xxRate`, judged from `minSamples` requests.
 * - `fallback_rate`: the fallback rate (`fallbackRateOf`, libs/logging: `HandoffFallback / API-path hand-offs`, the
 *   alarm's quantity) ≤ `maxFallbackRate`, judged from `minSamples` hand-offs.
 * - `p95_ratio`: API-path p95 ≤ `maxP95Ratio` × direct-path p95. The reference is the direct path in the same window
 *   when it has `minSamples` samples, else the pre-run `baseline`; both paths need `minSamples`.
 *
 * @param snapshot - the metrics of the window
 * @param gates - the thresholds
 * @param baseline - the direct-path baseline recorded when the run started, if any
 * @returns one result per gate, in {@link GateId} order
 */
export function evaluateGates(
  snapshot: MetricsSnapshot,
  gates: GateThresholds,
  baseline: LatencyBaseline | undefined,
): GateResult[] {
  const fallback = fallbackRateCounts(snapshot);
  return [
    authGate(snapshot, gates),
    rateGate('api_5xx_rate', snapshot.api.error5xx, snapshot.api.count, gates.max5xxRate, 'requests', gates.minSamples),
    rateGate(
      'fallback_rate',
      fallback.fallbacks,
      fallbackRateOf(fallback).attempts,
      gates.maxFallbackRate,
      'API hand-offs',
      gates.minSamples,
    ),
    p95Gate(snapshot, gates, baseline),
  ];
}

/**
 * Folds gate results into one verdict: `fail` if any gate failed, else `insufficient_data` if any lacks samples, else
 * `pass`.
 *
 * @param results - the gate results
 * @returns the overall verdict
 */
export function overallVerdict(results: readonly GateResult[]): GateStatus {
  if (results.some((result) => result.status === 'fail')) return 'fail';
  if (results.some((result) => result.status === 'insufficient_data')) return 'insufficient_data';
  return 'pass';
}
