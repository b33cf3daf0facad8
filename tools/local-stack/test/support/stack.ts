import { request as httpRequest } from 'node:http';
import { RequestSigner } from '@slack-ai-app/signing';
import { LOCAL_KEYS, startLocalStack, type LocalStack, type LocalStackOptions, type PrincipalName } from '../../src';

/**
 * Starts a stack for tests: free ports, no model latency, short async retry delays, quiet errors collected instead of
 * printed.
 *
 * @param options - overrides
 */
export async function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack & { internalErrors: unknown[] }> {
  const internalErrors: unknown[] = [];
  const stack = await startLocalStack({
    ports: { slack: 0, slackApi: 0, aws: 0 },
    modelLatencyMs: 0,
    asyncRetryDelaysMs: [20, 40],
    onInternalError: (error) => internalErrors.push(error),
    ...options,
  });
  return Object.assign(stack, { internalErrors });
}

/** A raw HTTP response. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * Sends one HTTP request exactly as given (no client library adding or changing headers).
 *
 * @param url - absolute URL
 * @param init - method, headers, body
 */
export function rawRequest(url: string | URL, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const body = init.body ?? '';
    const req = httpRequest(
      url,
      { method: init.method ?? 'GET', headers: { ...init.headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A SigV4 signer (libs/signing's client) for a local principal.
 *
 * @param principal - which local principal signs
 * @param service - the signing name
 */
export function signerFor(principal: PrincipalName, service = 'execute-api'): RequestSigner {
  const p = LOCAL_KEYS[principal];
  return new RequestSigner({
    service,
    region: 'us-east-1',
    credentials: async () => ({ accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey, ...(p.sessionToken ? { sessionToken: p.sessionToken } : {}) }),
  });
}

/**
 * Signs a JSON POST and sends it; `tamper` replaces the body after signing.
 *
 * @param url - target
 * @param body - the JSON text that is signed
 * @param options - who signs, when, and a body swapped in after signing
 */
export async function signedPost(
  url: string,
  body: string,
  options: { principal?: PrincipalName; signingDate?: Date; tamper?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const signed = await signerFor(options.principal ?? 'verification').sign(
    { method: 'POST', url, headers: { 'content-type': 'application/json', ...options.headers }, body },
    options.signingDate === undefined ? undefined : { signingDate: options.signingDate },
  );
  return rawRequest(signed.url, { method: 'POST', headers: signed.headers, body: options.tamper ?? body });
}

/** A valid ExecutionRequest for the local workspace. */
export function executionRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'C0LOCAL0001',
    text: 'hello from a test',
    user_id: 'U0LOCALUSER',
    team_id: 'T0LOCAL0001',
    event_id: 'EvTEST000001',
    correlation_id: 'test-correlation-1',
    ...overrides,
  };
}

/** The local credentials of a principal, for SDK clients. */
export function credentialsOf(principal: PrincipalName): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  const p = LOCAL_KEYS[principal];
  return { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey, ...(p.sessionToken ? { sessionToken: p.sessionToken } : {}) };
}
