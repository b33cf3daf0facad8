import { guardRequest, refusalMessage } from '../../src/console/guard';

const PORT = 48_002;
const TOKEN = 'session-token-0123456789';
const base = { method: 'PUT', host: `127.0.0.1:${PORT}`, origin: `http://127.0.0.1:${PORT}`, token: TOKEN, control: true };

describe('guardRequest', () => {
  it('serves the console’s own page and its control requests with the token', () => {
    expect(guardRequest(base, PORT, TOKEN)).toBeUndefined();
    expect(guardRequest({ ...base, host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` }, PORT, TOKEN)).toBeUndefined();
    // A same-origin GET carries no Origin and needs no token.
    expect(guardRequest({ ...base, method: 'GET', origin: undefined, token: undefined, control: false }, PORT, TOKEN)).toBeUndefined();
  });

  it('refuses a foreign or missing Host (DNS rebinding), before anything else', () => {
    expect(guardRequest({ ...base, host: `rebind.example:${PORT}` }, PORT, TOKEN)).toBe('foreign_host');
    expect(guardRequest({ ...base, host: `127.0.0.1:${PORT + 1}` }, PORT, TOKEN)).toBe('foreign_host');
    expect(guardRequest({ ...base, host: '127.0.0.1' }, PORT, TOKEN)).toBe('foreign_host');
    expect(guardRequest({ ...base, host: undefined, control: false }, PORT, TOKEN)).toBe('foreign_host');
  });

  it('refuses a foreign Origin, also on reads', () => {
    expect(guardRequest({ ...base, origin: 'http://evil.example' }, PORT, TOKEN)).toBe('foreign_origin');
    expect(guardRequest({ ...base, origin: `https://127.0.0.1:${PORT}` }, PORT, TOKEN)).toBe('foreign_origin');
    expect(guardRequest({ ...base, origin: 'null' }, PORT, TOKEN)).toBe('foreign_origin');
    expect(guardRequest({ ...base, method: 'GET', control: false, origin: 'http://evil.example' }, PORT, TOKEN)).toBe('foreign_origin');
  });

  it('refuses a control request without the token or with another one', () => {
    expect(guardRequest({ ...base, token: undefined }, PORT, TOKEN)).toBe('missing_token');
    expect(guardRequest({ ...base, token: '' }, PORT, TOKEN)).toBe('missing_token');
    expect(guardRequest({ ...base, token: 'session-token-9876543210' }, PORT, TOKEN)).toBe('wrong_token');
    expect(guardRequest({ ...base, token: 'short' }, PORT, TOKEN)).toBe('wrong_token');
  });

  it('never echoes the token in its messages', () => {
    for (const refusal of ['foreign_host', 'foreign_origin', 'missing_token', 'wrong_token'] as const) expect(refusalMessage(refusal)).not.toContain(TOKEN);
  });
});
