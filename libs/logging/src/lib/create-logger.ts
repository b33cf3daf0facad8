import { LOG_LEVEL_ENV } from '@slack-ai-app/stack-contract/lambda';
import { pino } from 'pino';
import { buildEmfMetadata, type MetricValue, validateMetric } from './emf';
import { LoggerConfigError, MetricValidationError } from './errors';
import type { LogEventName } from './log-event';
import { REDACTED, isSecretKey } from './redact-secrets';
import { type CleanRecord, cleanString, emptyRecord, redactRecord } from './redact-value';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /**
   * Minimum level written: `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent` (any case).
   * @default process.env.LOG_LEVEL, or 'info' when unset or blank
   */
  level?: string;
  /**
   * Where each line (one JSON object followed by `\n`) is written, synchronously. Inject one in tests.
   * @default process.stdout (synchronous for files and pipes on Linux, which is how Lambda captures stdout)
   */
  destination?: { write(line: string): void };
  /** Fields on every line, e.g. `{ service: 'verification' }`. Redacted like event data. */
  base?: Record<string, unknown>;
}

/** The part of the Lambda `Context` the logger reads. */
export interface LambdaContextLike {
  awsRequestId: string;
  functionName: string;
}

/** Levels accepted by {@link AppLogger.event}. */
export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * A structured logger: one JSON object per line with `level` (label), `time` (ISO 8601), the bindings, the event data
 * and `event` (the event name).
 *
 * Data and bindings are redacted before they reach the output: values under secret-like keys (any depth, any case:
 * `bot_token`, `token`, `Authorization`, `X-Amz-Security-Token`, `x-slack-signature`, `signing_secret`,
 * `secretAccessKey`, `sessionToken`, ...) become `[REDACTED]`, and Slack tokens and other secrets inside any string
 * (including error messages and stacks) are masked (see {@link redactSecrets}).
 *
 * Keys that would clash with the line's own fields (`level`, `time`, `event`, `msg`, `_aws`) or with a bound field of a
 * different value are written with a `data_` prefix, so every line has unique keys.
 */
export interface AppLogger {
  /**
   * Logs a named event. `data` is redacted. Unless `level` is `'debug'`, every `text` string field (at any depth) is
   * replaced by `text_length`: message content is logged as its length only.
   *
   * @param name - a {@link LogEvent} value.
   * @param data - fields for this line.
   * @param level - defaults to `'info'`; lines below the logger's level are skipped before any work is done.
   */
  event(name: LogEventName, data?: Record<string, unknown>, level?: EventLevel): void;
  /**
   * Logs a named event at `info` with CloudWatch Embedded Metric Format metadata (`_aws`, namespace `SlackAiApp`, one
   * dimension set made of the keys of `dimensions`), the metric values and the dimension values as top-level keys.
   * Metric lines are written at any logger level except `silent`, so raising `LOG_LEVEL` never loses metrics.
   *
   * @param name - a {@link LogEvent} value.
   * @param metrics - 1 to 100 metrics with finite values and unique names.
   * @param dimensions - up to 30 dimensions (printable ASCII names and values); `{}` for none.
   * @param data - extra fields, redacted and `text`-summarised as in {@link AppLogger.event}.
   * @throws {@link MetricValidationError} when the metrics or dimensions cannot form a valid EMF document or collide
   *   with a field of the line.
   */
  metric(
    name: LogEventName,
    metrics: Array<{ name: string; value: number; unit: 'Milliseconds' | 'Count' }>,
    dimensions: Record<string, string>,
    data?: Record<string, unknown>,
  ): void;
  /**
   * A logger that adds `bindings` (redacted, `text` summarised) to every line. A key bound again replaces the earlier
   * value instead of repeating it.
   */
  child(bindings: Record<string, unknown>): AppLogger;
  /**
   * A child bound to `aws_request_id` and `function_name` (when `context` is given) and `correlation_id` (when given
   * and not empty). Call it once per invocation on the module-scope logger.
   */
  forInvocation(context: LambdaContextLike | undefined, correlationId?: string): AppLogger;
}

const LEVEL_VALUES: Readonly<Record<string, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
});
const INFO = 30;
const EVENT_LEVELS: Readonly<Record<EventLevel, number>> = Object.freeze({ debug: 20, info: 30, warn: 40, error: 50 });
const SILENT = Number.POSITIVE_INFINITY;

/**
 * Keys the line itself uses, plus the binding names pino silently drops; data or bindings using them get a `data_`
 * prefix instead of producing duplicate or missing keys.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'level',
  'time',
  'event',
  'msg',
  '_aws',
  'serializers',
  'formatters',
  'customLevels',
]);
const RENAME_PREFIX = 'data_';

interface LoggerCore {
  /** The pino logger without bindings; every AppLogger is one child of it, so bindings never repeat. */
  readonly root: pino.Logger;
  /** Numeric minimum level. */
  readonly threshold: number;
  /** Time to print on the next line instead of now, so a metric line's `time` equals its `_aws.Timestamp`. */
  readonly clock: { pinned: number | undefined };
}

/**
 * Creates the root logger for a Lambda (or any Node process): pino writing synchronously, no transports, no worker
 * threads. Create it once at module scope and call {@link AppLogger.forInvocation} in the handler.
 *
 * @param options - see {@link LoggerOptions}.
 * @returns the root {@link AppLogger}.
 * @throws {@link LoggerConfigError} when the level (option or `LOG_LEVEL`) is not a known level name.
 * @example
 * ```ts
 * const logger = createLogger({ base: { service: 'verification' } });
 * export const handler = async (event: unknown, context: Context) => {
 *   const log = logger.forInvocation(context, correlationId);
 *   log.event(LogEvent.SlackRequestReceived, { team_id });
 * };
 * ```
 */
export function createLogger(options: LoggerOptions = {}): AppLogger {
  const threshold = resolveLevel(options.level);
  const clock: LoggerCore['clock'] = { pinned: undefined };
  const root = pino(
    {
      // Filtering happens in AppLogger before any redaction work; pino writes whatever reaches it.
      level: 'trace',
      base: null,
      // The event name is the line's message, so pino never derives a `msg` from an `err` field.
      messageKey: 'event',
      timestamp: () => `,"time":"${new Date(clock.pinned ?? Date.now()).toISOString()}"`,
      formatters: { level: (label: string) => ({ level: label }) },
      // Errors are already serialised (and scrubbed) by the redaction walk; pino must not re-serialise them.
      serializers: { err: (value: unknown) => value },
    },
    options.destination ?? process.stdout,
  );
  const core: LoggerCore = { root, threshold, clock };
  const base = options.base === undefined ? emptyRecord() : bindingsFrom(emptyRecord(), options.base);
  return new PinoAppLogger(core, base);
}

function resolveLevel(option: string | undefined): number {
  const fromOption = option !== undefined;
  const raw = fromOption ? option : process.env[LOG_LEVEL_ENV];
  if (raw === undefined || raw.trim() === '') return INFO;
  const value = LEVEL_VALUES[raw.trim().toLowerCase()];
  if (value === undefined) {
    const source = fromOption ? 'The level option' : 'LOG_LEVEL';
    throw new LoggerConfigError(
      `${source} must be one of ${Object.keys(LEVEL_VALUES).join(', ')} (any case); got ${JSON.stringify(cleanString(raw.slice(0, 40)))}`,
    );
  }
  return value;
}

/** Merges cleaned `added` bindings over `current`, renaming reserved keys. */
function bindingsFrom(current: CleanRecord, added: Record<string, unknown>): CleanRecord {
  const merged = Object.assign(emptyRecord(), current);
  const cleaned = redactRecord(added, { summarizeText: true });
  for (const key of Object.keys(cleaned)) {
    let target = key;
    while (RESERVED_KEYS.has(target)) target = RENAME_PREFIX + target;
    merged[target] = cleaned[key];
  }
  return merged;
}

class PinoAppLogger implements AppLogger {
  private readonly pinoLogger: pino.Logger;

  constructor(
    private readonly core: LoggerCore,
    private readonly bindings: CleanRecord,
  ) {
    // pino's binding serialiser calls bindings.hasOwnProperty, so hand it an ordinary object.
    this.pinoLogger = core.root.child({ ...bindings });
  }

  event(name: LogEventName, data?: Record<string, unknown>, level: EventLevel = 'info'): void {
    const method: EventLevel = Object.prototype.hasOwnProperty.call(EVENT_LEVELS, level) ? level : 'info';
    if (EVENT_LEVELS[method] < this.core.threshold) return;
    const fields = redactRecord(data, { summarizeText: method !== 'debug' });
    const line = emptyRecord();
    for (const key of Object.keys(fields)) this.place(line, key, fields[key]);
    this.write(method, name, line);
  }

  metric(
    name: LogEventName,
    metrics: MetricValue[],
    dimensions: Record<string, string>,
    data?: Record<string, unknown>,
  ): void {
    if (this.core.threshold === SILENT) return;
    const issues = validateMetric(metrics, dimensions, (key) => RESERVED_KEYS.has(key) || key in this.bindings);
    const dimensionNames = dimensions !== null && typeof dimensions === 'object' ? Object.keys(dimensions) : [];
    const dimensionValues = emptyRecord();
    for (const key of dimensionNames) {
      const value = isSecretKey(key) ? REDACTED : cleanString(String(dimensions[key]));
      if (RESERVED_KEYS.has(key)) issues.push(`dimension "${key}" collides with a field of the line`);
      else if (key in this.bindings && this.bindings[key] !== value) {
        issues.push(`dimension "${key}" collides with a bound field of a different value`);
      }
      dimensionValues[key] = value;
    }
    if (issues.length > 0) throw new MetricValidationError(name, issues);

    const timestamp = Date.now();
    const line = emptyRecord();
    for (const key of dimensionNames) {
      // A dimension already bound with the same value is on the line through the bindings.
      if (!(key in this.bindings)) line[key] = dimensionValues[key];
    }
    for (const metric of metrics) line[metric.name] = metric.value;
    line['_aws'] = buildEmfMetadata(timestamp, metrics, dimensionNames);
    const fields = redactRecord(data, { summarizeText: true });
    for (const key of Object.keys(fields)) this.place(line, key, fields[key]);

    this.core.clock.pinned = timestamp;
    try {
      this.write('info', name, line);
    } finally {
      this.core.clock.pinned = undefined;
    }
  }

  child(bindings: Record<string, unknown>): AppLogger {
    return new PinoAppLogger(this.core, bindingsFrom(this.bindings, bindings));
  }

  forInvocation(context: LambdaContextLike | undefined, correlationId?: string): AppLogger {
    const bindings: Record<string, unknown> = {};
    if (context !== undefined && context !== null) {
      if (typeof context.awsRequestId === 'string') bindings['aws_request_id'] = context.awsRequestId;
      if (typeof context.functionName === 'string') bindings['function_name'] = context.functionName;
    }
    if (typeof correlationId === 'string' && correlationId !== '') bindings['correlation_id'] = correlationId;
    return this.child(bindings);
  }

  /** Adds a data field to the line under a key that is free (see the rename rule on {@link AppLogger}). */
  private place(line: CleanRecord, key: string, value: unknown): void {
    let target = key;
    for (;;) {
      if (RESERVED_KEYS.has(target) || target in line) {
        target = RENAME_PREFIX + target;
      } else if (target in this.bindings) {
        if (this.bindings[target] === value) return;
        target = RENAME_PREFIX + target;
      } else {
        break;
      }
    }
    line[target] = value;
  }

  private write(level: EventLevel, name: string, line: CleanRecord): void {
    // pino rewrites a merge object that has method, headers and socket as an HTTP request; keep data as given.
    if (line['method'] && line['headers'] && line['socket']) {
      this.place(line, 'socket', line['socket']);
      delete line['socket'];
    }
    this.pinoLogger[level](line, name);
  }
}
