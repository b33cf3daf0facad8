import { type AppLogger, createLogger } from '@slack-ai-app/logging';

/** One captured log line, parsed. */
export type LogLine = Record<string, unknown> & { event: string; level: string };

/** A real logger (the logging lib) writing into memory. */
export interface CapturedLogs {
  readonly logger: AppLogger;
  /** Every line as written. */
  readonly raw: string[];
  /** Every line, parsed. */
  lines(): LogLine[];
  /** The lines of one event. */
  events(name: string): LogLine[];
  /** The event names, in order. */
  names(): string[];
}

/** Creates a logger at `debug` level whose output is kept in memory. */
export function captureLogs(level = 'debug'): CapturedLogs {
  const raw: string[] = [];
  const logger = createLogger({ level, base: { service: 'verification' }, destination: { write: (line) => void raw.push(line) } });
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);
  return {
    logger,
    raw,
    lines,
    events: (name) => lines().filter((line) => line.event === name),
    names: () => lines().map((line) => line.event),
  };
}
