import { ReplyClock } from '../src/stack/reply-clock';

describe('ReplyClock', () => {
  afterEach(() => jest.useRealTimers());

  it('counts replies per thread and keeps the first one\'s time and every text', () => {
    const clock = new ReplyClock();
    clock.record('C1', '1.000001', 10, 'first');
    clock.record('C1', '1.000001', 20, 'second');
    clock.record('C1', '2.000001', 30, 'other thread');
    expect(clock.count('C1', '1.000001')).toBe(2);
    expect(clock.first('C1', '1.000001')).toBe(10);
    expect(clock.texts('C1', '1.000001')).toEqual(['first', 'second']);
    expect(clock.count('C1', '3.000001')).toBe(0);
    expect(clock.first('C2', '1.000001')).toBeUndefined();
  });

  it('resolves a wait at once when the reply is already there, and on the reply otherwise', async () => {
    const clock = new ReplyClock();
    clock.record('C1', '1.000001', 5, 'x');
    await expect(clock.waitFirst('C1', '1.000001', 1000)).resolves.toBe(5);
    const waiting = clock.waitFirst('C1', '2.000001', 1000);
    clock.record('C1', '2.000001', 42, 'y');
    await expect(waiting).resolves.toBe(42);
  });

  it('resolves undefined when no reply comes in time', async () => {
    jest.useFakeTimers();
    const clock = new ReplyClock();
    const waiting = clock.waitFirst('C1', '1.000001', 500);
    jest.advanceTimersByTime(500);
    await expect(waiting).resolves.toBeUndefined();
    clock.record('C1', '1.000001', 1, 'late');
    expect(clock.count('C1', '1.000001')).toBe(1);
  });
});
