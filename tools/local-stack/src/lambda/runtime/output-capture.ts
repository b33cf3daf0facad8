/**
 * How a container captures what its function writes to fd 1 and fd 2: the `process.stdout`/`stderr` streams and direct
 * `fs.write(Sync)` calls such as pino's. Each write is posted to the parent on the same port as the results, so every
 * line is attributed to its invocation and arrives before that invocation's result. Node's built-in modules are per
 * thread, so the patch affects one container only.
 */

/** The stream a write goes to. */
export type OutputStream = 'stdout' | 'stderr';

/** Receives each captured write. */
export type PostOutput = (stream: OutputStream, text: string) => void;

/** The part of a writable stream the capture replaces. */
export interface WritableOutput {
  write: NodeJS.WritableStream['write'];
}

/** A write callback. */
type WriteCallback = (error?: Error | null) => void;

/** The part of `node:fs` the capture replaces (the real module in a container, a stand-in in tests). */
export interface FileWrites {
  write: (...args: never[]) => unknown;
  writeSync: (...args: never[]) => number;
}

/**
 * The text of a stream write.
 *
 * @param encoding - the encoding of a byte chunk; UTF-8 by default
 */
export function textOf(chunk: string | ArrayBufferView, encoding?: BufferEncoding): string {
  return typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(encoding || 'utf8');
}

/** The stream of a file descriptor: 1 is stdout, 2 is stderr, anything else is not captured. */
export function streamOfFd(fd: unknown): OutputStream | undefined {
  return fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : undefined;
}

/**
 * The text of an `fs.write(Sync)` call: a string as is, bytes from `offset` for `length` (as UTF-8).
 *
 * @param offset - where the bytes start (0 when not a number)
 * @param length - how many bytes (to the end when not a number)
 */
export function sliceOf(buffer: string | ArrayBufferView, offset?: unknown, length?: unknown): string {
  if (typeof buffer === 'string') return buffer;
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const start = typeof offset === 'number' ? offset : 0;
  const end = typeof length === 'number' ? start + length : bytes.length;
  return bytes.subarray(start, end).toString('utf8');
}

/**
 * Replaces the streams' `write` and the writes of `fs` to fd 1 and 2 with `post`. Writes to any other descriptor go to
 * the original `fs` functions. Callbacks are called on the next tick, as after a completed write.
 *
 * @param streams - `process.stdout` and `process.stderr`
 * @param fs - the `node:fs` module
 */
export function captureOutput(post: PostOutput, streams: Readonly<Record<OutputStream, WritableOutput>>, fs: FileWrites): void {
  for (const name of ['stdout', 'stderr'] as const) {
    streams[name].write = function write(chunk: string | Uint8Array, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
      if (typeof encoding === 'function') {
        callback = encoding;
        encoding = undefined;
      }
      post(name, textOf(chunk, typeof encoding === 'string' ? encoding : undefined));
      if (typeof callback === 'function') process.nextTick(callback);
      return true;
    };
  }
  const originalWriteSync = fs.writeSync as (...args: unknown[]) => number;
  fs.writeSync = function writeSync(...args: unknown[]): number {
    const [fd, buffer, offset, length] = args;
    const stream = streamOfFd(fd);
    if (stream === undefined) return originalWriteSync.apply(fs, args);
    const text = sliceOf(buffer as string | ArrayBufferView, offset, length);
    post(stream, text);
    return Buffer.byteLength(text);
  };
  const originalWrite = fs.write as (...args: unknown[]) => unknown;
  fs.write = function write(...args: unknown[]): unknown {
    const [fd, buffer, ...rest] = args;
    const stream = streamOfFd(fd);
    if (stream === undefined) return originalWrite.apply(fs, args);
    const callback = [...rest].reverse().find((arg): arg is (...values: unknown[]) => void => typeof arg === 'function');
    const text = sliceOf(buffer as string | ArrayBufferView, typeof rest[0] === 'number' ? rest[0] : undefined, typeof rest[1] === 'number' ? rest[1] : undefined);
    post(stream, text);
    if (callback) process.nextTick(callback, null, Buffer.byteLength(text), buffer);
    return undefined;
  };
}
