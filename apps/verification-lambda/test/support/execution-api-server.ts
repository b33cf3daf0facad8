import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { missingAuthenticationTokenAnswer, verifySigV4Request } from '@slack-ai-app/aws-emulation';

/** The fixed credentials the API-path tests sign with (never real). */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDVERIFICATIONTEST',
  secretAccessKey: 'verification/Secret/Key/For/Tests/Only0000',
  sessionToken: 'FwoGZXIvYXdzEFAKESESSIONTOKENFORTESTS',
};
/** The role the test credentials belong to (`aws:PrincipalArn`). */
export const TEST_ROLE_ARN = 'arn:aws:iam::000000000000:role/verification-lambda-role';

/** One request the fake execution API received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the SigV4 signature verified. */
  authenticated: boolean;
}

/** What the fake answers to an authenticated request: a status, or `'hang'` (never answer). */
export type ScriptedAnswer = number | 'hang';

/**
 * A local stand-in for the execution API (API Gateway, REST, AWS_IAM): real HTTP on 127.0.0.1, verifying each request
 * with `verifySigV4Request` from tools/aws-emulation as API Gateway would, then answering the scripted status.
 */
export async function startExecutionApi(options: { now: () => Date; answers?: ScriptedAnswer[]; stage?: string }) {
  const answers = options.answers ?? [202];
  const stage = options.stage ?? 'prod';
  const received: ReceivedRequest[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const verified = await verifySigV4Request(
        { method: req.method ?? '', rawPath: req.url ?? '', headers: req.headers, body },
        {
          lookup: (accessKeyId) =>
            accessKeyId === TEST_CREDENTIALS.accessKeyId
              ? { secretAccessKey: TEST_CREDENTIALS.secretAccessKey, sessionToken: TEST_CREDENTIALS.sessionToken, principalArn: TEST_ROLE_ARN, callerArn: `${TEST_ROLE_ARN}/session` }
              : undefined,
          now: options.now,
          region: 'us-east-1',
        },
      );
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: body.toString('utf8'), authenticated: verified.ok });
      if (!verified.ok) {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-ErrorType': verified.error.errorType }).end(verified.error.body);
        return;
      }
      if (req.url !== `/${stage}/execute`) {
        const missing = missingAuthenticationTokenAnswer();
        res.writeHead(missing.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': missing.errorType }).end(missing.body);
        return;
      }
      const answer = answers[Math.min(received.filter((r) => r.authenticated).length - 1, answers.length - 1)] as ScriptedAnswer;
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'application/json' }).end(answer < 300 ? '{"status":"accepted"}' : `{"message":"status ${answer}"}`);
    });
  });
  server.on('connection', () => void (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    stageUrl: `http://127.0.0.1:${port}/${stage}`,
    received,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
