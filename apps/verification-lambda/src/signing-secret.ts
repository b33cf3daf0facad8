import { request as httpRequest } from 'node:http';
import type { Environment, SigningSecretSource } from './config';
import { SecretFetchError } from './errors';

/** Supplies the Slack signing secret, cached for the container's life. */
export interface SigningSecretProvider {
  /**
   * Returns the cached secret, reading it on first use. Concurrent callers share one read; a failed read is not cached.
   *
   * @throws {@link SecretFetchError} when it cannot be read
   */
  get(): Promise<string>;
  /**
   * Re-reads the secret after a signature failed, so that a rotated secret is picked up. Re-reads at most once per
   * cooldown (so a flood of forged requests cannot turn into a flood of reads).
   *
   * @returns the freshly read secret, or `undefined` when the cooldown skipped the re-read
   * @throws {@link SecretFetchError} when the re-read fails (the cached value is kept)
   */
  refresh(): Promise<string | undefined>;
}

/** Options of {@link createCachedSecretProvider}. */
export interface CachedSecretProviderOptions {
  /** Clock, epoch milliseconds. */
  readonly now: () => number;
  /** Minimum time between re-reads triggered by {@link SigningSecretProvider.refresh}. @default 10_000 */
  readonly refreshCooldownMs?: number;
}

/** Default {@link CachedSecretProviderOptions.refreshCooldownMs}. */
export const DEFAULT_REFRESH_COOLDOWN_MS = 10_000;

/**
 * Wraps a secret reader in a container-lifetime cache with a rate-limited refresh.
 *
 * @param read - reads the secret from its source
 * @param options - clock and refresh cooldown
 */
export function createCachedSecretProvider(read: () => Promise<string>, options: CachedSecretProviderOptions): SigningSecretProvider {
  const cooldownMs = options.refreshCooldownMs ?? DEFAULT_REFRESH_COOLDOWN_MS;
  let cached: string | undefined;
  let lastReadAt: number | undefined;
  let inFlight: Promise<string> | undefined;

  const readOnce = (): Promise<string> => {
    inFlight ??= (async () => {
      try {
        const secret = await read();
        if (secret === '') throw new SecretFetchError('the signing secret is empty');
        cached = secret;
        return secret;
      } finally {
        lastReadAt = options.now();
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    get: async () => cached ?? readOnce(),
    refresh: async () => {
      if (inFlight !== undefined) return inFlight;
      if (lastReadAt !== undefined && options.now() - lastReadAt < cooldownMs) return undefined;
      return readOnce();
    },
  };
}

/** Options of {@link readSecretFromExtension}. */
export interface ExtensionReadOptions {
  /** Secrets Manager name or ARN. */
  readonly secretId: string;
  /** The extension's port (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, default 2773). */
  readonly port: number;
  /** `AWS_SESSION_TOKEN` of the function, which the extension requires as `X-Aws-Parameters-Secrets-Token`. */
  readonly sessionToken: string | undefined;
  /** Request timeout. @default 1000 */
  readonly timeoutMs?: number;
  /** @default 'localhost' */
  readonly host?: string;
}

const MAX_EXTENSION_RESPONSE_BYTES = 64 * 1024;

/**
 * Reads a secret through the AWS Parameters and Secrets Lambda Extension:
 * `GET http://localhost:{port}/secretsmanager/get?secretId={id}` with `X-Aws-Parameters-Secrets-Token`. The extension
 * answers the GetSecretValue JSON; its `SecretString` is passed to {@link signingSecretFromSecretString}. No AWS SDK
 * client is loaded.
 *
 * @param options - secret id, port, session token, timeout
 * @returns the signing secret
 * @throws {@link SecretFetchError} on a missing token, a connection error, a timeout, a non-200 answer or a bad body
 */
export function readSecretFromExtension(options: ExtensionReadOptions): Promise<string> {
  const { secretId, port, sessionToken, timeoutMs = 1000, host = 'localhost' } = options;
  if (sessionToken === undefined || sessionToken === '') {
    return Promise.reject(new SecretFetchError('AWS_SESSION_TOKEN is not set; the secrets extension requires it'));
  }
  return new Promise<string>((resolve, reject) => {
    const req = httpRequest(
      {
        host,
        port,
        method: 'GET',
        path: `/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`,
        headers: { 'X-Aws-Parameters-Secrets-Token': sessionToken },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_EXTENSION_RESPONSE_BYTES) {
            req.destroy(new SecretFetchError(`the secrets extension answered more than ${MAX_EXTENSION_RESPONSE_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error) => reject(asFetchError(error)));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new SecretFetchError(`the secrets extension answered HTTP ${res.statusCode ?? 'unknown'}`));
            return;
          }
          try {
            resolve(secretStringOf(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(asFetchError(error));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new SecretFetchError(`the secrets extension did not answer within ${timeoutMs} ms`, { transient: true })));
    req.on('error', (error) => reject(asFetchError(error)));
    req.end();
  });
}

/**
 * Extracts the signing secret from a `SecretString`: either the plain secret, or a JSON object holding it under
 * `signingSecret`, `SLACK_SIGNING_SECRET` or `signing_secret` (first present wins).
 *
 * @param secretString - the secret's `SecretString`
 * @throws {@link SecretFetchError} when a JSON object holds none of those keys, or the value is empty
 */
export function signingSecretFromSecretString(secretString: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    for (const key of SECRET_JSON_KEYS) {
      const candidate = record[key];
      if (typeof candidate === 'string' && candidate !== '') return candidate;
    }
    throw new SecretFetchError(`the secret is a JSON object without a non-empty ${SECRET_JSON_KEYS.join(', ')} key`);
  }
  const plain = secretString.trim();
  if (plain === '') throw new SecretFetchError('the secret is empty');
  return plain;
}

/** The keys looked up when the secret is a JSON object, in order. */
export const SECRET_JSON_KEYS = ['signingSecret', 'SLACK_SIGNING_SECRET', 'signing_secret'] as const;

/**
 * Builds the reader for the configured source: the extension for `SLACK_SIGNING_SECRET_ARN`, or the plain
 * `SLACK_SIGNING_SECRET` variable (read from `env` on each call, so nothing is copied at cold start).
 *
 * @param source - from the configuration
 * @param env - the environment, usually `process.env` (for `AWS_SESSION_TOKEN` and `SLACK_SIGNING_SECRET`)
 */
export function secretReaderFor(source: SigningSecretSource, env: Environment): () => Promise<string> {
  if (source.kind === 'environment') {
    return async () => {
      const secret = env['SLACK_SIGNING_SECRET']?.trim();
      if (secret === undefined || secret === '') throw new SecretFetchError('SLACK_SIGNING_SECRET is not set');
      return secret;
    };
  }
  const read = () => readSecretFromExtension({ secretId: source.secretId, port: source.extensionPort, sessionToken: env['AWS_SESSION_TOKEN'] });
  return async () => {
    try {
      return await read();
    } catch (error) {
      // A new container on a busy host can miss its first read (the extension starts with the sandbox). One more try
      // beats failing closed with a 401 that only makes Slack send the event again. Refusals are not retried.
      if (error instanceof SecretFetchError && error.transient) return read();
      throw error;
    }
  };
}

function secretStringOf(responseBody: string): string {
  let response: unknown;
  try {
    response = JSON.parse(responseBody);
  } catch {
    // No `cause`: V8's SyntaxError quotes the text it failed on, which may hold the secret.
    throw new SecretFetchError('the secrets extension answered a body that is not JSON');
  }
  const secretString = typeof response === 'object' && response !== null ? (response as Record<string, unknown>)['SecretString'] : undefined;
  if (typeof secretString !== 'string') throw new SecretFetchError('the secrets extension answer has no SecretString');
  return signingSecretFromSecretString(secretString);
}

function asFetchError(error: unknown): SecretFetchError {
  if (error instanceof SecretFetchError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'unknown';
  return new SecretFetchError(`could not reach the secrets extension (${code})`, { cause: error, transient: true });
}
