/**
 * Registers, around every test of the calling spec file, a pinned `Date.now()` and an unset `LOG_LEVEL` (restored after
 * each test; the spy is restored by the Jest preset's `restoreMocks`), so that timestamps and the default level are
 * exactly what the tests expect.
 *
 * @param now - the pinned clock, in epoch milliseconds
 */
export function pinClockAndUnsetLogLevel(now: number): void {
  let savedLogLevel: string | undefined;

  beforeEach(() => {
    savedLogLevel = process.env['LOG_LEVEL'];
    delete process.env['LOG_LEVEL'];
    jest.spyOn(Date, 'now').mockReturnValue(now);
  });

  afterEach(() => {
    if (savedLogLevel === undefined) delete process.env['LOG_LEVEL'];
    else process.env['LOG_LEVEL'] = savedLogLevel;
  });
}
