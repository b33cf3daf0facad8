import { RequestSigner, type SignedRequest } from '@slack-ai-app/signing';
import type { LocalPrincipal } from '@slack-ai-app/local-stack';
import { recordSentCredential } from './collector';
import type { RawRequest } from './raw-http';

/**
 * SigV4-signed requests to the local stack, built with the workspace's own signer (`libs/signing`) and the local
 * principals' credentials, then turned into raw requests that a test may alter after signing.
 */

/** What to sign. */
export interface SignOptions {
  /** Absolute URL (`stack.urls.executeApi`, or a Lambda Invoke URL). */
  readonly url: string;
  /** The JSON body, sent exactly as this string. */
  readonly body: string;
  /** The principal whose keys sign. */
  readonly principal: LocalPrincipal;
  /** SigV4 service. @default 'execute-api' */
  readonly service?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Extra headers, signed. `content-type: application/json` is always added. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The signing time. @default now */
  readonly signingDate?: Date;
}

/**
 * Signs a JSON `POST`.
 *
 * @param options - URL, body, principal, service, headers, time
 * @returns the signed request (its `Authorization` value is recorded for the secrets scan)
 */
export async function signJsonPost(options: SignOptions): Promise<SignedRequest> {
  const { principal } = options;
  const signer = new RequestSigner({
    service: options.service ?? 'execute-api',
    region: options.region ?? 'us-east-1',
    credentials: async () => ({
      accessKeyId: principal.accessKeyId,
      secretAccessKey: principal.secretAccessKey,
      ...(principal.sessionToken === undefined ? {} : { sessionToken: principal.sessionToken }),
    }),
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      url: options.url,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)), ...options.headers },
      body: options.body,
    },
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  const authorization = Object.entries(signed.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  if (authorization !== undefined) recordSentCredential('authorization', authorization);
  return signed;
}

/**
 * The raw form of a signed request: target `path?query`, its headers in order, its body.
 *
 * @param signed - from {@link signJsonPost}
 */
export function rawOf(signed: SignedRequest): RawRequest {
  return {
    method: signed.method,
    target: `${signed.url.pathname}${signed.url.search}`,
    headers: Object.entries(signed.headers),
    ...(signed.body === undefined ? {} : { body: signed.body }),
  };
}

/** The port of a loopback URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}
