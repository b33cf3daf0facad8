import { CORRELATION_ID_HEADER } from './constants';

/** Who called the execution API, as API Gateway's `$context.identity` reports it. */
export interface ExecutionApiIdentity {
  /** e.g. `arn:aws:sts::111122223333:assumed-role/verification-role/session`. */
  userArn: string;
  /** e.g. `AROAEXAMPLEID:session`. */
  caller: string;
  accountId: string;
  sourceIp: string;
}

/**
 * The event the execution Lambda receives from API Gateway (non-proxy integration, rendered by
 * {@link INTEGRATION_REQUEST_TEMPLATE}; built by {@link buildExecutionApiEvent} in the local stack).
 */
export interface ExecutionApiEvent {
  kind: 'execution_api_request';
  /** The request body as JSON (an ExecutionRequest once validated by the API model). */
  body: unknown;
  /** API Gateway's `$context.requestId`. */
  requestId: string;
  /** The `X-Correlation-Id` request parameter; `''` when absent (then use the body's `correlation_id`). */
  correlationId: string;
  identity: ExecutionApiIdentity;
}

/** Inputs of {@link buildExecutionApiEvent}: what API Gateway knows about the request. */
export interface ExecutionApiEventInput {
  /** The parsed JSON body. */
  body: unknown;
  requestId: string;
  /** The value {@link inputParam} finds for `X-Correlation-Id`; absent means `''`. */
  correlationId?: string | undefined;
  identity: ExecutionApiIdentity;
}

/** Request parameters as API Gateway groups them for `$input.params(name)`. */
export interface InputParams {
  path?: Readonly<Record<string, string>>;
  querystring?: Readonly<Record<string, string>>;
  header?: Readonly<Record<string, string>>;
}

/**
 * The integration request mapping template (content type `application/json`) of `POST /execute`.
 *
 * Renders an {@link ExecutionApiEvent}. The correlation id goes through `$util.escapeJavaScript(...)`, then
 * `.replaceAll("\\'","'")`, because escapeJavaScript turns `'` into `\'`, which is not a valid JSON escape (the fix
 * AWS documents for `$util.escapeJavaScript`). The `$context` values are AWS-generated (ids, ARNs, IPs) and need no
 * escaping. A test renders this template with a small VTL evaluator and checks it equals
 * {@link buildExecutionApiEvent}'s output for the same request.
 */
export const INTEGRATION_REQUEST_TEMPLATE = String.raw`{
  "kind": "execution_api_request",
  "body": $input.json('$'),
  "requestId": "$context.requestId",
  "correlationId": "$util.escapeJavaScript($input.params('${CORRELATION_ID_HEADER}')).replaceAll("\\'","'")",
  "identity": {
    "userArn": "$context.identity.userArn",
    "caller": "$context.identity.caller",
    "accountId": "$context.identity.accountId",
    "sourceIp": "$context.identity.sourceIp"
  }
}
`;

/**
 * Builds the {@link ExecutionApiEvent} that {@link INTEGRATION_REQUEST_TEMPLATE} renders on API Gateway, for the local
 * API Gateway emulator.
 *
 * @returns a fresh event; `correlationId` is `''` when none was given, as `$input.params` renders a missing parameter.
 */
export function buildExecutionApiEvent(input: ExecutionApiEventInput): ExecutionApiEvent {
  return {
    kind: 'execution_api_request',
    body: input.body,
    requestId: input.requestId,
    correlationId: input.correlationId ?? '',
    identity: {
      userArn: input.identity.userArn,
      caller: input.identity.caller,
      accountId: input.identity.accountId,
      sourceIp: input.identity.sourceIp,
    },
  };
}

/**
 * What API Gateway's `$input.params(name)` returns: the first of the path, query string and header parameters (in
 * that order) with that name, or `''` when there is none.
 *
 * Header names are matched case-insensitively (HTTP semantics). AWS does not document the case rule for
 * `$input.params`; this is the most plausible behaviour and the only place it is decided. Path and query-string
 * names are matched exactly. So a `?X-Correlation-Id=` query parameter wins over the header, as it would on AWS.
 *
 * @example inputParam(CORRELATION_ID_HEADER, { header: { 'x-correlation-id': 'c-1' } }) // 'c-1'
 */
export function inputParam(name: string, params: InputParams): string {
  const fromPath = params.path?.[name];
  if (fromPath !== undefined) return fromPath;
  const fromQuery = params.querystring?.[name];
  if (fromQuery !== undefined) return fromQuery;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(params.header ?? {})) {
    if (key.toLowerCase() === lower) return value;
  }
  return '';
}

/**
 * True if `event` has the shape of an {@link ExecutionApiEvent}: `kind` is `'execution_api_request'`, `body` is
 * present (any JSON value), and `requestId`, `correlationId` and the four `identity` fields are strings. The body is
 * not validated here; parse it with `@slack-ai-app/payload-schemas`.
 */
export function isExecutionApiEvent(event: unknown): event is ExecutionApiEvent {
  if (!isRecord(event) || event['kind'] !== 'execution_api_request' || !Object.hasOwn(event, 'body')) return false;
  if (typeof event['requestId'] !== 'string' || typeof event['correlationId'] !== 'string') return false;
  const identity = event['identity'];
  return (
    isRecord(identity) &&
    typeof identity['userArn'] === 'string' &&
    typeof identity['caller'] === 'string' &&
    typeof identity['accountId'] === 'string' &&
    typeof identity['sourceIp'] === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The integration response template of the `202`: what the verification layer (and any caller) reads back from a
 * successful `POST /execute`. API Gateway renders `$context.requestId`.
 */
export const ACCEPTED_RESPONSE_TEMPLATE = '{"status":"accepted","requestId":"$context.requestId"}';

/**
 * The body {@link ACCEPTED_RESPONSE_TEMPLATE} renders to, for emulators that answer as API Gateway does.
 *
 * @param requestId - API Gateway's request id
 * @returns the exact JSON body of the `202`
 */
export function acceptedResponseBody(requestId: string): string {
  return JSON.stringify({ status: 'accepted', requestId });
}
