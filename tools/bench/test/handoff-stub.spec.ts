import { request } from 'node:http';
import { RequestSigner } from '@slack-ai-app/signing';
import { type HandoffStub, startHandoffStub } from '../src/cold-start/handoff-stub';

const credentials = { accessKeyId: 'ASIATESTSTUB00000001', secretAccessKey: 'test/stub/secret', sessionToken: 'test-token' };

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function signedPost(url: string, service: string, signedWith = credentials): Promise<number> {
  const body = '{"event_id":"Ev1"}';
  const signer = new RequestSigner({ service, region: 'us-east-1', credentials: async () => signedWith });
  const signed = await signer.sign({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });
  return post(url, signed.headers, body);
}

describe('startHandoffStub', () => {
  let stub: HandoffStub;
  beforeAll(async () => {
    stub = await startHandoffStub({ credentials, region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:role/test' });
  });
  afterAll(() => stub.close());
  beforeEach(() => stub.take());

  it('accepts a signed POST /prod/execute with 202', async () => {
    expect(await signedPost(`${stub.stageUrl}execute`, 'execute-api')).toBe(202);
    expect(stub.take()).toEqual([{ route: 'execute-api', accepted: true, reason: undefined }]);
  });

  it('accepts a signed Lambda Invoke with 202', async () => {
    expect(await signedPost(`${stub.origin}/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Afn/invocations`, 'lambda')).toBe(202);
    expect(stub.take()).toEqual([{ route: 'lambda-invoke', accepted: true, reason: undefined }]);
  });

  it('refuses an unsigned request, a wrong key and a wrong service with 403', async () => {
    expect(await post(`${stub.stageUrl}execute`, {}, '{}')).toBe(403);
    expect(await signedPost(`${stub.stageUrl}execute`, 'execute-api', { ...credentials, accessKeyId: 'ASIAUNKNOWN000000001' })).toBe(403);
    expect(await signedPost(`${stub.stageUrl}execute`, 'lambda')).toBe(403);
    const seen = stub.take();
    expect(seen.map((r) => [r.route, r.accepted])).toEqual([
      ['execute-api', false],
      ['execute-api', false],
      ['execute-api', false],
    ]);
  });

  it('answers 404 on any other route', async () => {
    expect(await signedPost(`${stub.origin}/other`, 'execute-api')).toBe(404);
    expect(stub.take()).toEqual([{ route: 'unknown', accepted: false, reason: 'POST /other' }]);
  });
});
