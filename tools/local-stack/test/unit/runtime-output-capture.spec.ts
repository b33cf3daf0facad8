import { captureOutput, sliceOf, streamOfFd, textOf, type FileWrites, type OutputStream, type WritableOutput } from '../../src/lambda/runtime/output-capture';

/** A stand-in for process.stdout/stderr and node:fs, recording what reaches the originals. */
function setup() {
  const posted: Array<[OutputStream, string]> = [];
  const reachedFs: unknown[][] = [];
  const unpatched = (): boolean => {
    throw new Error('the original stream write must not be called');
  };
  const streams: Record<OutputStream, WritableOutput> = { stdout: { write: unpatched }, stderr: { write: unpatched } };
  const fs: FileWrites = {
    write: (...args: unknown[]) => {
      reachedFs.push(['write', ...args]);
      return 'original write';
    },
    writeSync: (...args: unknown[]) => {
      reachedFs.push(['writeSync', ...args]);
      return 99;
    },
  };
  captureOutput((stream, text) => posted.push([stream, text]), streams, fs);
  return { posted, reachedFs, streams, fs: fs as unknown as { write: (...args: unknown[]) => unknown; writeSync: (...args: unknown[]) => number } };
}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe('the pure helpers', () => {
  it('textOf: a string as is, bytes decoded with the encoding or as UTF-8', () => {
    expect(textOf('héllo')).toBe('héllo');
    expect(textOf(Buffer.from('héllo', 'utf8'))).toBe('héllo');
    expect(textOf(Buffer.from('68656c6c6f', 'hex'), 'latin1')).toBe('hello');
    // A view into a larger buffer: only the view's bytes.
    const whole = Buffer.from('xxhixx');
    expect(textOf(new Uint8Array(whole.buffer, whole.byteOffset + 2, 2))).toBe('hi');
  });

  it('streamOfFd: 1 is stdout, 2 is stderr, anything else is not captured', () => {
    expect([streamOfFd(1), streamOfFd(2), streamOfFd(0), streamOfFd(3), streamOfFd('1')]).toEqual(['stdout', 'stderr', undefined, undefined, undefined]);
  });

  it('sliceOf: a string ignores offset and length; bytes are cut at offset for length', () => {
    expect(sliceOf('abcdef', 1, 2)).toBe('abcdef');
    expect(sliceOf(Buffer.from('abcdef'), 1, 2)).toBe('bc');
    expect(sliceOf(Buffer.from('abcdef'), 2)).toBe('cdef');
    expect(sliceOf(Buffer.from('abcdef'), 'x', 'y')).toBe('abcdef');
  });
});

describe('captureOutput', () => {
  it('posts stream writes with their stream, and calls the callback on the next tick (also as the second argument)', async () => {
    const { posted, streams } = setup();
    const called: string[] = [];
    expect(streams.stdout.write('out line\n', 'utf8', () => called.push('third'))).toBe(true);
    expect(streams.stderr.write(Buffer.from('err line\n'), () => called.push('second'))).toBe(true);
    expect(called).toEqual([]);
    await nextTick();
    expect(called).toEqual(['third', 'second']);
    expect(posted).toEqual([
      ['stdout', 'out line\n'],
      ['stderr', 'err line\n'],
    ]);
  });

  it('posts fs.writeSync to fd 1 and 2 and returns the byte count; other descriptors reach the original', () => {
    const { posted, reachedFs, fs } = setup();
    expect(fs.writeSync(1, '{"level":30,"msg":"é"}\n')).toBe(Buffer.byteLength('{"level":30,"msg":"é"}\n'));
    expect(fs.writeSync(2, Buffer.from('xxerror\n'), 2, 6)).toBe(6);
    expect(fs.writeSync(7, 'to a file', 0)).toBe(99);
    expect(posted).toEqual([
      ['stdout', '{"level":30,"msg":"é"}\n'],
      ['stderr', 'error\n'],
    ]);
    expect(reachedFs).toEqual([['writeSync', 7, 'to a file', 0]]);
  });

  it('posts fs.write to fd 1 and 2 and calls its callback with (null, bytes, buffer); other descriptors reach the original', async () => {
    const { posted, reachedFs, fs } = setup();
    const results: unknown[][] = [];
    const buffer = Buffer.from('abcdef');
    expect(fs.write(1, buffer, 1, 3, null, (...args: unknown[]) => results.push(args))).toBeUndefined();
    expect(fs.write(2, 'plain text', (...args: unknown[]) => results.push(args))).toBeUndefined();
    const other = (): void => undefined;
    expect(fs.write(9, 'to a file', other)).toBe('original write');
    await nextTick();
    expect(posted).toEqual([
      ['stdout', 'bcd'],
      ['stderr', 'plain text'],
    ]);
    expect(results).toEqual([
      [null, 3, buffer],
      [null, 10, 'plain text'],
    ]);
    expect(reachedFs).toEqual([['write', 9, 'to a file', other]]);
  });
});
