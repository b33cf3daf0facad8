import type { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { parseRawQuery } from './raw-query';
import { uriEncodePath } from './uri-encode';

/**
 * How the canonical URI is derived from the path on the wire:
 * - `normalize`: remove empty and dot segments, then URI-encode the wire path again (API Gateway, Lambda and every
 *   service except S3; the AWS suite's `normalize: true`);
 * - `encode`: URI-encode the wire path again without normalising it (the AWS suite's `normalize: false`);
 * - `as-is`: the wire path verbatim (S3).
 */
export type PathMode = 'normalize' | 'encode' | 'as-is';

/** A request as it will go on the wire, before signing. */
export interface WireRequest {
  /** The HTTP method. */
  method: string;
  /** The path exactly as it will be sent (already percent-encoded once). */
  path: string;
  /** The query exactly as it will be sent, without `?` (`''` for none). */
  rawQuery: string;
  /**
   * The headers to send and sign; must include `host`. Any `authorization`, `x-amz-date`, `date` and
   * `x-amz-security-token` given are replaced.
   */
  headers: Readonly<Record<string, string>>;
  /** The body, hashed as UTF-8. */
  body?: string;
}

/** How a {@link WireSigner} signs. */
export interface WireSignerConfig {
  /** The credential-scope service, e.g. `execute-api`. */
  service: string;
  /** The credential-scope region. */
  region: string;
  /** Called on every signature, so rotated credentials are used at once. */
  credentials: AwsCredentialIdentityProvider;
  /** How the canonical URI is derived from the wire path. */
  pathMode: PathMode;
  /** Whether to add and sign `x-amz-content-sha256` (the AWS suite's `sign_body`; S3). */
  signBody: boolean;
}

/** Per-request signing options. */
export interface WireSignOptions {
  /** The signing time. Default: now. */
  signingDate?: Date;
  /** Send `x-amz-security-token` without signing it (the AWS suite's `omit_session_token`). */
  omitSessionToken?: boolean;
}

const SESSION_TOKEN_HEADER = 'x-amz-security-token';

interface SmithyModules {
  SignatureV4: typeof import('@smithy/signature-v4').SignatureV4;
  HttpRequest: typeof import('@smithy/protocol-http').HttpRequest;
  Hash: typeof import('@smithy/hash-node').Hash;
}

let smithyModules: Promise<SmithyModules> | undefined;

function loadSmithy(): Promise<SmithyModules> {
  // Loaded on the first signature, not at import: @smithy/signature-v4 pulls in most of @smithy/core, which a Lambda
  // should not evaluate at cold start for the invocations that never sign anything.
  smithyModules ??= Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/protocol-http'),
    import('@smithy/hash-node'),
  ])
    .then(([sigv4, http, hash]) => ({ SignatureV4: sigv4.SignatureV4, HttpRequest: http.HttpRequest, Hash: hash.Hash }))
    .catch((error: unknown) => {
      smithyModules = undefined;
      throw error;
    });
  return smithyModules;
}

/**
 * SigV4 header signing on `@smithy/signature-v4` with Node's crypto, for a request described exactly as it goes on the
 * wire. `RequestSigner` uses it for URLs; the AWS test suite drives it directly with raw request lines that no URL
 * parser would keep (literal spaces, raw UTF-8, dot segments).
 */
export class WireSigner {
  private readonly config: WireSignerConfig;
  private signer: SignatureV4 | undefined;

  /** @param config - service, region, credential provider and canonicalisation rules */
  constructor(config: WireSignerConfig) {
    this.config = { ...config };
  }

  private create(modules: SmithyModules): SignatureV4 {
    const { Hash } = modules;
    return new modules.SignatureV4({
      service: this.config.service,
      region: this.config.region,
      credentials: this.config.credentials,
      sha256: class Sha256 extends Hash {
        constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
          super('sha256', secret);
        }
      },
      // smithy's uriEscapePath normalises and encodes (mode `normalize`) or takes the path verbatim; mode `encode` is
      // the second with a path encoded beforehand (see sign()).
      uriEscapePath: this.config.pathMode === 'normalize',
      applyChecksum: this.config.signBody,
    });
  }

  /**
   * Signs a request.
   *
   * @param request - the request as it will be sent
   * @param options - signing time, session-token placement
   * @returns every header to send: the caller's, plus `x-amz-date`, `authorization`, and `x-amz-security-token` when
   *   the credentials carry a session token (and `x-amz-content-sha256` when signing the body)
   * @throws Error for a query parameter named `__proto__`; otherwise whatever the credential provider or smithy throws
   */
  async sign(request: WireRequest, options: WireSignOptions = {}): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.toLowerCase() !== SESSION_TOKEN_HEADER) headers[name] = value;
    }
    const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    for (const [name, value] of parseRawQuery(request.rawQuery)) {
      // smithy's canonical query stores parameters in a plain object, so a `__proto__` parameter would be signed as
      // "[object Object]" and never verify; refuse it instead of sending a request that is bound to fail.
      if (name === '__proto__') throw new Error('a query parameter named "__proto__" cannot be signed');
      const existing = query[name];
      query[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    const modules = await loadSmithy();
    this.signer ??= this.create(modules);
    const signed = await this.signer.sign(
      new modules.HttpRequest({
        method: request.method,
        path: this.config.pathMode === 'encode' ? uriEncodePath(request.path) : request.path,
        query,
        headers,
        body: request.body,
      }),
      {
        signingDate: options.signingDate ?? new Date(),
        ...(options.omitSessionToken ? { unsignableHeaders: new Set([SESSION_TOKEN_HEADER]) } : {}),
      },
    );
    return { ...(signed.headers as Record<string, string>) };
  }
}
