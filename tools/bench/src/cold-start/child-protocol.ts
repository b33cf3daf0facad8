/**
 * What the cold-start parent and its child (`src/cold-start-child.ts`) exchange: the job file the child reads and the report it writes.
 */

/** What the parent asks the child to run. */
export interface ChildJob {
  /** Absolute path of the bundle. */
  readonly modulePath: string;
  /** Its exported handler. */
  readonly handlerName: string;
  /** The first event. */
  readonly event: unknown;
  /** The Lambda context fields (a `getRemainingTimeInMillis` is added). */
  readonly context: Readonly<Record<string, unknown>>;
  /** The invocation's timeout, for `getRemainingTimeInMillis`. */
  readonly timeoutMs: number;
}

/** What the child reports. */
export interface ChildReport {
  /** Whether the module loaded and the handler resolved. */
  readonly ok: boolean;
  /** Milliseconds from process start to the harness's first line (Node's own start-up). */
  readonly bootMs: number;
  readonly loadMs: number;
  /** `undefined` when the module failed to load. */
  readonly invokeMs: number | undefined;
  /** `statusCode` of the handler's result, when it has one. */
  readonly statusCode: number | undefined;
  /** Why it failed (error name and message), when it did. */
  readonly error: string | undefined;
}

/** File descriptor the report is written to. */
export const REPORT_FD = 3;
