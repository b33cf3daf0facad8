/**
 * Every SigV4 authentication failure the verifier reports: its reason, `x-amzn-ErrorType` and message wording, in one
 * place so that a correction is one edit. Sources: `../shared/oracles/apigw/behaviour.md` rows #1–#5 (API Gateway's own
 * answers, quoted exactly). Checks the oracle does not cover use the wording of the AWS request-authentication stack
 * that produces rows #2–#4 word for word (captures recorded in dynalite's `index.js`, mhart/dynalite, and in public
 * issues such as aws/aws-sdk-js#4097 and aws/aws-sdk-js-v3#1831); each such template says "inferred".
 */
import { SigV4AuthError } from './sigv4-auth-error';

const MISSING_AUTHENTICATION_TOKEN = 'MissingAuthenticationTokenException';
const INCOMPLETE_SIGNATURE = 'IncompleteSignatureException';
const INVALID_SIGNATURE = 'InvalidSignatureException';

/**
 * `x-amzn-ErrorType` for an unknown access key or a bad session token (oracle row #5). This is a documented gap
 * (behaviour.md, row #5 and Notes): the Knowledge Center table says `AccessDeniedException` but no raw execute-api
 * capture confirms it; Lambda function URLs send `InvalidSignatureException`; the AWS authentication stack that
 * produces rows #2–#4 word for word sends `UnrecognizedClientException` for this exact message. We choose the last,
 * because the same stack evidently authenticates API Gateway requests. Change it here only.
 */
export const UNRECOGNIZED_KEY_ERROR_TYPE = 'UnrecognizedClientException';

/** Shown instead of a session token inside an error message. */
export const REDACTED = '<redacted>';

/** Row #1: no `Authorization` header and no query-string authentication. Body is exactly 42 bytes. */
export function missingTokenError(): SigV4AuthError {
  return new SigV4AuthError('missing_token', MISSING_AUTHENTICATION_TOKEN, 'Missing Authentication Token');
}

/**
 * Row #2, variant: a token of the `Authorization` value has no `=` (e.g. `Bearer <jwt>`).
 *
 * @param token - the offending token
 * @param authorization - the raw header value, echoed as API Gateway does
 */
export function missingEqualSignError(token: string, authorization: string): SigV4AuthError {
  return new SigV4AuthError(
    'incomplete_signature',
    INCOMPLETE_SIGNATURE,
    `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
  );
}

/**
 * Row #2: required `Authorization` parameters or the date header are missing.
 *
 * @param missingParameters - among `Credential`, `Signature`, `SignedHeaders`, in that order
 * @param missingDate - whether neither `X-Amz-Date` nor `Date` is present
 * @param authorization - the raw header value, echoed as API Gateway does
 */
export function incompleteAuthorizationError(
  missingParameters: readonly string[],
  missingDate: boolean,
  authorization: string,
): SigV4AuthError {
  const parts = missingParameters.map((name) => `Authorization header requires '${name}' parameter. `);
  if (missingDate) parts.push(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. `);
  const message = `${parts.join('')}Authorization=${authorization}`;
  return new SigV4AuthError('incomplete_signature', INCOMPLETE_SIGNATURE, message);
}

/**
 * Query-string authentication lacks required parameters (inferred: same stack as row #2).
 *
 * @param missingParameters - among `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Signature`, `X-Amz-SignedHeaders`,
 *   `X-Amz-Date`, in that order
 */
export function incompleteQueryError(missingParameters: readonly string[]): SigV4AuthError {
  const parts = missingParameters.map((name) => `AWS query-string parameters must include '${name}'. `);
  return new SigV4AuthError(
    'incomplete_signature',
    INCOMPLETE_SIGNATURE,
    `${parts.join('')}Re-examine the query-string parameters.`,
  );
}

/**
 * Both an `Authorization` header and query-string authentication are present (inferred).
 */
export function ambiguousAuthenticationError(): SigV4AuthError {
  return new SigV4AuthError(
    'invalid_signature',
    INVALID_SIGNATURE,
    `Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.`,
  );
}

/**
 * The time stamp is not in ISO 8601 basic format (inferred).
 *
 * @param value - the `X-Amz-Date` (or `Date`) value received
 */
export function dateFormatError(value: string): SigV4AuthError {
  return new SigV4AuthError(
    'incomplete_signature',
    INCOMPLETE_SIGNATURE,
    `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );
}

/**
 * `X-Amz-Expires` is not a whole number of seconds from 1 to 604800 (inferred).
 *
 * @param value - the value received
 */
export function expiresFormatError(value: string): SigV4AuthError {
  return new SigV4AuthError(
    'incomplete_signature',
    INCOMPLETE_SIGNATURE,
    `X-Amz-Expires must be a whole number of seconds from 1 to 604800. Got '${value}'.`,
  );
}

function window(skewSeconds: number): string {
  return skewSeconds % 60 === 0 ? `${skewSeconds / 60} min.` : `${skewSeconds} sec.`;
}

/**
 * Row #4: the time stamp is older than now minus the allowed skew.
 *
 * @param amzDate - the time stamp received
 * @param earliest - now minus the skew, `YYYYMMDDTHHMMSSZ`
 * @param now - now, `YYYYMMDDTHHMMSSZ`
 * @param skewSeconds - the allowed skew (300 gives `5 min.`)
 */
export function signatureExpiredError(
  amzDate: string,
  earliest: string,
  now: string,
  skewSeconds: number,
): SigV4AuthError {
  return new SigV4AuthError(
    'signature_expired',
    INVALID_SIGNATURE,
    `Signature expired: ${amzDate} is now earlier than ${earliest} (${now} - ${window(skewSeconds)})`,
  );
}

/**
 * Row #4b: the time stamp is later than now plus the allowed skew.
 *
 * @param amzDate - the time stamp received
 * @param latest - now plus the skew, `YYYYMMDDTHHMMSSZ`
 * @param now - now, `YYYYMMDDTHHMMSSZ`
 * @param skewSeconds - the allowed skew (300 gives `5 min.`)
 */
export function signatureNotYetCurrentError(
  amzDate: string,
  latest: string,
  now: string,
  skewSeconds: number,
): SigV4AuthError {
  return new SigV4AuthError(
    'signature_not_yet_current',
    INVALID_SIGNATURE,
    `Signature not yet current: ${amzDate} is still later than ${latest} (${now} + ${window(skewSeconds)})`,
  );
}

/**
 * A pre-signed URL is used after `X-Amz-Date + X-Amz-Expires` (inferred: row #4's wording, the window being
 * `X-Amz-Expires` seconds).
 *
 * @param amzDate - the time stamp received
 * @param earliest - now minus `X-Amz-Expires`, `YYYYMMDDTHHMMSSZ`
 * @param now - now, `YYYYMMDDTHHMMSSZ`
 * @param expiresSeconds - the `X-Amz-Expires` value
 */
export function presignedExpiredError(
  amzDate: string,
  earliest: string,
  now: string,
  expiresSeconds: number,
): SigV4AuthError {
  return new SigV4AuthError(
    'signature_expired',
    INVALID_SIGNATURE,
    `Signature expired: ${amzDate} is now earlier than ${earliest} (${now} - ${expiresSeconds} sec.)`,
  );
}

/** `host` is not among the signed headers (inferred; the current wording of the AWS stack). */
export function hostNotSignedError(): SigV4AuthError {
  return new SigV4AuthError(
    'invalid_signature',
    INVALID_SIGNATURE,
    `'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`,
  );
}

/**
 * The date header that carries the time stamp is not among the signed headers (inferred, by analogy with
 * {@link hostNotSignedError}).
 *
 * @param header - `X-Amz-Date` or `Date`
 */
export function dateNotSignedError(header: 'X-Amz-Date' | 'Date'): SigV4AuthError {
  const message = `'${header}' must be a 'SignedHeader' in the AWS Authorization.`;
  return new SigV4AuthError('invalid_signature', INVALID_SIGNATURE, message);
}

/**
 * The algorithm is not `AWS4-HMAC-SHA256` (inferred).
 *
 * @param algorithm - the algorithm received
 */
export function unsupportedAlgorithmError(algorithm: string): SigV4AuthError {
  return new SigV4AuthError(
    'incomplete_signature',
    INCOMPLETE_SIGNATURE,
    `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
  );
}

/**
 * The credential is not `keyid/date/region/service/terminator` (inferred).
 *
 * @param credential - the credential received
 */
export function credentialFormatError(credential: string): SigV4AuthError {
  return new SigV4AuthError(
    'incomplete_signature',
    INCOMPLETE_SIGNATURE,
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  );
}

/** Which credential-scope elements are wrong; each present field adds its sentence. */
export interface ScopeProblems {
  /** The region received, when it is not the expected one. */
  region?: string;
  /** The expected service, when the service received differs. */
  expectedService?: string;
  /** The terminator received, when it is not `aws4_request`. */
  terminator?: string;
  /** The scope date, the time stamp's date and the time stamp, when the dates differ. */
  date?: { scopeDate: string; requestDate: string; amzDate: string };
}

/**
 * The credential scope does not match the request (inferred; region and service sentences are quoted from API
 * Gateway answers in aws/aws-sdk-js#4097 and joona/aws-es-curl#15, trailing space included).
 *
 * @param problems - the wrong elements; at least one
 */
export function credentialScopeError(problems: ScopeProblems): SigV4AuthError {
  let message = '';
  if (problems.region !== undefined) {
    message += `Credential should be scoped to a valid region, not '${problems.region}'. `;
  }
  if (problems.expectedService !== undefined) {
    message += `Credential should be scoped to correct service: '${problems.expectedService}'. `;
  }
  if (problems.terminator !== undefined) {
    message += `Credential should be scoped with a valid terminator: 'aws4_request', not '${problems.terminator}'. `;
  }
  if (problems.date !== undefined) {
    const { scopeDate, requestDate, amzDate } = problems.date;
    message +=
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
      `'${scopeDate}' != '${requestDate}', from '${amzDate}'.`;
  }
  return new SigV4AuthError('invalid_signature', INVALID_SIGNATURE, message);
}

/**
 * Row #3: the signature does not match. The canonical request must already have its session token redacted.
 *
 * @param canonicalRequest - the canonical request the verifier computed (token redacted)
 * @param stringToSign - the string to sign the verifier computed
 */
export function signatureMismatchError(canonicalRequest: string, stringToSign: string): SigV4AuthError {
  return new SigV4AuthError(
    'invalid_signature',
    INVALID_SIGNATURE,
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
      'and signing method. Consult the service documentation for details.\n\n' +
      `The Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
      `The String-to-Sign should have been\n'${stringToSign}'\n`,
  );
}

/** Row #5: unknown access key id, or a session token that is missing, unexpected or wrong. */
export function unrecognizedKeyError(): SigV4AuthError {
  return new SigV4AuthError(
    'unrecognized_key',
    UNRECOGNIZED_KEY_ERROR_TYPE,
    'The security token included in the request is invalid.',
  );
}
