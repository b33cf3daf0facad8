import { createLogger, type AppLogger } from '@slack-ai-app/logging';

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { event?: string; level?: string };

/** A real logger writing into memory, and what it wrote. */
export interface CapturedLogs {
  readonly logger: AppLogger;
  readonly lines: LogLine[];
  /** The raw text written, for redaction checks. */
  raw(): string;
  /** Lines of one event. */
  events(name: string): LogLine[];
}

/** Capture logs through the logger's injected destination (level `info` unless told). */
export function captureLogs(level = 'info'): CapturedLogs {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const logger = createLogger({
    level,
    base: { service: 'execution' },
    destination: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  });
  return {
    logger,
    lines,
    raw: () => raw.join(''),
    events: (name) => lines.filter((l) => l.event === name),
  };
}
