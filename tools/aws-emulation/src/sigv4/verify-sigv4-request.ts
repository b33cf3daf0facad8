import { type AuthAttempt, QUERY_SECURITY_TOKEN, readAuthAttempt } from './auth-attempt';
import {
  REDACTED,
  credentialFormatError,
  credentialScopeError,
  dateNotSignedError,
  hostNotSignedError,
  presignedExpiredError,
  type ScopeProblems,
  signatureExpiredError,
  signatureMismatchError,
  signatureNotYetCurrentError,
  unrecognizedKeyError,
  unsupportedAlgorithmError,
} from '../apigw/error-catalogue';
import { buildCanonicalRequest, buildStringToSign, collectHeaders, type PathMode } from './canonical-request';
import { parseRawQuery } from '@slack-ai-app/signing';
import { splitRequestTarget } from './request-target';
import { SigV4AuthError } from './sigv4-auth-error';
import {
  SIGV4_ALGORITHM,
  SIGV4_TERMINATOR,
  constantTimeEqual,
  deriveSigningKey,
  sha256Hex,
  signatureHex,
} from './sigv4-crypto';
import { toAmzDate } from './sigv4-time';

/** A request as a server received it. */
export interface VerifiableRequest {
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** The request target exactly as received: raw path, then `?` and the raw query (node's `IncomingMessage.url`). */
  rawPath: string;
  /**
   * The headers as node gives them: `IncomingMessage.headers`, or `headersDistinct` to keep repeated headers apart
   * (SigV4 joins repeated values with `,`; `headers` has already joined most of them with `, `).
   */
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received (a string is hashed as UTF-8). */
  body: string | Buffer;
}

/** What the verifier knows about an access key. */
export interface KnownCredential {
  /** The secret key that signs for this access key. */
  secretAccessKey: string;
  /** The principal, as `aws:PrincipalArn` (a role ARN), for policy evaluation. */
  principalArn: string;
  /** The caller as shown in messages, e.g. `arn:aws:sts::000000000000:assumed-role/role/session`. */
  callerArn: string;
  /** The session token of temporary credentials; requests must then carry exactly this token. */
  sessionToken?: string;
}

/** How to verify. */
export interface VerifyOptions {
  /** Access key id → credential, or `undefined` for an unknown key. */
  lookup: (accessKeyId: string) => KnownCredential | undefined;
  /** The clock. Default: `() => new Date()`. */
  now?: () => Date;
  /** The service the credential scope must name. Default `execute-api`. */
  service?: string;
  /** The region the credential scope must name. Default: any region. */
  region?: string;
  /** The allowed clock skew in seconds, each way. Default 300 (API Gateway's 5 minutes). */
  maxSkewSeconds?: number;
}

/** The outcome of {@link verifySigV4Request}: the authenticated principal, or the error API Gateway would answer. */
export type VerifyResult =
  | { ok: true; accessKeyId: string; principalArn: string; callerArn: string; region: string; service: string }
  | { ok: false; error: SigV4AuthError };

const DEFAULT_SERVICE = 'execute-api';
const DEFAULT_MAX_SKEW_SECONDS = 300;

/**
 * Verifies a SigV4-signed request the way API Gateway (REST API, `AWS_IAM` auth) does, from the request exactly as
 * received: raw path (normalised, then URI-encoded again), raw query, headers and body. Accepts header authentication
 * and query-string authentication (pre-signed URLs). The signature and the session token are compared in constant
 * time.
 *
 * Checks, in the order of the AWS authentication stack: authentication present (else `missing_token`) and complete
 * (`incomplete_signature`); time stamp within `maxSkewSeconds` each way, strictly (`signature_expired`,
 * `signature_not_yet_current`); `host` and the date header signed; algorithm `AWS4-HMAC-SHA256`; credential scope
 * (region when `options.region` is given, service, terminator, date equal to the time stamp's date); known access key
 * (`unrecognized_key`); signature, over the actual body's hash (`invalid_signature`); session token equal to the
 * known credential's, present whenever the credential has one and absent otherwise (`unrecognized_key`; it may be
 * signed or merely present).
 *
 * Never rejects on bad input; it rejects only if `options.lookup` or `options.now` throws.
 *
 * @param request - the request as received
 * @param options - credential lookup, clock, expected service and region, skew
 * @returns `{ ok: true, … }` with the principal, or `{ ok: false, error }` with status, `x-amzn-ErrorType` and body
 * @example
 * const result = await verifySigV4Request(
 *   { method: req.method!, rawPath: req.url!, headers: req.headersDistinct, body },
 *   { lookup: (id) => credentials.get(id), region: 'us-east-1' },
 * );
 * if (!result.ok) res.writeHead(403, { 'x-amzn-ErrorType': result.error.errorType }).end(result.error.body);
 */
export async function verifySigV4Request(request: VerifiableRequest, options: VerifyOptions): Promise<VerifyResult> {
  return verifySigV4RequestWithPathMode(request, options, 'normalize');
}

/**
 * {@link verifySigV4Request} with a choice of canonical-URI rule. Internal: API Gateway always normalises; the other
 * modes exist for the AWS test suite's `normalize: false` cases (`encode`) and for S3-style signing (`as-is`).
 *
 * @param request - the request as received
 * @param options - as for {@link verifySigV4Request}
 * @param pathMode - how the canonical URI is derived from the raw path
 * @returns as for {@link verifySigV4Request}
 */
export function verifySigV4RequestWithPathMode(
  request: VerifiableRequest,
  options: VerifyOptions,
  pathMode: PathMode,
): VerifyResult {
  const headers = collectHeaders(request.headers);
  const query = parseRawQuery(splitRequestTarget(request.rawPath).query);
  const attempt = readAuthAttempt(request.headers, headers, query);
  if (attempt instanceof SigV4AuthError) return { ok: false, error: attempt };

  const now = (options.now ?? (() => new Date()))();
  const problem =
    checkTime(attempt, now, options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) ??
    checkSignedHeaders(attempt) ??
    (attempt.algorithm === SIGV4_ALGORITHM ? undefined : unsupportedAlgorithmError(attempt.algorithm));
  if (problem) return { ok: false, error: problem };

  const scope = readCredentialScope(attempt, options);
  if (scope instanceof SigV4AuthError) return { ok: false, error: scope };

  const known = options.lookup(scope.accessKeyId);
  if (known === undefined) return { ok: false, error: unrecognizedKeyError() };

  const mismatch = checkSignature(request, headers, query, attempt, scope, known.secretAccessKey, pathMode);
  if (mismatch) return { ok: false, error: mismatch };

  const tokenValid =
    known.sessionToken === undefined
      ? attempt.sessionToken === undefined
      : attempt.sessionToken !== undefined && constantTimeEqual(attempt.sessionToken, known.sessionToken);
  if (!tokenValid) return { ok: false, error: unrecognizedKeyError() };

  const { accessKeyId, region, service } = scope;
  return { ok: true, accessKeyId, principalArn: known.principalArn, callerArn: known.callerArn, region, service };
}

interface Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function checkTime(attempt: AuthAttempt, now: Date, maxSkewSeconds: number): SigV4AuthError | undefined {
  const nowMs = now.getTime();
  const requestMs = attempt.date.getTime();
  const at = (offsetSeconds: number): string => toAmzDate(new Date(nowMs + offsetSeconds * 1000));
  // Strict comparisons: a time stamp exactly maxSkewSeconds away is still accepted (oracle §2: "is now earlier than").
  if (requestMs > nowMs + maxSkewSeconds * 1000) {
    return signatureNotYetCurrentError(attempt.amzDate, at(maxSkewSeconds), at(0), maxSkewSeconds);
  }
  const { expiresSeconds } = attempt;
  if (expiresSeconds !== undefined) {
    return requestMs < nowMs - expiresSeconds * 1000
      ? presignedExpiredError(attempt.amzDate, at(-expiresSeconds), at(0), expiresSeconds)
      : undefined;
  }
  if (requestMs < nowMs - maxSkewSeconds * 1000) {
    return signatureExpiredError(attempt.amzDate, at(-maxSkewSeconds), at(0), maxSkewSeconds);
  }
  return undefined;
}

function checkSignedHeaders(attempt: AuthAttempt): SigV4AuthError | undefined {
  // Case-insensitive, as in the AWS stack; the canonical request still uses the names exactly as listed.
  const signed = attempt.signedHeaders.map((name) => name.toLowerCase());
  // HTTP/2 clients (e.g. the Bedrock runtime SDK client) sign ':authority' instead of 'host'; AWS accepts either.
  if (!signed.includes('host') && !signed.includes(':authority')) return hostNotSignedError();
  if (attempt.dateHeader !== undefined && !signed.includes(attempt.dateHeader.toLowerCase())) {
    return dateNotSignedError(attempt.dateHeader);
  }
  return undefined;
}

function readCredentialScope(attempt: AuthAttempt, options: VerifyOptions): Scope | SigV4AuthError {
  const parts = attempt.credential.split('/');
  if (parts.length !== 5) return credentialFormatError(attempt.credential);
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  const expectedService = options.service ?? DEFAULT_SERVICE;
  const requestDate = attempt.amzDate.slice(0, 8);
  const problems: ScopeProblems = {};
  if (options.region !== undefined && region !== options.region) problems.region = region;
  if (service !== expectedService) problems.expectedService = expectedService;
  if (terminator !== SIGV4_TERMINATOR) problems.terminator = terminator;
  if (date !== requestDate) problems.date = { scopeDate: date, requestDate, amzDate: attempt.amzDate };
  return Object.keys(problems).length > 0 ? credentialScopeError(problems) : { accessKeyId, date, region, service };
}

function checkSignature(
  request: VerifiableRequest,
  headers: ReadonlyMap<string, string>,
  query: ReadonlyArray<[string, string]>,
  attempt: AuthAttempt,
  scope: Scope,
  secretAccessKey: string,
  pathMode: PathMode,
): SigV4AuthError | undefined {
  const key = deriveSigningKey(secretAccessKey, scope.date, scope.region, scope.service);
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/${SIGV4_TERMINATOR}`;
  const payloadHash = sha256Hex(request.body);
  const attemptWith = (omitQueryParams: ReadonlySet<string>) => {
    const canonicalRequest = buildCanonicalRequest({
      method: request.method,
      rawPath: request.rawPath,
      headers,
      signedHeaders: attempt.signedHeaders,
      payloadHash,
      pathMode,
      omitQueryParams,
    });
    const stringToSign = buildStringToSign(attempt.amzDate, credentialScope, sha256Hex(canonicalRequest));
    const matches = constantTimeEqual(attempt.signature, signatureHex(key, stringToSign));
    return { canonicalRequest, stringToSign, matches };
  };
  const first = attemptWith(attempt.omitQueryParams);
  if (first.matches) return undefined;
  // A pre-signed URL's session token may have been appended after signing (some services require it); accept both.
  if (attempt.kind === 'query' && query.some(([name]) => name === QUERY_SECURITY_TOKEN)) {
    if (attemptWith(new Set([...attempt.omitQueryParams, QUERY_SECURITY_TOKEN])).matches) return undefined;
  }
  return signatureMismatchError(redactSessionToken(first.canonicalRequest), first.stringToSign);
}

/** Replaces a session token in a canonical request (header line or query parameter) before it goes into a message. */
function redactSessionToken(canonicalRequest: string): string {
  const lines = canonicalRequest.split('\n');
  return lines
    .map((line, index) => {
      if (index === 2) return line.replace(/(^|&)X-Amz-Security-Token=[^&]*/g, `$1X-Amz-Security-Token=${REDACTED}`);
      return line.startsWith('x-amz-security-token:') ? `x-amz-security-token:${REDACTED}` : line;
    })
    .join('\n');
}
