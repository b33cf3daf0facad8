/** A failed lazy load (default chain, smithy) is not remembered: the next call tries again. */
let mockChainAttempts = 0;
let mockSmithyAttempts = 0;

jest.mock('@aws-sdk/credential-provider-node', () => {
  mockChainAttempts += 1;
  if (mockChainAttempts === 1) throw new Error('cannot load the default chain');
  return { defaultProvider: () => async () => ({ accessKeyId: 'AKIACHAIN', secretAccessKey: 'chain-secret' }) };
});

jest.mock('@smithy/signature-v4', () => {
  mockSmithyAttempts += 1;
  if (mockSmithyAttempts === 1) throw new Error('cannot load smithy');
  return jest.requireActual('@smithy/signature-v4');
});

const savedEnv = { ...process.env };

afterEach(() => {
  process.env = { ...savedEnv };
});

it('retries loading the default chain after a failed load', async () => {
  const { defaultCredentials } = await import('../src/default-credentials');
  delete process.env['AWS_ACCESS_KEY_ID'];
  delete process.env['AWS_SECRET_ACCESS_KEY'];
  const provider = defaultCredentials();
  await expect(provider()).rejects.toThrow('cannot load the default chain');
  await expect(provider()).resolves.toEqual({ accessKeyId: 'AKIACHAIN', secretAccessKey: 'chain-secret' });
  expect(mockChainAttempts).toBe(2);
});

it('retries loading smithy after a failed load', async () => {
  const { RequestSigner, SigningError } = await import('../src/index');
  const signer = new RequestSigner({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'A', secretAccessKey: 'B' }) });
  const error = await signer.sign({ method: 'GET', url: 'https://example.com/' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SigningError);
  expect((error as Error).cause).toMatchObject({ message: 'cannot load smithy' });
  await expect(signer.sign({ method: 'GET', url: 'https://example.com/' })).resolves.toHaveProperty('headers.authorization');
  expect(mockSmithyAttempts).toBe(2);
});

export {};
