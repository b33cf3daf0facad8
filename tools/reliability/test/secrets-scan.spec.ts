import { LOCAL_KEYS, LOCAL_SLACK_SECRETS } from '@slack-ai-app/local-stack';
import { readLogLines, readSentCredentials, recordFigures, type GatheredLine } from '../src/collector';
import { startHarness, type Harness } from '../src/harness';
import { sendRaw } from '../src/raw-http';
import { SECRET_PATTERNS, scanLines, type KnownSecret } from '../src/secrets-scan';
import { portOf, rawOf, signJsonPost } from '../src/signed-requests';

/**
 * The secrets scan. It runs last (src/jest/sequencer.js) and gathers every log line written during the run: the
 * Lambda runtimes' stdout, stderr and platform lines of every stack the e2e, fault, load and hostile suites started,
 * plus each stack's own internal-error output. It also runs a short scenario of its own (a reply, a fallback on a
 * 403, a function error, a rejected Slack request), so that it never scans nothing. No line may contain the signing
 * secret, the bot token, an AWS secret key, a session token, or an Authorization or Slack signature value.
 */

const SUITE = 'secrets-scan';

/** Every secret value in use in this run, by exact value. */
function knownSecrets(): KnownSecret[] {
  const principals = Object.values(LOCAL_KEYS).flatMap((p) => [
    { kind: `AWS secret key (${p.name})`, value: p.secretAccessKey },
    ...(p.sessionToken === undefined ? [] : [{ kind: `session token (${p.name})`, value: p.sessionToken }]),
  ]);
  const sent = readSentCredentials().map((c) => ({ kind: `${c.kind} value sent by the suite`, value: c.value }));
  return [
    { kind: 'Slack signing secret', value: LOCAL_SLACK_SECRETS.signingSecret },
    { kind: 'Slack bot token', value: LOCAL_SLACK_SECRETS.botToken },
    ...principals,
    ...sent,
  ];
}

describe('the scanner', () => {
  it('finds each kind of secret it looks for (so a clean result means something)', () => {
    const secrets = knownSecrets();
    const planted: GatheredLine[] = [
      ...secrets.slice(0, 4).map((s) => ({ suite: 'planted', source: 'test', line: `{"event":"x","value":"${s.value}"}` })),
      { suite: 'planted', source: 'test', line: 'Authorization: AWS4-HMAC-SHA256 Credential=ASIAX/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=' + 'a'.repeat(64) },
      { suite: 'planted', source: 'test', line: `x-slack-signature=v0=${'b'.repeat(64)}` },
      { suite: 'planted', source: 'test', line: 'Bearer xoxb-1234-5678-abcdefgh' },
    ];
    const findings = scanLines(planted, secrets);
    for (const line of planted) expect(scanLines([line], secrets).length).toBeGreaterThan(0);
    expect(scanLines([{ suite: 'planted', source: 'test', line: '{"event":"slack_post_success","text_length":42}' }], secrets)).toEqual([]);
    for (const kind of ['Slack signing secret', 'Slack bot token', ...SECRET_PATTERNS.map((p) => p.kind)]) {
      expect(findings.map((f) => f.kind)).toContain(kind);
    }
    // An excerpt never repeats the secret it reports.
    for (const f of findings) for (const s of secrets.filter((x) => x.value.length >= 8)) expect(f.excerpt).not.toContain(s.value);
  });
});

describe('every log line of the run', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(SUITE, { prewarm: true });
    const { stack } = harness;
    try {
      await harness.mention('a normal question');
      stack.faults.set('gatewayClock', { mode: 'offset', offsetMs: 6 * 60_000 });
      await harness.mention('a fallback after a 403 from the gateway');
      stack.faults.clear();
      stack.faults.set('executionFunction', { mode: 'error', errorType: 'InjectedError', times: 1 });
      stack.faults.set('slack', { mode: 'status', status: 429, retryAfterSeconds: 1, methods: ['chat.postMessage'], times: 1 });
      await harness.mention('a function error, then a rate-limited reply');
      await stack.slack.postUserMessage({ text: 'a forged request' }, { signingSecret: 'not-the-secret' });
      const signed = await signJsonPost({ url: stack.urls.executeApi, body: '{"channel":"C1"}', principal: stack.credentials.principals.verification });
      await sendRaw(portOf(stack.urls.aws), { ...rawOf(signed), body: '{"channel":"C2"}' });
      await harness.settle();
    } finally {
      stack.faults.clear();
      await harness.stop();
    }
  }, 120_000);

  it('contains no signing secret, bot token, AWS secret key, session token, Authorization or signature value', () => {
    const lines = readLogLines();
    const secrets = knownSecrets();
    const findings = scanLines(lines, secrets);
    recordFigures({ area: 'secrets', suite: SUITE, label: `every log line of the run (${new Set(lines.map((l) => l.suite)).size} suites)`, counts: { scanned: lines.length, found: findings.length } });

    // The scan saw real traffic of both functions, including this suite's own scenario.
    expect(lines.filter((l) => l.suite === SUITE).length).toBeGreaterThan(0);
    expect(lines.some((l) => l.source.startsWith('function:verification/'))).toBe(true);
    expect(lines.some((l) => l.source.startsWith('function:execution/'))).toBe(true);
    expect(secrets.filter((s) => s.kind.includes('authorization value sent')).length).toBeGreaterThan(0);
    expect(findings).toEqual([]);
  });
});
