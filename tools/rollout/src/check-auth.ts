import * as http from 'node:http';
import * as https from 'node:https';
import { EXECUTION_API_PATH } from '@slack-ai-app/execution-api-contract';
import { postSignedJson, RequestSigner, type RequestSignerOptions } from '@slack-ai-app/signing';
import { CheckAuthError, describeError } from './errors';

/**
 * The probe body. It is not a valid ExecutionRequest, so even an API that wrongly admitted the caller would answer 400
 * from its request validator and never start the execution Lambda.
 */
export const PROBE_BODY: Readonly<Record<string, unknown>> = Object.freeze({ rollout_check_auth: true });

/** A credential provider, as the signer takes it. */
export type CredentialProvider = NonNullable<RequestSignerOptions['credentials']>;

/** Options of {@link checkAuth}. */
export interface CheckAuthOptions {
  /** The `ExecutionApiUrl` output (stage URL, `…/prod/`) or the full `…/prod/execute` URL. */
  readonly url: string;
  /** Region to sign for. @default the region in an `execute-api.<region>.amazonaws.com` host */
  readonly region?: string;
  /** The caller's own credentials (not the verification role's). */
  readonly credentials: CredentialProvider;
  /** Budget per request. @default 10 000 ms */
  readonly timeoutMs?: number;
}

/** One of the two probes. */
export interface AuthProbeResult {
  /** `unsigned`: no SigV4 at all; `caller_signed`: signed by the caller's own credentials. */
  readonly probe: 'unsigned' | 'caller_signed';
  /** Whether the API answered as it must. */
  readonly pass: boolean;
  /** The HTTP status. */
  readonly status: number;
  /** `x-amzn-ErrorType` up to its first `:`, when present. */
  readonly errorType: string | undefined;
  /** The `message` / `Message` of the JSON body, when present. */
  readonly message: string | undefined;
  /** One plain sentence: what was expected and what it means. */
  readonly verdict: string;
}

/** What {@link checkAuth} found. */
export interface CheckAuthReport {
  /** The URL probed. */
  readonly url: string;
  /** Both probes passed. */
  readonly pass: boolean;
  /** The two probes, unsigned first. */
  readonly probes: readonly AuthProbeResult[];
}

/**
 * The URL of `POST /execute` for an `ExecutionApiUrl` (stage URL), or the URL itself when it already ends in `/execute`.
 *
 * @param url - stage URL or method URL
 * @returns the method URL
 * @throws CheckAuthError when the URL is not an absolute http(s) URL
 */
export function executeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new CheckAuthError(`"${url}" is not an absolute URL`, { cause: error });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new CheckAuthError(`"${url}" is not an http(s) URL`);
  }
  if (!parsed.pathname.replace(/\/+$/, '').endsWith(`/${EXECUTION_API_PATH}`)) {
    parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/${EXECUTION_API_PATH}`;
  }
  return parsed.toString();
}

/**
 * The region of an `https://<id>.execute-api.<region>.amazonaws.com/…` URL.
 *
 * @param url - an execute-api URL
 * @returns the region, or undefined for any other host
 */
export function regionFromExecuteApiUrl(url: string): string | undefined {
  return /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname)?.[1];
}

function errorTypeOf(headers: Record<string, string>): string | undefined {
  const value = headers['x-amzn-errortype'];
  return value === undefined ? undefined : (value.split(':')[0] as string).trim();
}

function messageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const message = parsed.message ?? parsed.Message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Judges the unsigned probe: it must be refused with 403 (API Gateway's MissingAuthenticationTokenException).
 *
 * @param status - the status
 * @param errorType - the error type header, if any
 * @param message - the body's message, if any
 * @returns the probe result
 */
export function judgeUnsigned(status: number, errorType: string | undefined, message: string | undefined): AuthProbeResult {
  const pass = status === 403;
  return {
    probe: 'unsigned',
    pass,
    status,
    errorType,
    message,
    verdict: pass
      ? `refused with 403${errorType ? ` ${errorType}` : ''}: unsigned requests cannot call the API`
      : `expected 403, got ${status}: the method accepts requests without SigV4; its authorization must be AWS_IAM`,
  };
}

/**
 * Judges the probe signed by the caller: it must be refused with 403 AccessDeniedException by an explicit deny, which
 * proves the resource policy's Deny for every principal other than the verification role. A 403 for another reason
 * (rejected credentials, or an implicit deny) proves nothing about the Deny and fails the check.
 *
 * @param status - the status
 * @param errorType - the error type header, if any
 * @param message - the body's message, if any
 * @returns the probe result
 */
export function judgeCallerSigned(status: number, errorType: string | undefined, message: string | undefined): AuthProbeResult {
  const base = { probe: 'caller_signed' as const, status, errorType, message };
  if (status !== 403) {
    return {
      ...base,
      pass: false,
      verdict:
        `expected 403, got ${status}: the API let a principal other than the verification role through; ` +
        'the resource policy\u2019s explicit Deny is missing, or these credentials are the verification role\u2019s',
    };
  }
  if (errorType !== 'AccessDeniedException') {
    return {
      ...base,
      pass: false,
      verdict:
        `403 ${errorType ?? 'without an error type'}: your credentials were rejected before the resource policy was ` +
        'evaluated, so the Deny is not proven; refresh your credentials and run again',
    };
  }
  if (!/with an explicit deny/i.test(message ?? '')) {
    return {
      ...base,
      pass: false,
      verdict:
        '403 AccessDeniedException without "explicit deny": an implicit deny (your identity has no execute-api:Invoke ' +
        'allow), so the resource policy\u2019s Deny is not proven; run with credentials allowed execute-api:Invoke',
    };
  }
  return {
    ...base,
    pass: true,
    verdict: 'refused with 403 AccessDeniedException by an explicit deny: only the verification role can call the API',
  };
}

function agentFor(url: string): http.Agent {
  return url.startsWith('https:') ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
}

async function postUnsigned(url: string, timeoutMs: number): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const payload = JSON.stringify(PROBE_BODY);
  const transport = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent: agentFor(url),
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * The runbook's verification of the execution API's access control, against the deployed API: an unsigned `POST
 * /execute` must get 403, and a `POST /execute` signed with the caller's own credentials (which are not the
 * verification role's) must get 403 from the resource policy's explicit Deny. The probe body is invalid on purpose
 * ({@link PROBE_BODY}).
 *
 * @param options - URL, region, the caller's credentials, timeout
 * @returns both probes' results
 * @throws CheckAuthError when a request cannot be completed (network, timeout, credentials, no region)
 */
export async function checkAuth(options: CheckAuthOptions): Promise<CheckAuthReport> {
  const url = executeUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const region = options.region ?? regionFromExecuteApiUrl(url);
  if (!region) throw new CheckAuthError(`cannot tell the region from ${new URL(url).host}; pass --region`);

  let unsigned;
  try {
    unsigned = await postUnsigned(url, timeoutMs);
  } catch (error) {
    throw new CheckAuthError(`the unsigned POST to ${url} failed: ${describeError(error)}`, { cause: error });
  }
  let signed;
  try {
    const signer = new RequestSigner({ region, credentials: options.credentials });
    signed = await postSignedJson({ url, body: PROBE_BODY, signer, timeoutMs, agent: agentFor(url) });
  } catch (error) {
    throw new CheckAuthError(`the signed POST to ${url} failed: ${describeError(error)}`, { cause: error });
  }
  const probes = [
    judgeUnsigned(unsigned.status, errorTypeOf(unsigned.headers), messageOf(unsigned.body)),
    judgeCallerSigned(signed.status, errorTypeOf(signed.headers), messageOf(signed.body)),
  ];
  return { url, pass: probes.every((probe) => probe.pass), probes };
}
