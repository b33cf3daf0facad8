import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretFetchError } from '../src/errors';
import {
  createCachedSecretProvider,
  readSecretFromExtension,
  secretReaderFor,
  signingSecretFromSecretString,
} from '../src/signing-secret';
import { pinnedClock } from './support/fakes';

const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEFAKESESSIONTOKEN';

/** A stand-in for the Parameters and Secrets extension: real HTTP on 127.0.0.1, scripted answers. */
async function fakeExtension(answer: (url: string, headers: IncomingHttpHeaders) => { status: number; body: string } | 'hang' | 'reset') {
  const requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    const reply = answer(req.url ?? '', req.headers);
    if (reply === 'hang') return;
    if (reply === 'reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const getSecretValue = (secretString: string) =>
  JSON.stringify({
    ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:slack/signing-AbCdEf',
    Name: 'slack/signing',
    VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    SecretString: secretString,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: '2025-11-28T19:00:00.000Z',
  });

describe('readSecretFromExtension', () => {
  it('GETs /secretsmanager/get with the URL-encoded secret id and the session token header', async () => {
    const extension = await fakeExtension(() => ({ status: 200, body: getSecretValue('plain-signing-secret') }));
    try {
      const secret = await readSecretFromExtension({
        secretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:slack/signing-AbCdEf',
        port: extension.port,
        sessionToken: SESSION_TOKEN,
        host: '127.0.0.1',
      });
      expect(secret).toBe('plain-signing-secret');
      expect(extension.requests[0]?.url).toBe(
        '/secretsmanager/get?secretId=arn%3Aaws%3Asecretsmanager%3Aus-east-1%3A000000000000%3Asecret%3Aslack%2Fsigning-AbCdEf',
      );
      expect(extension.requests[0]?.headers['x-aws-parameters-secrets-token']).toBe(SESSION_TOKEN);
    } finally {
      await extension.close();
    }
  });

  it('reads a JSON secret holding signingSecret', async () => {
    const extension = await fakeExtension(() => ({ status: 200, body: getSecretValue('{"signingSecret":"from-json","other":"x"}') }));
    try {
      expect(await readSecretFromExtension({ secretId: 's', port: extension.port, sessionToken: SESSION_TOKEN, host: '127.0.0.1' })).toBe('from-json');
    } finally {
      await extension.close();
    }
  });

  it.each([
    [{ status: 400, body: '{"message":"not ready"}' }, 'the secrets extension answered HTTP 400'],
    [{ status: 200, body: 'not json plain-signing-secret' }, 'the secrets extension answered a body that is not JSON'],
    [{ status: 200, body: '{"Name":"x"}' }, 'the secrets extension answer has no SecretString'],
  ])('fails with SecretFetchError on %j', async (reply, message) => {
    const extension = await fakeExtension(() => reply);
    try {
      const failure = readSecretFromExtension({ secretId: 's', port: extension.port, sessionToken: SESSION_TOKEN, host: '127.0.0.1' });
      await expect(failure).rejects.toThrow(new SecretFetchError(message));
      await expect(failure).rejects.not.toThrow(/plain-signing-secret/);
    } finally {
      await extension.close();
    }
  });

  it('times out with SecretFetchError', async () => {
    const extension = await fakeExtension(() => 'hang');
    try {
      await expect(
        readSecretFromExtension({ secretId: 's', port: extension.port, sessionToken: SESSION_TOKEN, timeoutMs: 50, host: '127.0.0.1' }),
      ).rejects.toThrow('the secrets extension did not answer within 50 ms');
    } finally {
      await extension.close();
    }
  });

  it('fails with SecretFetchError naming the code when nothing listens', async () => {
    const extension = await fakeExtension(() => ({ status: 200, body: '' }));
    await extension.close();
    const error = await readSecretFromExtension({ secretId: 's', port: extension.port, sessionToken: SESSION_TOKEN, host: '127.0.0.1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretFetchError);
    expect((error as Error).message).toBe('could not reach the secrets extension (ECONNREFUSED)');
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(String((error as Error).cause)).not.toContain(SESSION_TOKEN);
  });

  it('refuses to call without AWS_SESSION_TOKEN', async () => {
    await expect(readSecretFromExtension({ secretId: 's', port: 1, sessionToken: undefined })).rejects.toThrow(
      'AWS_SESSION_TOKEN is not set; the secrets extension requires it',
    );
  });
});

describe('signingSecretFromSecretString', () => {
  it.each([
    ['plain', 'plain'],
    ['  padded  ', 'padded'],
    ['{"SLACK_SIGNING_SECRET":"upper"}', 'upper'],
    ['{"signing_secret":"snake"}', 'snake'],
    ['{"signingSecret":"first","SLACK_SIGNING_SECRET":"second"}', 'first'],
    ['12345', '12345'],
  ])('reads %j as %j', (secretString, expected) => {
    expect(signingSecretFromSecretString(secretString)).toBe(expected);
  });

  it.each(['{"password":"x"}', '', '   ', '{"signingSecret":""}'])('refuses %j without echoing it', (secretString) => {
    expect(() => signingSecretFromSecretString(secretString)).toThrow(SecretFetchError);
  });
});

describe('secretReaderFor', () => {
  it('reads SLACK_SIGNING_SECRET from the environment on each call', async () => {
    const env: Record<string, string | undefined> = { SLACK_SIGNING_SECRET: 'one' };
    const read = secretReaderFor({ kind: 'environment' }, env);
    expect(await read()).toBe('one');
    env['SLACK_SIGNING_SECRET'] = undefined;
    await expect(read()).rejects.toThrow('SLACK_SIGNING_SECRET is not set');
  });

  it('reads through the extension, with AWS_SESSION_TOKEN from the environment', async () => {
    const extension = await fakeExtension((_url, headers) =>
      headers['x-aws-parameters-secrets-token'] === SESSION_TOKEN ? { status: 200, body: getSecretValue('via-extension') } : { status: 403, body: '{}' },
    );
    try {
      // The default host is localhost; the fake listens on 127.0.0.1, which localhost reaches.
      const read = secretReaderFor({ kind: 'secrets-manager', secretId: 'slack/signing', extensionPort: extension.port }, { AWS_SESSION_TOKEN: SESSION_TOKEN });
      expect(await read()).toBe('via-extension');
    } finally {
      await extension.close();
    }
  });
});

describe('secretReaderFor, when the extension fails', () => {
  const source = (port: number) => ({ kind: 'secrets-manager' as const, secretId: 'slack/signing', extensionPort: port });

  it('tries once more after a dropped connection (a cold container on a busy host), and then reads the secret', async () => {
    let calls = 0;
    const extension = await fakeExtension(() => (++calls === 1 ? 'reset' : { status: 200, body: getSecretValue('second-try') }));
    try {
      await expect(secretReaderFor(source(extension.port), { AWS_SESSION_TOKEN: SESSION_TOKEN })()).resolves.toBe('second-try');
      expect(extension.requests).toHaveLength(2);
    } finally {
      await extension.close();
    }
  });

  it('tries at most twice', async () => {
    const extension = await fakeExtension(() => 'reset');
    try {
      const error = await secretReaderFor(source(extension.port), { AWS_SESSION_TOKEN: SESSION_TOKEN })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretFetchError);
      expect(error).toMatchObject({ transient: true });
      expect(extension.requests).toHaveLength(2);
    } finally {
      await extension.close();
    }
  });

  it('does not retry a refusal', async () => {
    const extension = await fakeExtension(() => ({ status: 403, body: '{}' }));
    try {
      const error = await secretReaderFor(source(extension.port), { AWS_SESSION_TOKEN: SESSION_TOKEN })().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'SecretFetchError', transient: false, message: 'the secrets extension answered HTTP 403' });
      expect(extension.requests).toHaveLength(1);
    } finally {
      await extension.close();
    }
  });
});

describe('createCachedSecretProvider', () => {
  it('reads once for the container and shares a read in flight', async () => {
    const clock = pinnedClock(0);
    let reads = 0;
    const provider = createCachedSecretProvider(async () => `secret-${++reads}`, { now: clock.now });
    const [a, b] = await Promise.all([provider.get(), provider.get()]);
    expect([a, b, await provider.get()]).toEqual(['secret-1', 'secret-1', 'secret-1']);
    expect(reads).toBe(1);
  });

  it('does not cache a failed read', async () => {
    let reads = 0;
    const provider = createCachedSecretProvider(
      async () => {
        reads += 1;
        if (reads === 1) throw new SecretFetchError('down');
        return 'up';
      },
      { now: () => 0 },
    );
    await expect(provider.get()).rejects.toThrow('down');
    expect(await provider.get()).toBe('up');
  });

  it('re-reads on refresh at most once per cooldown, then serves the new value', async () => {
    const clock = pinnedClock(1_000);
    const values = ['old', 'new', 'newer'];
    let reads = 0;
    const provider = createCachedSecretProvider(async () => values[reads++] as string, { now: clock.now, refreshCooldownMs: 10_000 });
    expect(await provider.get()).toBe('old');
    clock.advance(10_000);
    expect(await provider.refresh()).toBe('new');
    expect(await provider.get()).toBe('new');
    clock.advance(9_999);
    expect(await provider.refresh()).toBeUndefined();
    clock.advance(1);
    expect(await provider.refresh()).toBe('newer');
  });

  it('keeps the cached value when a refresh fails', async () => {
    const clock = pinnedClock(0);
    let reads = 0;
    const provider = createCachedSecretProvider(
      async () => {
        reads += 1;
        if (reads === 2) throw new SecretFetchError('extension down');
        return 'cached';
      },
      { now: clock.now, refreshCooldownMs: 0 },
    );
    expect(await provider.get()).toBe('cached');
    await expect(provider.refresh()).rejects.toThrow('extension down');
    expect(await provider.get()).toBe('cached');
  });

  it('refuses an empty secret', async () => {
    const provider = createCachedSecretProvider(async () => '', { now: () => 0 });
    await expect(provider.get()).rejects.toThrow('the signing secret is empty');
  });
});
