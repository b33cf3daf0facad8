import { randomBytes } from 'node:crypto';
import type { HttpReply, HttpRequestData } from '../http/types';
import type { InvokeResult } from './function';

/**
 * A Lambda Function URL in front of a function (auth type NONE): HTTP → payload format 2.0 event → synchronous
 * invoke → HTTP. Formats follow the Lambda Developer Guide, "Invoking Lambda function URLs".
 */

/** The local Function URL id (the `<url-id>` of `https://<url-id>.lambda-url.<region>.on.aws`). */
export const LOCAL_URL_ID = 'localfunctionurl';

/**
 * The answer when the function fails (throws, times out, crashes) or returns an unusable response: a Function URL
 * answers 502 with a plain `Internal Server Error` body. Inferred from public reports (e.g.
 * awsdocs/aws-lambda-developer-guide#430); not captured byte for byte.
 */
export const FUNCTION_ERROR_REPLY: HttpReply = {
  kind: 'respond',
  status: 502,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'Internal Server Error',
};

/**
 * The answer of a Function URL when the function is beyond its reserved concurrency: 429 with the error type in
 * `x-amzn-ErrorType` and `{"message":"Rate Exceeded."}`. The header and body are as captured from a throttled Function
 * URL in the public report github.com/huntharo/lambda-provisioned-throttling (whose status, 400, was a Lambda bug fixed
 * in 2022); the 429 status is the documented one for throttling (Lambda Developer Guide, "Lambda function scaling";
 * the Invoke API answers `TooManyRequestsException` with the same message, see `aws/lambda-api.ts`).
 */
export const THROTTLED_REPLY: HttpReply = {
  kind: 'respond',
  status: 429,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' },
  body: JSON.stringify({ message: 'Rate Exceeded.' }),
};

/** Payload format 2.0, as a Function URL sends it. */
export interface FunctionUrlEvent {
  readonly version: '2.0';
  readonly routeKey: '$default';
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly cookies?: string[];
  readonly headers: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly requestContext: {
    readonly accountId: string;
    readonly apiId: string;
    readonly domainName: string;
    readonly domainPrefix: string;
    readonly http: { readonly method: string; readonly path: string; readonly protocol: string; readonly sourceIp: string; readonly userAgent: string };
    readonly requestId: string;
    readonly routeKey: '$default';
    readonly stage: '$default';
    readonly time: string;
    readonly timeEpoch: number;
  };
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Turns an HTTP request into the event a Function URL sends.
 *
 * @param request - the HTTP request
 * @param requestId - the invocation's request id
 * @param now - the request time
 */
export function toFunctionUrlEvent(request: HttpRequestData, requestId: string, now: Date): FunctionUrlEvent {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    const joined = Array.isArray(value) ? value.join(',') : value;
    if (name === 'cookie') cookies = joined.split(';').map((c) => c.trim()).filter((c) => c !== '');
    else headers[name] = joined;
  }
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-for'] = request.remoteAddress;
  headers['x-amzn-trace-id'] = `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  const rawQueryString = request.rawPath.includes('?') ? request.rawPath.slice(request.rawPath.indexOf('?') + 1) : '';
  const queryStringParameters: Record<string, string> = {};
  for (const [key, value] of request.query) queryStringParameters[key] = key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;

  const host = headers['host'] ?? '';
  const text = isTextual(headers['content-type']);
  const event: FunctionUrlEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath: decodeURIComponentSafe(request.path),
    rawQueryString,
    ...(cookies !== undefined ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    requestContext: {
      // With auth type NONE the caller is not identified; Function URLs report the account as "anonymous".
      accountId: 'anonymous',
      apiId: LOCAL_URL_ID,
      domainName: host,
      domainPrefix: host.split('.')[0]?.split(':')[0] ?? LOCAL_URL_ID,
      http: {
        method: request.method,
        path: decodeURIComponentSafe(request.path),
        protocol: 'HTTP/1.1',
        sourceIp: request.remoteAddress,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length > 0 ? { body: text ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: request.body.length > 0 && !text,
  };
  return event;
}

/**
 * Turns the function's answer into the HTTP response a Function URL sends: a response object with `statusCode` is
 * used as given; any other valid JSON becomes a 200 `application/json` response whose body is that JSON.
 *
 * @param result - the invoke result
 */
export function fromFunctionUrlResult(result: InvokeResult): HttpReply {
  if (!result.ok) return result.kind === 'throttled' ? THROTTLED_REPLY : FUNCTION_ERROR_REPLY;
  let value: unknown;
  try {
    value = JSON.parse(result.payload);
  } catch {
    return FUNCTION_ERROR_REPLY;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('statusCode' in value)) {
    return { kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: result.payload };
  }
  const response = value as { statusCode: unknown; headers?: unknown; body?: unknown; cookies?: unknown; isBase64Encoded?: unknown };
  const status = response.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return FUNCTION_ERROR_REPLY;
  const headers: Record<string, string | string[]> = {};
  if (typeof response.headers === 'object' && response.headers !== null) {
    for (const [name, headerValue] of Object.entries(response.headers as Record<string, unknown>)) {
      if (typeof headerValue === 'string' || typeof headerValue === 'number' || typeof headerValue === 'boolean') headers[name.toLowerCase()] = String(headerValue);
    }
  }
  headers['content-type'] ??= 'application/json';
  if (Array.isArray(response.cookies)) headers['set-cookie'] = response.cookies.filter((c): c is string => typeof c === 'string');
  const rawBody = typeof response.body === 'string' ? response.body : response.body === undefined ? '' : JSON.stringify(response.body);
  const body = response.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : rawBody;
  return { kind: 'respond', status, headers, body };
}

function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded'
  );
}

function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function decodeURIComponentSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
