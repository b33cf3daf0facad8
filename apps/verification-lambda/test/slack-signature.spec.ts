import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from './support/paths';
import {
  checkSlackRequestParts,
  computeSlackSignature,
  SLACK_REPLAY_WINDOW_SECONDS,
  signatureMatches,
  slackSignatureFailureMessage,
  verifySlackSignature,
} from '../src/slack-signature';

interface SlackVector {
  id: string;
  signingSecret: string;
  timestamp: string | null;
  body: string | null;
  signature: string | null;
  now: number;
  expectedValid: boolean;
}

const oracle = JSON.parse(readFileSync(join(FIXTURES_DIR, 'slack', 'vectors.json'), 'utf8')) as {
  replayWindowSeconds: number;
  vectors: SlackVector[];
};

const partsOf = (v: SlackVector) => ({
  signature: v.signature ?? undefined,
  timestamp: v.timestamp ?? undefined,
  body: v.body === null ? undefined : Buffer.from(v.body, 'utf8'),
});

describe('verifySlackSignature', () => {
  it('uses the oracle replay window', () => {
    expect(SLACK_REPLAY_WINDOW_SECONDS).toBe(oracle.replayWindowSeconds);
  });

  it('has the oracle vectors to check', () => {
    expect(oracle.vectors.length).toBeGreaterThanOrEqual(13);
  });

  it.each(oracle.vectors.map((v) => [v.id, v] as const))('oracle vector %s', (_id, vector) => {
    const result = verifySlackSignature(partsOf(vector), vector.signingSecret, vector.now);
    expect(result.ok).toBe(vector.expectedValid);
  });

  it('rejects a timestamp 301 s in the future and accepts one 300 s ahead', () => {
    const body = Buffer.from('{"type":"event_callback"}');
    const sign = (ts: number) => ({ signature: computeSlackSignature('s3cret', String(ts), body), timestamp: String(ts), body });
    expect(verifySlackSignature(sign(1_000_301), 's3cret', 1_000_000)).toEqual({ ok: false, reason: 'future_timestamp' });
    expect(verifySlackSignature(sign(1_000_300), 's3cret', 1_000_000)).toEqual({ ok: true });
  });

  it('rejects a timestamp 301 s old and accepts one exactly 300 s old', () => {
    const body = Buffer.from('x');
    const sign = (ts: number) => ({ signature: computeSlackSignature('k', String(ts), body), timestamp: String(ts), body });
    expect(verifySlackSignature(sign(999_699), 'k', 1_000_000)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySlackSignature(sign(999_700), 'k', 1_000_000)).toEqual({ ok: true });
  });

  it.each([
    ['a missing secret', undefined, 'missing_secret'],
    ['an empty secret', '', 'missing_secret'],
  ] as const)('fails closed on %s', (_name, secret, reason) => {
    const v = oracle.vectors.find((x) => x.id === 'docs-example-valid') as SlackVector;
    expect(verifySlackSignature(partsOf(v), secret, v.now)).toEqual({ ok: false, reason });
  });

  it('names each missing part', () => {
    const body = Buffer.from('b');
    expect(checkSlackRequestParts({ signature: undefined, timestamp: '1', body }, 1)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(checkSlackRequestParts({ signature: 'v0=1', timestamp: '', body }, 1)).toEqual({ ok: false, reason: 'missing_timestamp' });
    expect(checkSlackRequestParts({ signature: 'v0=1', timestamp: '1', body: Buffer.alloc(0) }, 1)).toEqual({
      ok: false,
      reason: 'missing_body',
    });
    expect(checkSlackRequestParts({ signature: 'v0=1', timestamp: '1e3', body }, 1000)).toEqual({ ok: false, reason: 'invalid_timestamp' });
    expect(checkSlackRequestParts({ signature: 'v0=1', timestamp: '-5', body }, 1)).toEqual({ ok: false, reason: 'invalid_timestamp' });
  });

  it('signs the raw bytes, so a base64-decoded binary body verifies', () => {
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    const signature = computeSlackSignature('k', '100', body);
    expect(signatureMatches({ signature, timestamp: '100', body }, 'k')).toBe(true);
    expect(signatureMatches({ signature, timestamp: '100', body: Buffer.from(body.toString('utf8')) }, 'k')).toBe(false);
  });

  it('accepts an upper-case hex signature and refuses malformed ones', () => {
    const body = Buffer.from('b');
    const signature = computeSlackSignature('k', '100', body);
    expect(signatureMatches({ signature: `v0=${signature.slice(3).toUpperCase()}`, timestamp: '100', body }, 'k')).toBe(true);
    expect(signatureMatches({ signature: signature.replace('v0=', 'v1='), timestamp: '100', body }, 'k')).toBe(false);
    expect(signatureMatches({ signature: `${signature}00`, timestamp: '100', body }, 'k')).toBe(false);
    expect(signatureMatches({ signature: 'v0=' + '0'.repeat(64), timestamp: '100', body }, 'k')).toBe(false);
  });

  it('computes the documented example signature', () => {
    const v = oracle.vectors.find((x) => x.id === 'docs-example-valid') as SlackVector;
    expect(computeSlackSignature(v.signingSecret, v.timestamp as string, v.body as string)).toBe(v.signature);
  });

  it('gives 401 messages that name the problem and hold no secret', () => {
    expect(slackSignatureFailureMessage('missing_signature')).toBe('missing X-Slack-Signature header');
    expect(slackSignatureFailureMessage('future_timestamp')).toBe('X-Slack-Request-Timestamp is more than 300 s in the future');
    expect(slackSignatureFailureMessage('signature_mismatch')).toBe('invalid X-Slack-Signature');
  });
});
