import { type AppLogger, type LoggerOptions, createLogger } from '../../src';

/** A parsed log line. */
export type LogLine = Record<string, unknown>;

/** A logger writing into memory, and what it wrote. */
export interface Capture {
  readonly logger: AppLogger;
  /** Every string handed to the destination, as written. */
  readonly writes: string[];
  /** All output as one string (to search for leaked secrets). */
  text(): string;
  /** Each write parsed, after checking it is exactly one JSON object with unique keys ending in one newline. */
  lines(): LogLine[];
  /** The only line written; fails when there is not exactly one. */
  only(): LogLine;
}

/** Creates a logger with an injected destination. */
export function capture(options: Omit<LoggerOptions, 'destination'> = {}): Capture {
  const writes: string[] = [];
  const logger = createLogger({ ...options, destination: { write: (line: string) => void writes.push(line) } });
  const lines = (): LogLine[] => writes.map(parseLine);
  return {
    logger,
    writes,
    text: () => writes.join(''),
    lines,
    only: () => {
      const all = lines();
      if (all.length !== 1) throw new Error(`expected exactly one line, got ${all.length}`);
      return all[0];
    },
  };
}

/**
 * Parses one written line: exactly one `\n`, at the end; a JSON object; no key repeated at the top level (JSON.parse
 * would silently keep the last one, so the keys are read from the text).
 */
export function parseLine(written: string): LogLine {
  if (!written.endsWith('\n') || written.indexOf('\n') !== written.length - 1) {
    throw new Error(`not a single line: ${JSON.stringify(written.slice(0, 200))}`);
  }
  const parsed: unknown = JSON.parse(written);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`not a JSON object: ${written.slice(0, 200)}`);
  }
  const keys = topLevelKeys(written);
  if (new Set(keys).size !== keys.length) throw new Error(`repeated top-level key in: ${written.slice(0, 300)}`);
  return parsed as LogLine;
}

/** The top-level member names of a JSON object text, in order, repeats included. */
export function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (char === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(json.slice(i, end + 1)) as string);
      expectKey = false;
      i = end;
    } else if (char === '{' || char === '[') {
      depth++;
      expectKey = char === '{' && depth === 1;
    } else if (char === '}' || char === ']') {
      depth--;
    } else if (char === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

/** How many times `needle` occurs in `haystack`. */
export function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
