/**
 * Typed errors of the SigV4 client. Each sets `name`, chains `cause`, and carries a message that is safe to log: it
 * never contains an AWS secret key, a session token or an `Authorization` header value.
 */

/**
 * A signed request could not be prepared: the URL is invalid, the body is not JSON-serialisable, the credential
 * provider failed or returned no usable credentials, or the signer itself failed. Nothing was sent.
 *
 * @example
 * try { await signer.sign(request) } catch (error) { if (error instanceof SigningError) log(error.message, error.cause) }
 */
export class SigningError extends Error {
  /**
   * @param message - what could not be done, without any credential material
   * @param options - `cause`: the underlying error (credential provider, URL parser, JSON serialiser, signer)
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigningError';
  }
}

/**
 * The signer cannot be built from its options and environment, e.g. no region: neither the `region` option nor the
 * `AWS_REGION` environment variable is set. Thrown by the `RequestSigner` constructor, at cold start.
 */
export class SigningConfigError extends Error {
  /** The environment variable(s) that would fix the problem, e.g. `['AWS_REGION']`. */
  readonly variables: readonly string[];

  /**
   * @param variables - the environment variable(s) at fault; named in the message
   * @param problem - what is wrong, e.g. `is not set and no region option was given`
   * @param options - optional `cause`
   */
  constructor(variables: readonly string[], problem: string, options?: { cause?: unknown }) {
    super(`${variables.join(' or ')} ${problem}`, options);
    this.name = 'SigningConfigError';
    this.variables = variables;
  }
}

/**
 * No complete response arrived within the caller's timeout. The timeout covers the whole exchange (connect, request,
 * response headers and body); the socket was destroyed. `cause` says which phase was still pending.
 */
export class RequestTimeoutError extends Error {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  /**
   * @param message - names the request (method, origin and path; never the query or headers)
   * @param timeoutMs - the timeout that elapsed
   * @param options - `cause`: an error naming the pending phase
   */
  constructor(message: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The exchange failed at the transport level before a complete response arrived: connection refused or reset, DNS
 * failure, TLS failure, or the connection closed mid-body. `code` is the Node error code when there is one.
 */
export class NetworkError extends Error {
  /** The Node.js error code, e.g. `ECONNREFUSED` or `ECONNRESET`, when the cause has one. */
  readonly code: string | undefined;

  /**
   * @param message - names the request (method, origin and path; never the query or headers) and the failure
   * @param options - `cause`: the socket or HTTP error; `code`: its Node.js error code
   */
  constructor(message: string, options: { cause?: unknown; code?: string | undefined }) {
    super(message, { cause: options.cause });
    this.name = 'NetworkError';
    this.code = options.code;
  }
}
