import fc from 'fast-check';
import { REDACTED, redactSecrets } from '../src';

const SIG = 'a1b2c3d4'.repeat(8);

describe('redactSecrets', () => {
  it.each([
    ['a bot token', 'token is xoxb-1234-5678-AbCdEf', 'token is [REDACTED]'],
    ['a user token', 'xoxp-1-2-3-abc', REDACTED],
    ['a legacy workspace token', '(xoxa-2-abc)', '([REDACTED])'],
    ['a token glued to a word', 'abcxoxb-99-zz!', 'abc[REDACTED]!'],
    ['a token in a URL', 'https://slack.com/api/x?token=xoxb-1-a&channel=C1', 'https://slack.com/api/x?token=[REDACTED]&channel=C1'],
    ['an app-level token', 'xapp-1-A1-abc', REDACTED],
    ['a rotating token', 'xoxe.xoxp-1-abc', 'xoxe.[REDACTED]'],
    ['an upper-case token', 'XOXB-1-ABC', REDACTED],
    ['two tokens', 'xoxb-1 and xoxp-2', '[REDACTED] and [REDACTED]'],
    ['a Slack signature', `sig v0=${SIG} ok`, `sig v0=${REDACTED} ok`],
    ['a Slack signature header', `x-slack-signature: v0=${SIG}`, `x-slack-signature: ${REDACTED}`],
    ['a bearer token', 'Bearer abc.def-ghi', `Bearer ${REDACTED}`],
    [
      'a SigV4 signature',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${REDACTED}`,
    ],
    ['an Authorization header line', 'Authorization: AWS4-HMAC-SHA256 Credential=AKID/x', `Authorization: ${REDACTED} Credential=AKID/x`],
    ['a presigned URL', 'https://b/k?X-Amz-Security-Token=IQoJb3Jp%2F&X-Amz-Signature=abc123&x=1', `https://b/k?X-Amz-Security-Token=${REDACTED}&X-Amz-Signature=${REDACTED}&x=1`],
    ['a security token header line', 'x-amz-security-token: IQoJb3JpZ2luX2Vj', `x-amz-security-token: ${REDACTED}`],
    ['an env dump', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG AWS_SESSION_TOKEN=IQo', `AWS_SECRET_ACCESS_KEY=${REDACTED} AWS_SESSION_TOKEN=${REDACTED}`],
    ['a signing secret assignment', "SLACK_SIGNING_SECRET='8f742231b10e8888abcd'", `SLACK_SIGNING_SECRET='${REDACTED}'`],
    ['a form body', 'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T1', `token=${REDACTED}&team_id=T1`],
    ['a JSON member', '{"bot_token":"abc def","channel":"C1"}', `{"bot_token":"${REDACTED}","channel":"C1"}`],
    [
      'a JSON member with escaped quotes',
      '{"SecretString":"{\\"signing_secret\\":\\"s3cr3t\\"}","Name":"n"}',
      `{"SecretString":"${REDACTED}","Name":"n"}`,
    ],
    ['an escaped JSON member', '{\\"signingSecret\\":\\"abc123\\"}', `{\\"signingSecret\\":\\"${REDACTED}\\"}`],
    ['a sessionToken JSON member', '{"sessionToken": "IQo/x+y"}', `{"sessionToken": "${REDACTED}"}`],
  ])('masks %s', (_case, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    ['plain text', 'hello, how are you?'],
    ['token counts', 'inputTokens: 12, max_tokens=512, totalTokens=3'],
    ['a secret ARN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack-signing-secret-AbCdEf'],
    ['a secret ARN variable', 'SLACK_SIGNING_SECRET_ARN=arn:aws:secretsmanager:us-east-1:1:secret:x'],
    ['prose about tokens', 'the token expired; no signature was sent'],
    ['an access key id', 'Credential=AKIDEXAMPLE/20240101'],
    ['the marker itself', REDACTED],
  ])('leaves %s unchanged', (_case, input) => {
    expect(redactSecrets(input)).toBe(input);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const once = redactSecrets(text);
        expect(redactSecrets(once)).toBe(once);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('never leaves a planted Slack token in any string', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('xoxb-', 'xoxp-', 'xoxa-'),
        fc.stringMatching(/^[A-Za-z0-9-]{8,40}$/),
        fc.string({ maxLength: 40 }),
        (before, prefix, body, after) => {
          const token = prefix + body;
          expect(redactSecrets(before + token + after)).not.toContain(token);
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });

  it('leaves a long run of name-like characters and quotes unchanged', () => {
    const long = `${'a'.repeat(200_000)}=x ${'"b'.repeat(50_000)}`;
    expect(redactSecrets(long)).toBe(long);
  });
});
