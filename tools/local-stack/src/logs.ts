/** Where a log line came from. */
export type LogStream = 'stdout' | 'stderr' | 'platform';

/** One captured log line. */
export interface LogEntry {
  /** Increasing capture order. */
  readonly seq: number;
  readonly time: Date;
  /** `stdout`/`stderr` of a function, or `platform` for the runtime's own START/END/REPORT lines. */
  readonly stream: LogStream;
  readonly functionName: string;
  /** The runtime container (worker) that wrote it. */
  readonly containerId: string;
  /** The invocation it belongs to; `undefined` for lines written during init or between invocations. */
  readonly requestId: string | undefined;
  /** The line, without its newline. */
  readonly line: string;
  /** The line parsed as JSON, when it is a JSON object (the apps log one pino object per line). */
  readonly json: Readonly<Record<string, unknown>> | undefined;
}

/** A filter over {@link LogStore.entries}. */
export interface LogFilter {
  readonly functionName?: string;
  readonly requestId?: string;
  /** Only JSON lines whose `event` field equals this. */
  readonly event?: string;
  readonly stream?: LogStream;
}

/** Keeps at most this many lines; older ones are dropped and counted. */
const MAX_ENTRIES = 200_000;

/** Every line the Lambda runtimes wrote, in capture order, with subscribers for live printing. */
export class LogStore {
  private readonly store: LogEntry[] = [];
  private readonly listeners = new Set<(entry: LogEntry) => void>();
  private seq = 0;
  private droppedCount = 0;

  /**
   * Records a line.
   *
   * @param entry - everything but `seq` and `json`
   * @returns the stored entry
   */
  add(entry: Omit<LogEntry, 'seq' | 'json'>): LogEntry {
    const stored: LogEntry = { ...entry, seq: this.seq++, json: parseJsonObject(entry.line) };
    this.store.push(stored);
    if (this.store.length > MAX_ENTRIES) {
      this.store.shift();
      this.droppedCount += 1;
    }
    for (const listener of this.listeners) listener(stored);
    return stored;
  }

  /** The lines matching a filter, oldest first. */
  entries(filter: LogFilter = {}): LogEntry[] {
    return this.store.filter(
      (e) =>
        (filter.functionName === undefined || e.functionName === filter.functionName) &&
        (filter.requestId === undefined || e.requestId === filter.requestId) &&
        (filter.stream === undefined || e.stream === filter.stream) &&
        (filter.event === undefined || e.json?.['event'] === filter.event),
    );
  }

  /** The JSON objects of the lines matching a filter (non-JSON lines are skipped). */
  events(filter: LogFilter = {}): Array<Readonly<Record<string, unknown>>> {
    return this.entries(filter).flatMap((e) => (e.json === undefined ? [] : [e.json]));
  }

  /** How many old lines were dropped to stay under the bound. */
  dropped(): number {
    return this.droppedCount;
  }

  /**
   * Calls `listener` for every line captured from now on.
   *
   * @returns a function that unsubscribes
   */
  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets every stored line (subscribers stay). */
  clear(): void {
    this.store.length = 0;
  }
}

/** Splits a stream of text chunks into lines, keeping an unfinished last line until more text or a flush. */
export class LineSplitter {
  private pending = '';

  /**
   * @param chunk - more text
   * @returns the complete lines it finished
   */
  push(chunk: string): string[] {
    const text = this.pending + chunk;
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  /** @returns the unfinished line, if any, and forgets it */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [rest];
  }
}

function parseJsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
