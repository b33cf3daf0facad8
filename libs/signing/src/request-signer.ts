import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { defaultCredentials } from './default-credentials';
import { SigningConfigError, SigningError } from './errors';
import { WireSigner } from './wire-signer';

/** A request to sign. */
export interface SignableRequest {
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** The absolute URL; it is sent exactly as the WHATWG URL parser serialises it. */
  url: string | URL;
  /** Headers to send and sign. A `host` header is added from the URL unless one is given (any case). */
  headers?: Record<string, string>;
  /** The body (signed as UTF-8). */
  body?: string;
}

/** A signed request, ready to send. */
export interface SignedRequest {
  /** The HTTP method. */
  method: string;
  /** The URL to send to (a copy of the input). */
  url: URL;
  /**
   * Every header to send: the caller's, `host`, `x-amz-date`, `authorization`, and `x-amz-security-token` when the
   * credentials carry a session token.
   */
  headers: Record<string, string>;
  /** The body, unchanged. */
  body?: string;
}

/** How to build a {@link RequestSigner}. */
export interface RequestSignerOptions {
  /** The SigV4 service name. Default `execute-api`. */
  service?: string;
  /** The region. Default: `process.env.AWS_REGION`, read once by the constructor. */
  region?: string;
  /** The credential provider, called on every signature. Default: {@link defaultCredentials}. */
  credentials?: AwsCredentialIdentityProvider;
}

const DEFAULT_SERVICE = 'execute-api';

/** Marks failures of the credential provider, to tell them apart from signing failures. */
class CredentialResolutionFailure extends Error {
  constructor(cause: unknown) {
    super('credential provider failed', { cause });
    this.name = 'CredentialResolutionFailure';
  }
}

/**
 * Signs HTTP requests with AWS Signature Version 4 (header signing) for one service and region, built on
 * `@smithy/signature-v4` with Node's crypto. The credential provider is called on every signature, so rotated or
 * refreshed credentials are used without a restart.
 *
 * The canonical URI is the URL's (already percent-encoded) path, normalised and URI-encoded again, as every service
 * except S3 requires; for `service: 's3'` the path is used as is and `x-amz-content-sha256` is signed.
 *
 * @example
 * const signer = new RequestSigner(); // execute-api, AWS_REGION, credentials from the environment or default chain
 * const signed = await signer.sign({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });
 */
export class RequestSigner {
  private readonly signer: WireSigner;

  /**
   * @param options - service, region and credential provider
   * @throws SigningConfigError naming `AWS_REGION` when neither `options.region` nor `AWS_REGION` gives a region
   */
  constructor(options: RequestSignerOptions = {}) {
    const region = options.region ?? process.env['AWS_REGION'];
    if (!region) {
      const problem = 'is not set and no region option was given: SigV4 signing needs a region';
      throw new SigningConfigError(['AWS_REGION'], problem);
    }
    const service = options.service ?? DEFAULT_SERVICE;
    const provider = options.credentials ?? defaultCredentials();
    this.signer = new WireSigner({
      service,
      region,
      credentials: async () => {
        let credentials: Awaited<ReturnType<AwsCredentialIdentityProvider>>;
        try {
          credentials = await provider();
        } catch (error) {
          throw new CredentialResolutionFailure(error);
        }
        if (typeof credentials?.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string') {
          const problem = new TypeError('the credential provider returned no access key id and secret key');
          throw new CredentialResolutionFailure(problem);
        }
        return credentials;
      },
      pathMode: service === 's3' ? 'as-is' : 'normalize',
      signBody: service === 's3',
    });
  }

  /**
   * Signs a request.
   *
   * @param request - method, absolute URL, headers and body
   * @param options - `signingDate`: the signing time (default: now)
   * @returns the request with its signed headers
   * @throws SigningError when the URL is invalid, the credentials cannot be resolved, or signing fails; the message
   *   names the request (method, origin, path) and never carries credential material; `cause` is chained
   */
  async sign(request: SignableRequest, options: { signingDate?: Date } = {}): Promise<SignedRequest> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (error) {
      throw new SigningError('cannot sign: the URL is not a valid absolute URL', { cause: error });
    }
    const headers: Record<string, string> = { ...request.headers };
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'host')) headers['host'] = url.host;
    const target = `${request.method} ${url.origin}${url.pathname}`;
    try {
      const signedHeaders = await this.signer.sign(
        { method: request.method, path: url.pathname, rawQuery: url.search.slice(1), headers, body: request.body },
        options.signingDate ? { signingDate: options.signingDate } : {},
      );
      const signed: SignedRequest = { method: request.method, url, headers: signedHeaders };
      if (request.body !== undefined) signed.body = request.body;
      return signed;
    } catch (error) {
      if (error instanceof CredentialResolutionFailure) {
        throw new SigningError(`cannot sign ${target}: AWS credentials could not be resolved`, { cause: error.cause });
      }
      throw new SigningError(`cannot sign ${target}: the signer failed`, { cause: error });
    }
  }
}
