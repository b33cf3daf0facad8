import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultCredentials, readEnvironmentCredentials } from '../src/default-credentials';

const savedEnv = { ...process.env };
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

beforeEach(() => {
  for (const name of CREDENTIAL_VARIABLES) delete process.env[name];
});

afterEach(() => {
  process.env = { ...savedEnv };
});

describe('readEnvironmentCredentials', () => {
  it('reads the key pair, session token and expiration', () => {
    expect(
      readEnvironmentCredentials({
        AWS_ACCESS_KEY_ID: 'ASIAENV',
        AWS_SECRET_ACCESS_KEY: 'env-secret',
        AWS_SESSION_TOKEN: 'env-token',
        AWS_CREDENTIAL_EXPIRATION: '2024-01-02T04:00:00Z',
      }),
    ).toEqual({ accessKeyId: 'ASIAENV', secretAccessKey: 'env-secret', sessionToken: 'env-token', expiration: new Date('2024-01-02T04:00:00Z') });
  });

  it('omits an absent token and an unparseable expiration', () => {
    expect(readEnvironmentCredentials({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's', AWS_CREDENTIAL_EXPIRATION: 'soon' })).toEqual({
      accessKeyId: 'AKIAENV',
      secretAccessKey: 's',
    });
  });

  it.each([
    ['no variables', {}],
    ['only the key id', { AWS_ACCESS_KEY_ID: 'AKIAENV' }],
    ['an empty secret', { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: '' }],
  ])('returns undefined for %s', (_what, env) => {
    expect(readEnvironmentCredentials(env)).toBeUndefined();
  });
});

describe('defaultCredentials', () => {
  it('re-reads the environment on every call (rotation without restart)', async () => {
    const provider = defaultCredentials();
    process.env['AWS_ACCESS_KEY_ID'] = 'ASIAFIRST';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'first-secret';
    process.env['AWS_SESSION_TOKEN'] = 'first-token';
    await expect(provider()).resolves.toEqual({ accessKeyId: 'ASIAFIRST', secretAccessKey: 'first-secret', sessionToken: 'first-token' });
    process.env['AWS_ACCESS_KEY_ID'] = 'ASIASECOND';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'second-secret';
    process.env['AWS_SESSION_TOKEN'] = 'second-token';
    await expect(provider()).resolves.toEqual({ accessKeyId: 'ASIASECOND', secretAccessKey: 'second-secret', sessionToken: 'second-token' });
  });

  it('falls back to the AWS default chain (shared credentials file) when the environment has no keys', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'signing-creds-'));
    try {
      const credentialsFile = path.join(dir, 'credentials');
      writeFileSync(credentialsFile, '[signing-test]\naws_access_key_id = AKIAFROMFILE\naws_secret_access_key = file-secret\n');
      process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentialsFile;
      process.env['AWS_CONFIG_FILE'] = path.join(dir, 'config-absent');
      process.env['AWS_PROFILE'] = 'signing-test';
      process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
      const provider = defaultCredentials();
      await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIAFROMFILE', secretAccessKey: 'file-secret' });
      // Environment keys, once present, win again on the very next call.
      process.env['AWS_ACCESS_KEY_ID'] = 'AKIAENV';
      process.env['AWS_SECRET_ACCESS_KEY'] = 'env-secret';
      await expect(provider()).resolves.toEqual({ accessKeyId: 'AKIAENV', secretAccessKey: 'env-secret' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
