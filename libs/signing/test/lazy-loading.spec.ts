/**
 * Cold-start cost: importing the library must evaluate neither @smithy/signature-v4 (most of @smithy/core) nor the AWS
 * default credential chain. Each is wrapped here in a module factory that records when it is loaded (jest runs a
 * factory on first require only) and then hands out the real module, so signing still really happens.
 */
const mockLoads: string[] = [];
const mockChainCalls: string[] = [];

jest.mock('@smithy/signature-v4', () => {
  mockLoads.push('@smithy/signature-v4');
  return jest.requireActual('@smithy/signature-v4');
});

jest.mock('@aws-sdk/credential-provider-node', () => {
  mockLoads.push('@aws-sdk/credential-provider-node');
  return {
    defaultProvider: () => async () => {
      mockChainCalls.push('chain');
      return { accessKeyId: 'AKIACHAIN', secretAccessKey: 'chain-secret' };
    },
  };
});

const savedEnv = { ...process.env };

afterEach(() => {
  process.env = { ...savedEnv };
});

describe('lazy loading', () => {
  it('loads nothing heavy on import, smithy on the first signature, and never the chain while the environment has keys', async () => {
    const { RequestSigner } = await import('../src/index');
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAENV';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'env-secret';
    const signer = new RequestSigner({ region: 'us-east-1' });
    expect(mockLoads).toEqual([]);

    const signed = await signer.sign({ method: 'GET', url: 'https://example.com/' });
    expect(signed.headers['authorization']).toContain('Credential=AKIAENV/');
    await signer.sign({ method: 'GET', url: 'https://example.com/' });
    expect(mockLoads).toEqual(['@smithy/signature-v4']);
  });

  it('loads the default chain once, on first need, and asks it on every call', async () => {
    const { defaultCredentials } = await import('../src/default-credentials');
    delete process.env['AWS_ACCESS_KEY_ID'];
    delete process.env['AWS_SECRET_ACCESS_KEY'];
    const provider = defaultCredentials();
    await expect(provider()).resolves.toEqual({ accessKeyId: 'AKIACHAIN', secretAccessKey: 'chain-secret' });
    await expect(provider()).resolves.toEqual({ accessKeyId: 'AKIACHAIN', secretAccessKey: 'chain-secret' });
    expect(mockLoads.filter((name) => name === '@aws-sdk/credential-provider-node')).toEqual(['@aws-sdk/credential-provider-node']);
    expect(mockChainCalls).toEqual(['chain', 'chain']);
  });
});

export {};
