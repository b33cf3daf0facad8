import { FaultController, FaultSpecError, skewedNow } from '../../src/faults';

describe('FaultController', () => {
  it('injects a fault on every request until cleared, and counts each injection', () => {
    const faults = new FaultController();
    faults.set('executeApi', { mode: 'status', status: 500 });
    expect(faults.take('executeApi')).toEqual({ mode: 'status', status: 500 });
    expect(faults.take('executeApi')).toEqual({ mode: 'status', status: 500 });
    faults.clear('executeApi');
    expect(faults.take('executeApi')).toBeUndefined();
    expect(faults.injected('executeApi')).toBe(2);
  });

  it('disarms a fault with `times` after its last injection', () => {
    const faults = new FaultController();
    faults.set('bedrock', { mode: 'status', status: 429, times: 2 });
    expect(faults.take('bedrock')?.mode).toBe('status');
    expect(faults.take('bedrock')?.mode).toBe('status');
    expect(faults.take('bedrock')).toBeUndefined();
    expect(faults.get('bedrock')).toBeUndefined();
    expect(faults.counts()).toMatchObject({ bedrock: 2, executeApi: 0 });
  });

  it('neither uses nor counts a fault whose filter does not apply', () => {
    const faults = new FaultController();
    faults.set('slack', { mode: 'status', status: 429, retryAfterSeconds: 1, methods: ['chat.postMessage'], times: 1 });
    expect(faults.take('slack', (spec) => spec.methods?.includes('reactions.add') ?? true)).toBeUndefined();
    expect(faults.injected('slack')).toBe(0);
    expect(faults.take('slack', (spec) => spec.methods?.includes('chat.postMessage') ?? true)).toEqual({
      mode: 'status',
      status: 429,
      retryAfterSeconds: 1,
      methods: ['chat.postMessage'],
      times: 1,
    });
    expect(faults.injected('slack')).toBe(1);
  });

  it('clears every target at once and keeps the counters until resetCounts', () => {
    const faults = new FaultController();
    faults.set('dynamodb', { mode: 'down' });
    faults.set('lambdaApi', { mode: 'hang' });
    faults.take('dynamodb');
    faults.clear();
    expect(faults.get('dynamodb')).toBeUndefined();
    expect(faults.get('lambdaApi')).toBeUndefined();
    expect(faults.injected('dynamodb')).toBe(1);
    faults.resetCounts();
    expect(faults.injected('dynamodb')).toBe(0);
  });

  it.each([
    ['executeApi', { mode: 'status', status: 200 }, 'status must be an error status from 400 to 599'],
    ['bedrock', { mode: 'status', status: 429, times: 0 }, 'times must be a whole number >= 1'],
    ['slack', { mode: 'status', status: 429, retryAfterSeconds: -1 }, 'retryAfterSeconds must be a whole number >= 0'],
    ['dynamodb', { mode: 'explode' }, 'unknown mode "explode"'],
    ['executionFunction', { mode: 'down' }, 'unknown mode "down"'],
    ['gatewayClock', { mode: 'fixed', at: new Date('not a date') }, 'at must be a valid date'],
    ['gatewayClock', { mode: 'offset', offsetMs: Number.NaN }, 'offsetMs must be a finite number'],
    ['bedrock', { mode: 'break', afterTokens: -1 }, 'afterTokens must be a whole number >= 0'],
    ['dynamodb', { mode: 'break', afterTokens: 3 }, 'unknown mode "break"'],
  ])('refuses an invalid %s fault', (target, spec, message) => {
    const faults = new FaultController();
    expect(() => faults.set(target as never, spec as never)).toThrow(new FaultSpecError(`fault for ${target}: ${message}`));
  });
});

describe('skewedNow', () => {
  const now = new Date('2024-05-01T12:00:00Z');

  it('returns the real time without a fault', () => {
    expect(skewedNow(undefined, now)).toEqual(now);
  });

  it('shifts by the offset', () => {
    expect(skewedNow({ mode: 'offset', offsetMs: -60_000 }, now).toISOString()).toBe('2024-05-01T11:59:00.000Z');
  });

  it('pins the clock to a fixed time', () => {
    expect(skewedNow({ mode: 'fixed', at: new Date('2020-01-01T00:00:00Z') }, now).toISOString()).toBe('2020-01-01T00:00:00.000Z');
  });
});
