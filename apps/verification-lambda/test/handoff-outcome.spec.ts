import { type ApiAttempt, apiVerdict } from '../src/handoff-outcome';

const response = (status: number): ApiAttempt => ({ kind: 'response', status, body: '', latencyMs: 1 });
const exception = (failure: 'timeout' | 'network' | 'signing' | 'unknown'): ApiAttempt => ({
  kind: 'exception',
  failure,
  error: new Error(failure),
  latencyMs: 1,
});

describe('apiVerdict (the fallback matrix)', () => {
  it.each([
    [200, { action: 'success' }],
    [202, { action: 'success' }],
    [400, { action: 'no_fallback', reason: 'payload_rejected' }],
    [403, { action: 'fallback', reason: 'forbidden' }],
    [429, { action: 'fallback', reason: 'throttled' }],
    [500, { action: 'fallback', reason: 'server_error' }],
    [502, { action: 'fallback', reason: 'server_error' }],
    [503, { action: 'fallback', reason: 'server_error' }],
    [504, { action: 'fallback', reason: 'server_error' }],
    [201, { action: 'fallback', reason: 'unexpected_status' }],
    [204, { action: 'fallback', reason: 'unexpected_status' }],
    [301, { action: 'fallback', reason: 'unexpected_status' }],
    [404, { action: 'fallback', reason: 'unexpected_status' }],
    [413, { action: 'fallback', reason: 'unexpected_status' }],
  ])('HTTP %i → %j', (status, verdict) => {
    expect(apiVerdict(response(status))).toEqual(verdict);
  });

  it.each([
    ['timeout', 'timeout'],
    ['network', 'network_error'],
    ['signing', 'signing_error'],
    ['unknown', 'exception'],
  ] as const)('%s exception → fallback (%s)', (failure, reason) => {
    expect(apiVerdict(exception(failure))).toEqual({ action: 'fallback', reason });
  });
});
