import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * The credential provider the signer uses by default.
 *
 * On every call it first reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, when set, `AWS_SESSION_TOKEN` (and
 * `AWS_CREDENTIAL_EXPIRATION`) afresh from `process.env`: this is how Lambda supplies the execution role's
 * credentials, and re-reading picks up rotated values without a restart. Only when those two variables are not both
 * set does it load `@aws-sdk/credential-provider-node` (the AWS default chain: SSO, web identity, shared files,
 * process, container and instance metadata), once, on first need, so a Lambda never pays for it at cold start. The
 * chain's provider is memoised and refreshes credentials shortly before they expire.
 *
 * @returns a provider; each call resolves to the current credentials or rejects with the chain's error
 * @example
 * const signer = new RequestSigner({ credentials: defaultCredentials() }); // the same as new RequestSigner()
 */
export function defaultCredentials(): AwsCredentialIdentityProvider {
  let chain: Promise<AwsCredentialIdentityProvider> | undefined;
  return async () => {
    const fromEnvironment = readEnvironmentCredentials(process.env);
    if (fromEnvironment) return fromEnvironment;
    chain ??= loadDefaultChain().catch((error: unknown) => {
      // A failed load must not be remembered; a failed credential lookup is the chain's own business.
      chain = undefined;
      throw error;
    });
    const provider = await chain;
    return provider();
  };
}

async function loadDefaultChain(): Promise<AwsCredentialIdentityProvider> {
  // Loaded lazily: the default chain pulls in SSO, STS, INI and IMDS code that env-credential runtimes never use.
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider();
}

/**
 * Reads credentials from environment variables.
 *
 * @param env - the environment, e.g. `process.env`
 * @returns the credentials, or `undefined` unless both `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are non-empty
 */
export function readEnvironmentCredentials(env: NodeJS.ProcessEnv): AwsCredentialIdentity | undefined {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env['AWS_SESSION_TOKEN'];
  const expiration = env['AWS_CREDENTIAL_EXPIRATION'] ? new Date(env['AWS_CREDENTIAL_EXPIRATION']) : undefined;
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiration && !Number.isNaN(expiration.getTime()) ? { expiration } : {}),
  };
}
