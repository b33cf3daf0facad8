import { GetSecretValueCommand, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import type { ActivityTracker } from '../activity';
import { LOCAL_REGION } from '../constants';
import { startHttpServer, type LocalHttpServer } from '../http/server';
import type { HttpReply, HttpRequestData } from '../http/types';
import { headerValue, jsonReply } from '../http/types';
import type { LocalPrincipal } from '../iam/principals';

/**
 * The AWS Parameters and Secrets Lambda Extension of one function: `GET /secretsmanager/get?secretId=…` on localhost,
 * guarded by the `X-Aws-Parameters-Secrets-Token` header (which must equal the function's `AWS_SESSION_TOKEN`), with
 * a cache (default TTL 300 s, the extension's `SECRETS_MANAGER_TTL` default). On a cache miss it calls Secrets Manager
 * GetSecretValue through the local AWS endpoint with the function's own credentials (as the real extension calls
 * Secrets Manager with the execution role), and answers the GetSecretValue JSON.
 */

/** The extension's default cache TTL. */
export const DEFAULT_SECRETS_TTL_MS = 300_000;

/** Options of {@link startSecretsExtension}. */
export interface SecretsExtensionOptions {
  /** For errors and logs. */
  readonly functionName: string;
  /** The function's current execution role (its session token guards the endpoint; its keys sign the calls). */
  readonly principal: () => LocalPrincipal;
  /** The local AWS endpoint. */
  readonly awsEndpointUrl: string;
  /** Cache TTL; 0 disables the cache. */
  readonly ttlMs?: number;
  readonly activity?: ActivityTracker;
}

/** A running extension. */
export interface SecretsExtension {
  /** `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` of the function. */
  readonly port: number;
  /** Empties the cache (a new sandbox starts with an empty one). */
  resetCache(): void;
  close(): Promise<void>;
}

/**
 * The answer when the token header is missing or wrong. Inferred: the extension documents the header as required;
 * the status it answers without it is not captured, and 401 is the plain HTTP meaning.
 */
function unauthorized(): HttpReply {
  return { kind: 'respond', status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Unauthorized: missing or invalid X-Aws-Parameters-Secrets-Token header' };
}

/**
 * Starts the extension on a free loopback port (IPv4, and IPv6 `::1` when available, since clients use `localhost`).
 *
 * @param options - the function's identity and endpoint
 */
export async function startSecretsExtension(options: SecretsExtensionOptions): Promise<SecretsExtension> {
  const ttlMs = options.ttlMs ?? DEFAULT_SECRETS_TTL_MS;
  const cache = new Map<string, { body: string; expiresAt: number }>();
  let client: { client: SecretsManagerClient; accessKeyId: string } | undefined;

  const clientFor = (principal: LocalPrincipal): SecretsManagerClient => {
    if (client?.accessKeyId !== principal.accessKeyId) {
      client?.client.destroy();
      client = {
        accessKeyId: principal.accessKeyId,
        client: new SecretsManagerClient({
          region: LOCAL_REGION,
          endpoint: options.awsEndpointUrl,
          maxAttempts: 1,
          credentials: {
            accessKeyId: principal.accessKeyId,
            secretAccessKey: principal.secretAccessKey,
            ...(principal.sessionToken !== undefined ? { sessionToken: principal.sessionToken } : {}),
          },
        }),
      };
    }
    return client.client;
  };

  const handler = async (request: HttpRequestData): Promise<HttpReply> => {
    const principal = options.principal();
    const token = headerValue(request.headers, 'x-aws-parameters-secrets-token');
    if (token === undefined || principal.sessionToken === undefined || token !== principal.sessionToken) return unauthorized();
    if (request.method !== 'GET' || request.path !== '/secretsmanager/get') {
      return { kind: 'respond', status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `The local extension serves only GET /secretsmanager/get, not ${request.method} ${request.path}` };
    }
    const secretId = request.query.get('secretId');
    if (secretId === null || secretId === '') return { kind: 'respond', status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'secretId is required' };
    const versionId = request.query.get('versionId') ?? undefined;
    const versionStage = request.query.get('versionStage') ?? undefined;
    const key = JSON.stringify([secretId, versionId, versionStage]);
    const cached = cache.get(key);
    if (cached !== undefined && cached.expiresAt > Date.now()) return jsonReply(200, cached.body);

    try {
      const output = await clientFor(principal).send(
        new GetSecretValueCommand({ SecretId: secretId, ...(versionId ? { VersionId: versionId } : {}), ...(versionStage ? { VersionStage: versionStage } : {}) }),
      );
      const body = JSON.stringify({
        ARN: output.ARN,
        Name: output.Name,
        VersionId: output.VersionId,
        SecretString: output.SecretString,
        VersionStages: output.VersionStages,
        CreatedDate: output.CreatedDate === undefined ? undefined : output.CreatedDate.getTime() / 1000,
      });
      if (ttlMs > 0) cache.set(key, { body, expiresAt: Date.now() + ttlMs });
      return jsonReply(200, body);
    } catch (error) {
      if (error instanceof SecretsManagerServiceException) {
        return { kind: 'respond', status: error.$metadata.httpStatusCode ?? 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${error.name}: ${error.message}` };
      }
      return { kind: 'respond', status: 502, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `could not reach Secrets Manager: ${(error as Error).message}` };
    }
  };

  const server: LocalHttpServer = await startHttpServer({
    name: `secrets-extension ${options.functionName}`,
    port: 0,
    handler,
    alsoListenOn: '::1',
    ...(options.activity !== undefined ? { activity: options.activity } : {}),
  });
  return {
    port: server.port,
    resetCache: () => cache.clear(),
    close: async () => {
      client?.client.destroy();
      await server.close();
    },
  };
}
