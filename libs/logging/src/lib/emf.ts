/** The CloudWatch namespace of every metric this app emits. */
export const EMF_NAMESPACE = 'SlackAiApp';

/** Units accepted by {@link AppLogger.metric}. */
export type MetricUnit = 'Milliseconds' | 'Count';

/** One metric value for {@link AppLogger.metric}. */
export interface MetricValue {
  /** The metric name; also the top-level key holding the value. 1 to 255 characters. */
  name: string;
  /** A finite number. */
  value: number;
  unit: MetricUnit;
}

/** The `_aws` metadata object of an Embedded Metric Format document. */
export interface EmfMetadata {
  /** Milliseconds since the epoch. */
  Timestamp: number;
  CloudWatchMetrics: [
    {
      Namespace: string;
      Dimensions: [string[]];
      Metrics: Array<{ Name: string; Unit: MetricUnit }>;
    },
  ];
}

// Limits from the EMF specification and the CloudWatch PutMetricData API.
const MAX_METRICS = 100;
const MAX_DIMENSIONS = 30;
const MAX_METRIC_NAME_LENGTH = 255;
const MAX_DIMENSION_NAME_LENGTH = 250;
const MAX_DIMENSION_VALUE_LENGTH = 1024;
const UNITS: ReadonlySet<string> = new Set<MetricUnit>(['Milliseconds', 'Count']);
/** Printable ASCII with at least one non-space character: what CloudWatch accepts in dimension names and values. */
const DIMENSION_TEXT = /^(?=.*[^ ])[\x20-\x7e]+$/;

/**
 * Checks metrics and dimensions against the EMF specification and the fields already taken on the line.
 *
 * @param metrics - the metric values.
 * @param dimensions - dimension name to value.
 * @param isTaken - whether a top-level key is already used by the line (reserved fields, bindings).
 * @returns every problem found; empty when valid. Messages name keys, never values.
 */
export function validateMetric(
  metrics: readonly MetricValue[],
  dimensions: Readonly<Record<string, string>>,
  isTaken: (key: string) => boolean,
): string[] {
  const issues: string[] = [];
  if (!Array.isArray(metrics) || metrics.length === 0) {
    issues.push('at least one metric is required');
  } else if (metrics.length > MAX_METRICS) {
    issues.push(`at most ${MAX_METRICS} metrics are allowed, got ${metrics.length}`);
  }
  const names = new Set<string>();
  for (const metric of Array.isArray(metrics) ? metrics : []) {
    const name: unknown = metric?.name;
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_METRIC_NAME_LENGTH) {
      issues.push(`metric name must be a string of 1 to ${MAX_METRIC_NAME_LENGTH} characters`);
      continue;
    }
    if (names.has(name)) issues.push(`metric "${name}" is given twice`);
    names.add(name);
    if (typeof metric.value !== 'number' || !Number.isFinite(metric.value)) {
      issues.push(`metric "${name}" value must be a finite number`);
    }
    if (!UNITS.has(metric.unit)) issues.push(`metric "${name}" unit must be one of ${[...UNITS].join(', ')}`);
    if (isTaken(name)) issues.push(`metric "${name}" collides with a field already on the line`);
  }
  const dimensionNames = dimensions === null || typeof dimensions !== 'object' ? [] : Object.keys(dimensions);
  if (dimensions === null || typeof dimensions !== 'object') issues.push('dimensions must be an object');
  if (dimensionNames.length > MAX_DIMENSIONS) {
    issues.push(`at most ${MAX_DIMENSIONS} dimensions are allowed, got ${dimensionNames.length}`);
  }
  for (const key of dimensionNames) {
    if (key.length > MAX_DIMENSION_NAME_LENGTH || !DIMENSION_TEXT.test(key) || key.startsWith(':')) {
      issues.push(
        `dimension name "${key.slice(0, 40)}" must be 1 to ${MAX_DIMENSION_NAME_LENGTH} printable ASCII characters, not starting with ":"`,
      );
    }
    if (names.has(key)) issues.push(`dimension "${key}" has the same name as a metric`);
    const value: unknown = dimensions[key];
    if (typeof value !== 'string' || value.length > MAX_DIMENSION_VALUE_LENGTH || !DIMENSION_TEXT.test(value)) {
      issues.push(
        `dimension "${key}" value must be 1 to ${MAX_DIMENSION_VALUE_LENGTH} printable ASCII characters, not only spaces`,
      );
    }
  }
  return issues;
}

/**
 * Builds the `_aws` metadata for one directive in namespace {@link EMF_NAMESPACE}.
 *
 * @param timestamp - milliseconds since the epoch.
 * @param metrics - validated metric values.
 * @param dimensionNames - the dimension keys (may be empty: a metric without dimensions).
 */
export function buildEmfMetadata(
  timestamp: number,
  metrics: readonly MetricValue[],
  dimensionNames: readonly string[],
): EmfMetadata {
  return {
    Timestamp: timestamp,
    CloudWatchMetrics: [
      {
        Namespace: EMF_NAMESPACE,
        Dimensions: [[...dimensionNames]],
        Metrics: metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
      },
    ],
  };
}
