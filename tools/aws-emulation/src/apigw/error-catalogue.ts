/**
 * Every SigV4 authentication failure the verifier reports: its reason, `x-amzn-ErrorType` and message wording, in one
 * place so that a correction is one edit. Sources: `docs/api-gateway-behaviour.md` rows #1–#5 (API Gateway's own
 * answers, quoted exactly). Checks the oracle does not cover use the wording of the AWS request-authentication stack
 * that produces rows #2–#4 word for word (captures recorded in dynalite's `index.js`, mhart/dynalite, and in public
 * issues such as aws/aws-sdk-js#4097 and aws/aws-sdk-js-v3#1831); each such template says "inferred".
 */
import { SigV4AuthError } from '../sigv4/sigv4-auth-error';

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

// ---------------------------------------------------------------------------------------------------------------------
// API Gateway's other answers, after authentication (rows #1, #6–#8 and its gateway responses), and the patterns a
// test uses to recognise any of them. One catalogue: the verifier, the local API Gateway (tools/local-stack) and the
// hostile-input tests (tools/reliability) all read these, so a better capture changes one line.
// ---------------------------------------------------------------------------------------------------------------------

/** One error answer of API Gateway: status, `x-amzn-ErrorType` and the exact body. */
export interface GatewayErrorAnswer {
  readonly status: number;
  readonly errorType: string;
  readonly body: string;
}

/** Row #1 as an answer: `403`, `MissingAuthenticationTokenException`, exactly `{"message":"Missing Authentication Token"}`. */
export function missingAuthenticationTokenAnswer(): GatewayErrorAnswer {
  const { status, errorType, body } = missingTokenError();
  return { status, errorType, body };
}

/**
 * What answers a request for an unknown resource or method (API Gateway never answers 404 there, oracle row #1).
 *
 * Decision (inferred): a well-formed SigV4 header still gets row #1, because API Gateway resolves the resource before
 * it authenticates ("The same response comes back for a resource or method that does not exist"); a header that is
 * not SigV4 gets the verifier's IncompleteSignatureException (row #2), as aws/chalice#828 and
 * amazon-archives/aws-cognito-angular-quickstart#50 observed on routes that were never deployed.
 *
 * @param hasAuthorization - the request has an `Authorization` header
 * @param isWellFormedSigV4 - that header (or the query) is SigV4 with a readable credential scope
 * @returns which answer applies
 */
export function unknownRouteAnswer(hasAuthorization: boolean, isWellFormedSigV4: boolean): 'missing_authentication_token' | 'verifier_error' {
  return hasAuthorization && !isWellFormedSigV4 ? 'verifier_error' : 'missing_authentication_token';
}

/**
 * Masks an account id the way API Gateway shows it in access-denied messages: eight `*` then its last four digits
 * (oracle row #6: `********7089`).
 *
 * @param resourceArn - `arn:aws:execute-api:region:account:apiId/stage/METHOD/path`
 */
export function maskAccountInArn(resourceArn: string): string {
  const parts = resourceArn.split(':');
  if (parts.length < 6 || parts[4] === undefined) return resourceArn;
  parts[4] = `********${parts[4].slice(-4)}`;
  return parts.join(':');
}

/**
 * The message of rows #7 (explicit deny) and #8 (implicit deny) for an authenticated IAM caller.
 *
 * Decisions (inferred, oracle marks the JSON key "probably `Message`, as in #6; unverified"): the key is `Message`
 * with a capital M, like the captured #6; the resource's account is masked as in #6; the caller's ARN is shown as
 * is (the captures that redact it did so by hand, with `xxxxx`, not API Gateway's `********`).
 *
 * @param callerArn - e.g. `arn:aws:sts::000000000000:assumed-role/role/session`
 * @param maskedResourceArn - the method ARN, its account masked by {@link maskAccountInArn}
 * @param explicit - an explicit Deny matched (adds ` with an explicit deny`)
 */
export function accessDeniedMessage(callerArn: string, maskedResourceArn: string, explicit: boolean): string {
  return `User: ${callerArn} is not authorized to perform: execute-api:Invoke on resource: ${maskedResourceArn}${explicit ? ' with an explicit deny' : ''}`;
}

/**
 * Rows #7 / #8 as an answer: 403 `AccessDeniedException`, body `{"Message":…}`.
 *
 * @param callerArn - the caller as shown
 * @param resourceArn - the method ARN (masked here)
 * @param explicit - an explicit Deny matched
 */
export function accessDeniedAnswer(callerArn: string, resourceArn: string, explicit: boolean): GatewayErrorAnswer {
  return {
    status: 403,
    errorType: 'AccessDeniedException',
    body: JSON.stringify({ Message: accessDeniedMessage(callerArn, maskAccountInArn(resourceArn), explicit) }),
  };
}

/**
 * The request validator's answer (gateway response BAD_REQUEST_BODY, 400). Its default template is
 * `{"message":$context.error.messageString}` (oracle: "The default template is …", which is also what gives row #1
 * its exact 42 bytes), so the body is `{"message":"Invalid request body"}` and the type `BadRequestException`.
 */
export function invalidRequestBodyAnswer(): GatewayErrorAnswer {
  return { status: 400, errorType: 'BadRequestException', body: '{"message":"Invalid request body"}' };
}

/**
 * A request whose `Content-Type` has no mapping template. Decision (inferred): the infra app defines the model and the
 * integration template for `application/json` only, with passthrough behaviour NEVER, so API Gateway answers 415
 * `Unsupported Media Type` (gateway response UNSUPPORTED_MEDIA_TYPE).
 */
export function unsupportedMediaTypeAnswer(): GatewayErrorAnswer {
  return { status: 415, errorType: 'UnsupportedMediaTypeException', body: '{"message":"Unsupported Media Type"}' };
}

/**
 * The gateway response for a status API Gateway itself answers (throttling, integration failure), with the default
 * bodies it uses for them (supported-gateway-response-types: THROTTLED 429, DEFAULT_5XX, INTEGRATION_TIMEOUT 504).
 *
 * @param status - the status to answer
 */
export function gatewayStatusAnswer(status: number): GatewayErrorAnswer {
  const known: Record<number, [string, string]> = {
    429: ['TooManyRequestsException', 'Too Many Requests'],
    500: ['InternalServerErrorException', 'Internal server error'],
    502: ['InternalServerErrorException', 'Internal server error'],
    503: ['ServiceUnavailableException', 'Service Unavailable'],
    504: ['InternalServerErrorException', 'Endpoint request timed out'],
  };
  const [errorType, message] = known[status] ?? [status >= 500 ? 'InternalServerErrorException' : 'BadRequestException', `HTTP ${status}`];
  return { status, errorType, body: JSON.stringify({ message }) };
}

/** A pattern that recognises one row of the catalogue: status, `x-amzn-ErrorType`, and the body (exact, or its shape). */
export interface GatewayAnswerPattern {
  readonly row: string;
  readonly status: number;
  /** `undefined`: the oracle does not fix the header (row #5). */
  readonly errorType: string | undefined;
  readonly body: RegExp;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const AMZ_DATE = '\\d{8}T\\d{6}Z';

/** Patterns for the authentication rows, for tests that accept any of several answers (e.g. hostile input). */
export const GATEWAY_ANSWER_PATTERNS = {
  /** #1: no SigV4 at all, or a resource/method that does not exist. Exactly 42 bytes. */
  missingToken: { row: '#1', status: 403, errorType: MISSING_AUTHENTICATION_TOKEN, body: /^\{"message":"Missing Authentication Token"\}$/ },
  /** #2: an Authorization header that is not (complete) SigV4. */
  incompleteSignature: {
    row: '#2',
    status: 403,
    errorType: INCOMPLETE_SIGNATURE,
    body: /^\{"message":"(Authorization header requires '|'[^']*' not a valid key=value pair \(missing equal-sign\) in Authorization header: ')/,
  },
  /** #3: SigV4 present, signature wrong (the canonical request differs). */
  signatureMismatch: {
    row: '#3',
    status: 403,
    errorType: INVALID_SIGNATURE,
    body: new RegExp(
      `^\\{"message":"${escapeRegExp('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.')}\\\\n\\\\nThe Canonical String for this request should have been\\\\n'`,
    ),
  },
  /** #4: X-Amz-Date more than 5 minutes in the past. */
  signatureExpired: {
    row: '#4',
    status: 403,
    errorType: INVALID_SIGNATURE,
    body: new RegExp(`^\\{"message":"Signature expired: ${AMZ_DATE} is now earlier than ${AMZ_DATE} \\(${AMZ_DATE} - 5 min\\.\\)"\\}$`),
  },
  /** #4b: X-Amz-Date more than 5 minutes in the future (inferred wording). */
  signatureNotYetCurrent: {
    row: '#4b',
    status: 403,
    errorType: INVALID_SIGNATURE,
    body: new RegExp(`^\\{"message":"Signature not yet current: ${AMZ_DATE} is still later than ${AMZ_DATE} \\(${AMZ_DATE} \\+ 5 min\\.\\)"\\}$`),
  },
  /** Not in the oracle: an `X-Amz-Date` that is not one basic-format date; {@link dateFormatError}'s inferred wording. */
  dateFormat: {
    row: 'verifier date format (inferred)',
    status: 403,
    errorType: INCOMPLETE_SIGNATURE,
    body: /^\{"message":"Date must be in ISO-8601 'basic format'\. Got '[^']*'\. See http:\/\/en\.wikipedia\.org\/wiki\/ISO_8601"\}$/,
  },
  /** #5: unknown access key id (the header is a gap in the oracle). */
  unknownKey: { row: '#5', status: 403, errorType: undefined, body: /^\{"message":"The security token included in the request is invalid\."\}$/ },
} as const satisfies Record<string, GatewayAnswerPattern>;

/**
 * Row #7 as a pattern: an authenticated caller stopped by an explicit Deny of the resource policy.
 *
 * @param callerArn - the caller's ARN as shown
 * @param maskedResourceArn - the method ARN with the account masked (`********0000`)
 */
export function explicitDenyPattern(callerArn: string, maskedResourceArn: string): GatewayAnswerPattern {
  return {
    row: '#7',
    status: 403,
    errorType: 'AccessDeniedException',
    body: new RegExp(`^${escapeRegExp(JSON.stringify({ Message: accessDeniedMessage(callerArn, maskedResourceArn, true) }))}$`),
  };
}
