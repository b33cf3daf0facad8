import { createServer, type Server } from 'node:http';
import { verifySigV4Request } from '@slack-ai-app/aws-emulation';
import { forward } from '../../src/aws/bedrock';
import type { HttpRequestData } from '../../src/http/types';

/* The real-Bedrock mode: the local request is signed again with the host's credentials and forwarded unchanged. */

const REAL = { accessKeyId: 'AKIAREALUPSTREAM0001', secretAccessKey: 'real-secret-key' };

describe('forward (real Bedrock)', () => {
  let upstream: Server;
  let origin: string;
  const received: Array<{ ok: boolean; path: string; body: string; authorization: string | undefined }> = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        const verdict = await verifySigV4Request(
          { method: req.method ?? 'POST', rawPath: req.url ?? '/', headers: req.headers, body },
          { service: 'bedrock', region: 'us-east-1', lookup: (id) => (id === REAL.accessKeyId ? { secretAccessKey: REAL.secretAccessKey, principalArn: 'arn:aws:iam::111111111111:user/me', callerArn: 'arn:aws:iam::111111111111:user/me' } : undefined) },
        );
        received.push({ ok: verdict.ok, path: req.url ?? '', body: body.toString('utf8'), authorization: req.headers.authorization });
        res.writeHead(verdict.ok ? 200 : 403, { 'content-type': 'application/json', 'x-amzn-requestid': 'upstream-1' });
        res.end(verdict.ok ? '{"output":{"message":{"role":"assistant","content":[{"text":"from upstream"}]}},"stopReason":"end_turn"}' : verdict.error.body);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('signs the request again with the host credentials and returns the upstream answer', async () => {
    const body = '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}';
    const request: HttpRequestData = {
      method: 'POST',
      rawPath: '/model/us.anthropic.claude-x%3A0/converse',
      path: '/model/us.anthropic.claude-x%3A0/converse',
      query: new URLSearchParams(),
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=ASIALOCALEXECUTE0001/20240101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00' },
      body: Buffer.from(body),
      remoteAddress: '127.0.0.1',
    };
    const reply = await forward(request, { endpoint: origin, region: 'us-east-1', credentials: async () => REAL });
    expect(reply).toMatchObject({ kind: 'respond', status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'upstream-1' } });
    expect(reply.kind === 'respond' && JSON.parse(reply.body.toString())).toMatchObject({ stopReason: 'end_turn' });
    expect(received).toEqual([{ ok: true, path: '/model/us.anthropic.claude-x%3A0/converse', body, authorization: expect.stringContaining(`Credential=${REAL.accessKeyId}/`) }]);
  });

  it('answers 503 ServiceUnavailableException when Bedrock cannot be reached', async () => {
    const reply = await forward(
      { method: 'POST', rawPath: '/model/m/converse', path: '/model/m/converse', query: new URLSearchParams(), headers: {}, body: Buffer.from('{}'), remoteAddress: '127.0.0.1' },
      { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', credentials: async () => REAL, timeoutMs: 2000 },
    );
    expect(reply).toMatchObject({ kind: 'respond', status: 503, headers: { 'x-amzn-errortype': 'ServiceUnavailableException' } });
  });
});
