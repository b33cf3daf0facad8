import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent } from 'node:http';
import { type LocalPrincipal } from '@slack-ai-app/local-stack';
import { verifySigV4Request, type KnownCredential } from '@slack-ai-app/aws-emulation';
import { defaultCredentials, postSignedJson } from '@slack-ai-app/signing';
import { recordSentCredential } from '../src/collector';
import { RecordingSigner, newExecutionRequest } from '../src/execution-clients';
import { startHarness, type Harness } from '../src/harness';
import { expectedAnswerLine } from '../src/load';
import { recordScenario } from '../src/scenario';

/**
 * Credentials rotate mid-run: Lambda refreshes an execution role's session credentials by changing the container's
 * environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) between invocations. The signer
 * the verification function creates once per container (`RequestSigner` with `defaultCredentials()`) must sign with
 * the new session from the next call on, without a restart.
 *
 * The local stack cannot change a running container's environment (reported as a missing hook), so this is shown
 * with the very client the verification function runs (`postSignedJson` + `RequestSigner` from libs/signing), one
 * signer and one keep-alive agent for the whole test, and `process.env` changed between calls: against a real HTTP
 * server that verifies with tools/aws-emulation and revokes the old session, and against the local stack's API Gateway.
 */

const SUITE = 'credentials';
const CREDENTIAL_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'] as const;
let saved: Partial<Record<(typeof CREDENTIAL_VARS)[number], string>> = {};

beforeEach(() => {
  saved = Object.fromEntries(CREDENTIAL_VARS.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));
});
afterEach(() => {
  for (const name of CREDENTIAL_VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** Puts a session's credentials in the environment, as Lambda does when it refreshes them. */
function useSession(session: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }): void {
  process.env['AWS_ACCESS_KEY_ID'] = session.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = session.secretAccessKey;
  if (session.sessionToken === undefined) delete process.env['AWS_SESSION_TOKEN'];
  else process.env['AWS_SESSION_TOKEN'] = session.sessionToken;
  delete process.env['AWS_CREDENTIAL_EXPIRATION'];
}

describe('session credentials rotate between two calls of one signer', () => {
  /** Four successive sessions of the verification role; each rotation revokes the previous one. */
  const ROLE = 'arn:aws:iam::000000000000:role/slack-ai-app-verification-role';
  const sessions = Array.from({ length: 4 }, (_, i) => ({
    accessKeyId: `ASIAROTATION0000000${i}`,
    secretAccessKey: `rotation/secret/key/number/${i}/not/a/real/one0`,
    sessionToken: `rotation-session-token-${i}-not-real`,
  }));
  let active = new Set<string>();
  const seen: Array<{ accessKeyId: string; token: string | undefined }> = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    for (const s of sessions) {
      recordSentCredential('secret-access-key', s.secretAccessKey);
      recordSentCredential('session-token', s.sessionToken);
    }
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const lookup = (accessKeyId: string): KnownCredential | undefined => {
            const session = sessions.find((s) => s.accessKeyId === accessKeyId && active.has(s.accessKeyId));
            return session === undefined
              ? undefined
              : { secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, principalArn: ROLE, callerArn: `${ROLE}/session` };
          };
          const verdict = await verifySigV4Request(
            { method: req.method ?? 'GET', rawPath: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) },
            { lookup, service: 'execute-api', region: 'us-east-1' },
          );
          if (!verdict.ok) {
            res.writeHead(verdict.error.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': verdict.error.errorType });
            res.end(verdict.error.body);
            return;
          }
          seen.push({ accessKeyId: verdict.accessKeyId, token: req.headers['x-amz-security-token'] as string | undefined });
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end('{"status":"accepted"}');
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/prod/execute`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('keeps signing with the current session after each rotation, without a new signer or connection', async () => {
    let survived = false;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const signer = new RecordingSigner({ service: 'execute-api', region: 'us-east-1', credentials: defaultCredentials() });
      const statuses: number[] = [];
      for (const [index, session] of sessions.entries()) {
        useSession(session);
        active = new Set([session.accessKeyId]); // the previous session is revoked
        for (let call = 0; call < 3; call += 1) {
          const response = await postSignedJson({ url, body: { rotation: index, call }, signer, timeoutMs: 5_000, agent });
          statuses.push(response.status);
        }
      }
      expect(statuses).toEqual(Array.from({ length: sessions.length * 3 }, () => 202));
      expect(seen).toEqual(sessions.flatMap((s) => Array.from({ length: 3 }, () => ({ accessKeyId: s.accessKeyId, token: s.sessionToken }))));
      survived = true;
    } finally {
      agent.destroy();
      recordScenario(SUITE, 'credentials rotate 3 times between calls of one signer (libs/signing server)', { credentialRotation: sessions.length - 1 }, survived);
    }
  });

  it('is refused by the server with the revoked session, which proves the check bites', async () => {
    const signer = new RecordingSigner({ service: 'execute-api', region: 'us-east-1', credentials: defaultCredentials() });
    useSession(sessions[0] as (typeof sessions)[number]);
    active = new Set([(sessions[1] as (typeof sessions)[number]).accessKeyId]);
    const response = await postSignedJson({ url, body: { stale: true }, signer, timeoutMs: 5_000 });
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
    expect(response.body).toBe('{"message":"The security token included in the request is invalid."}');
  });
});

describe('through the local API Gateway', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(SUITE);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('a running signer picks up the verification role\u2019s session after starting with another role\u2019s: 403, then 202 and one reply', async () => {
    const { stack } = harness;
    const before = stack.credentials.principals.otherRole as LocalPrincipal;
    const after = stack.credentials.principals.verification as LocalPrincipal;
    let survived = false;
    try {
      const signer = new RecordingSigner({ service: 'execute-api', region: stack.credentials.region, credentials: defaultCredentials() });
      const question = 'signed by rotated credentials';
      const request = newExecutionRequest(stack, question, stack.slack.nextEventId());

      useSession(before);
      const denied = await postSignedJson({ url: stack.urls.executeApi, body: request, signer, timeoutMs: 5_000 });
      useSession(after);
      const accepted = await postSignedJson({ url: stack.urls.executeApi, body: request, signer, timeoutMs: 5_000 });
      await harness.settle();

      expect(denied.status).toBe(403);
      expect(denied.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(JSON.parse(denied.body)).toEqual({
        Message: `User: ${before.callerArn} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********0000:localapi/prod/POST/execute with an explicit deny`,
      });
      expect(accepted.status).toBe(202);
      expect(harness.attempts(request.event_id, 'execution')).toHaveLength(1);
      expect(harness.replies(request.message_ts).map((r) => r.text.split('\n')[0])).toEqual([expectedAnswerLine(question)]);
      survived = true;
    } finally {
      recordScenario(SUITE, 'credentials rotate between two calls through the local API Gateway', { credentialRotation: 1 }, survived);
    }
  });
});
