import {
  ambiguousAuthenticationError,
  dateFormatError,
  expiresFormatError,
  incompleteAuthorizationError,
  incompleteQueryError,
  missingEqualSignError,
  missingTokenError,
} from '../apigw/error-catalogue';
import { parseAuthorizationHeader } from './authorization-header';
import type { RawHeaders } from './canonical-request';
import type { SigV4AuthError } from './sigv4-auth-error';
import { parseAmzDate, toAmzDate } from './sigv4-time';

/** Query parameters of SigV4 query-string authentication (pre-signed URLs), exact names. */
const QUERY_ALGORITHM = 'X-Amz-Algorithm';
const QUERY_CREDENTIAL = 'X-Amz-Credential';
const QUERY_SIGNATURE = 'X-Amz-Signature';
const QUERY_SIGNED_HEADERS = 'X-Amz-SignedHeaders';
const QUERY_DATE = 'X-Amz-Date';
const QUERY_EXPIRES = 'X-Amz-Expires';
/** The session-token query parameter. */
export const QUERY_SECURITY_TOKEN = 'X-Amz-Security-Token';

/** The longest validity of a pre-signed URL, in seconds (7 days), as SigV4 defines it. */
const MAX_EXPIRES_SECONDS = 604_800;

/** An RFC 7231 IMF-fixdate, the only `Date` header form accepted, e.g. `Sun, 30 Aug 2015 12:36:00 GMT`. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** The SigV4 authentication a request carries, read but not yet checked. */
export interface AuthAttempt {
  /** Where the authentication is: the `Authorization` header or the query string. */
  kind: 'header' | 'query';
  /** The algorithm named, e.g. `AWS4-HMAC-SHA256`. */
  algorithm: string;
  /** The credential, `keyid/date/region/service/terminator`. */
  credential: string;
  /** The signed header names, as listed. */
  signedHeaders: readonly string[];
  /** The signature sent. */
  signature: string;
  /** The request time stamp in SigV4 form (a `Date` header converted), as used in the string to sign. */
  amzDate: string;
  /** The request time. */
  date: Date;
  /** Header authentication: the header that carries the time stamp, which must be signed. */
  dateHeader: 'X-Amz-Date' | 'Date' | undefined;
  /** Query authentication: `X-Amz-Expires`, when given. */
  expiresSeconds: number | undefined;
  /** The session token sent (header, else query parameter), when non-empty. */
  sessionToken: string | undefined;
  /** Query parameters that are not part of the canonical query. */
  omitQueryParams: ReadonlySet<string>;
}

function firstRawHeader(headers: RawHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}

function firstParam(query: ReadonlyArray<[string, string]>, name: string): string | undefined {
  return query.find(([key]) => key === name)?.[1];
}

function readDate(value: string, header: 'X-Amz-Date' | 'Date'): Date | SigV4AuthError {
  if (header === 'X-Amz-Date') return parseAmzDate(value) ?? dateFormatError(value);
  const time = IMF_FIXDATE.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? dateFormatError(value) : new Date(time);
}

/**
 * Reads a request's SigV4 authentication, checking only that it is present and complete (rows #1 and #2 of the oracle,
 * plus the time stamp's format). Header authentication wins when a request has both kinds.
 *
 * @param rawHeaders - the headers as received, for the exact `Authorization` value
 * @param headers - header values by lower-case name (from `collectHeaders`)
 * @param query - the decoded query parameters, in order
 * @returns the attempt, or the authentication error to answer with
 */
export function readAuthAttempt(
  rawHeaders: RawHeaders,
  headers: ReadonlyMap<string, string>,
  query: ReadonlyArray<[string, string]>,
): AuthAttempt | SigV4AuthError {
  const authorization = firstRawHeader(rawHeaders, 'authorization');
  const hasHeaderAuth = authorization !== undefined && authorization.trim() !== '';
  const hasQueryAuth = [QUERY_ALGORITHM, QUERY_CREDENTIAL, QUERY_SIGNATURE].some(
    (name) => firstParam(query, name) !== undefined,
  );
  if (!hasHeaderAuth && !hasQueryAuth) return missingTokenError();
  if (hasHeaderAuth && firstParam(query, QUERY_ALGORITHM) !== undefined) return ambiguousAuthenticationError();
  const sessionToken = headers.get('x-amz-security-token') || firstParam(query, QUERY_SECURITY_TOKEN) || undefined;
  return hasHeaderAuth ? readHeaderAuth(authorization, headers, sessionToken) : readQueryAuth(query, sessionToken);
}

function readHeaderAuth(
  authorization: string,
  headers: ReadonlyMap<string, string>,
  sessionToken: string | undefined,
): AuthAttempt | SigV4AuthError {
  const parsed = parseAuthorizationHeader(authorization);
  if (!parsed.ok) return missingEqualSignError(parsed.tokenWithoutEqualSign, authorization);
  const { algorithm, parameters } = parsed.value;
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !parameters.get(name));
  const amzDateValue = headers.get('x-amz-date');
  const dateValue = headers.get('date');
  const dateHeader = amzDateValue ? 'X-Amz-Date' : dateValue ? 'Date' : undefined;
  if (missing.length > 0 || dateHeader === undefined) {
    return incompleteAuthorizationError(missing, dateHeader === undefined, authorization);
  }
  const date = readDate(dateHeader === 'X-Amz-Date' ? (amzDateValue as string) : (dateValue as string), dateHeader);
  if (!(date instanceof Date)) return date;
  return {
    kind: 'header',
    algorithm,
    credential: parameters.get('Credential') as string,
    signedHeaders: (parameters.get('SignedHeaders') as string).split(';'),
    signature: parameters.get('Signature') as string,
    amzDate: toAmzDate(date),
    date,
    dateHeader,
    expiresSeconds: undefined,
    sessionToken,
    omitQueryParams: new Set(),
  };
}

function readQueryAuth(
  query: ReadonlyArray<[string, string]>,
  sessionToken: string | undefined,
): AuthAttempt | SigV4AuthError {
  const required = [QUERY_ALGORITHM, QUERY_CREDENTIAL, QUERY_SIGNATURE, QUERY_SIGNED_HEADERS, QUERY_DATE];
  const missing = required.filter((name) => !firstParam(query, name));
  if (missing.length > 0) return incompleteQueryError(missing);
  const amzDate = firstParam(query, QUERY_DATE) as string;
  const date = readDate(amzDate, 'X-Amz-Date');
  if (!(date instanceof Date)) return date;
  const expires = firstParam(query, QUERY_EXPIRES);
  let expiresSeconds: number | undefined;
  if (expires !== undefined) {
    expiresSeconds = /^\d{1,6}$/.test(expires) ? Number(expires) : Number.NaN;
    if (!(expiresSeconds >= 1 && expiresSeconds <= MAX_EXPIRES_SECONDS)) return expiresFormatError(expires);
  }
  return {
    kind: 'query',
    algorithm: firstParam(query, QUERY_ALGORITHM) as string,
    credential: firstParam(query, QUERY_CREDENTIAL) as string,
    signedHeaders: (firstParam(query, QUERY_SIGNED_HEADERS) as string).split(';'),
    signature: firstParam(query, QUERY_SIGNATURE) as string,
    amzDate,
    date,
    dateHeader: undefined,
    expiresSeconds,
    sessionToken,
    omitQueryParams: new Set([QUERY_SIGNATURE]),
  };
}
