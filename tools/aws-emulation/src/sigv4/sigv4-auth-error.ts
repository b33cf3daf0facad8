/** Why a request failed SigV4 authentication; stable values for logs, metrics and tests. */
export type SigV4AuthFailureReason =
  | 'missing_token'
  | 'incomplete_signature'
  | 'invalid_signature'
  | 'signature_expired'
  | 'signature_not_yet_current'
  | 'unrecognized_key';

/**
 * A request failed SigV4 authentication, described as API Gateway (REST API, `AWS_IAM` auth) answers it: HTTP 403,
 * an `x-amzn-ErrorType` header and an exact JSON body. A server answers with
 * `res.writeHead(error.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': error.errorType }).end(error.body)`.
 *
 * `message` is the body's `message`. It never contains a secret key or a session token (a signed token is shown as
 * `<redacted>` in the canonical string). An `IncompleteSignatureException` echoes the `Authorization` header as
 * API Gateway does; for a SigV4 header that is a signature, not a secret.
 */
export class SigV4AuthError extends Error {
  /** Always 403: API Gateway answers every authentication failure with 403. */
  readonly status = 403 as const;
  /** The `x-amzn-ErrorType` header value, e.g. `InvalidSignatureException`. */
  readonly errorType: string;
  /** The exact response body, `{"message":"…"}`, no trailing newline. */
  readonly body: string;
  /** Why authentication failed. */
  readonly reason: SigV4AuthFailureReason;

  /**
   * @param reason - why authentication failed
   * @param errorType - the `x-amzn-ErrorType` value
   * @param message - the body's `message`, verbatim
   */
  constructor(reason: SigV4AuthFailureReason, errorType: string, message: string) {
    super(message);
    this.name = 'SigV4AuthError';
    this.reason = reason;
    this.errorType = errorType;
    this.body = JSON.stringify({ message });
  }
}
