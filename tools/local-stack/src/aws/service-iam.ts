import { randomUUID } from 'node:crypto';
import type { AuthorizationResult, RequestContext } from '@slack-ai-app/aws-emulation';
import { parseBedrockModelId } from '@slack-ai-app/stack-contract';
import type { HttpReply, HttpRequestData } from '../http/types';
import { headerValue } from '../http/types';
import { deniedBecause } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import { restJsonError } from './errors';

/**
 * IAM for the data-plane services a function calls with its role: DynamoDB and Bedrock Runtime. Each request is
 * mapped to the IAM action(s) and resource ARN(s) AWS authorizes it as, and decided by the caller's identity policies
 * (neither service has a resource policy in the template) through the one evaluator, before the service sees it.
 */

/** Decides one action on one resource for a caller (the caller's identity policies, with extra context keys). */
export type ActionAuthorizer = (principal: LocalPrincipal, action: string, resource: string, context?: RequestContext) => AuthorizationResult;

/** A service handler that takes the authenticated caller. */
export type ServiceHandler = (request: HttpRequestData, principal: LocalPrincipal) => Promise<HttpReply>;

/** One authorization a request needs: an action on a resource, with the context keys the service adds. */
export interface RequiredPermission {
  readonly action: string;
  readonly resource: string;
  readonly context?: RequestContext;
}

/** Where the local account's resources live. */
export interface ServicePlacement {
  readonly region: string;
  readonly accountId: string;
}

const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

/** A JSON body's object members, or `{}` when the body is not a JSON object (the service reports that itself). */
function jsonObject(body: Buffer): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The permissions a DynamoDB request needs: the action `dynamodb:<Operation>` named by `X-Amz-Target`, on the table
 * ARN `arn:aws:dynamodb:<region>:<account>:table/<name>` (an index's ARN `…/index/<name>` when `IndexName` is given),
 * for every table the request names (`TableName`, `RequestItems` of the batch operations, the items of
 * `TransactWriteItems` / `TransactGetItems`, which need the per-item action). An operation that names no table
 * (`ListTables`) is authorized on `*`. Source: Service Authorization Reference, "Actions, resources, and condition keys
 * for Amazon DynamoDB" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
 *
 * @param request - the signed request
 * @param placement - the local region and account
 * @returns the permissions, or `undefined` when the request names no DynamoDB operation (the service rejects it)
 */
export function dynamoDbPermissions(request: HttpRequestData, placement: ServicePlacement): RequiredPermission[] | undefined {
  const target = headerValue(request.headers, 'x-amz-target') ?? '';
  if (!target.startsWith(DYNAMODB_TARGET_PREFIX)) return undefined;
  const operation = target.slice(DYNAMODB_TARGET_PREFIX.length);
  const tableArn = (name: string) => `arn:aws:dynamodb:${placement.region}:${placement.accountId}:table/${name}`;
  const input = jsonObject(request.body);
  const permissions: RequiredPermission[] = [];
  if (typeof input['TableName'] === 'string') {
    const index = typeof input['IndexName'] === 'string' ? `/index/${input['IndexName']}` : '';
    permissions.push({ action: `dynamodb:${operation}`, resource: `${tableArn(input['TableName'])}${index}` });
  }
  const requestItems = input['RequestItems'];
  if (typeof requestItems === 'object' && requestItems !== null) {
    for (const name of Object.keys(requestItems)) permissions.push({ action: `dynamodb:${operation}`, resource: tableArn(name) });
  }
  const transactItems = input['TransactItems'];
  if (Array.isArray(transactItems)) {
    // Each item of a transaction is authorized as its own operation (TransactWriteItems: Put → dynamodb:PutItem…).
    const itemActions: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
    for (const item of transactItems as Array<Record<string, { TableName?: unknown } | undefined>>) {
      for (const [kind, itemAction] of Object.entries(itemActions)) {
        const name = item?.[kind]?.TableName;
        if (typeof name === 'string') permissions.push({ action: `dynamodb:${itemAction}`, resource: tableArn(name) });
      }
    }
  }
  return permissions.length > 0 ? permissions : [{ action: `dynamodb:${operation}`, resource: '*' }];
}

const BEDROCK_PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/**
 * The permissions a Bedrock Runtime call needs: Converse is authorized as `bedrock:InvokeModel`, ConverseStream as
 * `bedrock:InvokeModelWithResponseStream` (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
 * …/API_runtime_ConverseStream.html), on the ARN the model id resolves to: a foundation model
 * `arn:aws:bedrock:<region>::foundation-model/<id>`; a cross-Region inference profile
 * `arn:aws:bedrock:<region>:<account>:inference-profile/<id>` and then the foundation model it routes to, with
 * `bedrock:InferenceProfileArn` set to the profile (Bedrock user guide, "Prerequisites for inference profiles":
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html). A model id that is already an
 * ARN is authorized as given.
 *
 * @param request - the signed request
 * @param placement - the local region and account
 * @returns the permissions, or `undefined` for a path that is not Converse or ConverseStream (the service rejects it)
 */
export function bedrockPermissions(request: HttpRequestData, placement: ServicePlacement): RequiredPermission[] | undefined {
  const match = BEDROCK_PATH.exec(request.path);
  if (match === null || request.method !== 'POST') return undefined;
  const action = match[2] === 'converse-stream' ? 'bedrock:InvokeModelWithResponseStream' : 'bedrock:InvokeModel';
  let modelId: string;
  try {
    modelId = decodeURIComponent(match[1] ?? '');
  } catch {
    return undefined;
  }
  if (modelId.startsWith('arn:')) return [{ action, resource: modelId }];
  const model = parseBedrockModelId(modelId);
  if (model === undefined) return undefined; // Bedrock answers a malformed id with its own error
  const foundationModel = `arn:aws:bedrock:${placement.region}::foundation-model/${model.foundationModelId}`;
  if (!model.isInferenceProfile) return [{ action, resource: foundationModel }];
  const profile = `arn:aws:bedrock:${placement.region}:${placement.accountId}:inference-profile/${model.modelId}`;
  return [
    { action, resource: profile },
    { action, resource: foundationModel, context: { 'bedrock:InferenceProfileArn': profile } },
  ];
}

/** The IAM access-denied message for a caller, action and resource. */
function accessDeniedMessage(principal: LocalPrincipal, needed: RequiredPermission, result: AuthorizationResult): string {
  return `User: ${principal.callerArn} is not authorized to perform: ${needed.action} on resource: ${needed.resource} ${deniedBecause(result, needed.action, 'identity-based')}`;
}

/** The first permission the caller lacks, with its decision. */
function firstDenied(principal: LocalPrincipal, permissions: readonly RequiredPermission[], authorizeAction: ActionAuthorizer): [RequiredPermission, AuthorizationResult] | undefined {
  for (const needed of permissions) {
    const result = authorizeAction(principal, needed.action, needed.resource, needed.context);
    if (result.decision !== 'allow') return [needed, result];
  }
  return undefined;
}

/**
 * Puts IAM in front of the DynamoDB handler. A denial is DynamoDB's: HTTP 400, awsJson1.0,
 * `{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: … is not authorized to perform:
 * dynamodb:PutItem on resource: arn:aws:dynamodb:…:table/… because no identity-based policy allows the dynamodb:PutItem
 * action"}` (as reported in aws/aws-sdk-php#1292 and anomalyco/sst#4469).
 *
 * @param handler - the DynamoDB handler
 * @param placement - the local region and account
 * @param authorizeAction - the IAM decision
 */
export function withDynamoDbIam(handler: ServiceHandler, placement: ServicePlacement, authorizeAction: ActionAuthorizer): ServiceHandler {
  return async (request, principal) => {
    const denied = firstDenied(principal, dynamoDbPermissions(request, placement) ?? [], authorizeAction);
    if (denied === undefined) return handler(request, principal);
    return {
      kind: 'respond',
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() },
      body: JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: accessDeniedMessage(principal, ...denied) }),
    };
  };
}

/**
 * Puts IAM in front of the Bedrock Runtime handler. A denial is Bedrock's: HTTP 403, restJson1 with
 * `x-amzn-ErrorType: AccessDeniedException` and `{"message":"User: … is not authorized to perform: bedrock:InvokeModel
 * on resource: arn:aws:bedrock:…::foundation-model/… because no identity-based policy allows the bedrock:InvokeModel
 * action"}` (as reported in pytorch/test-infra#5721, status 403, `application/json`).
 *
 * @param handler - the Bedrock handler
 * @param placement - the local region and account
 * @param authorizeAction - the IAM decision
 */
export function withBedrockIam(handler: ServiceHandler, placement: ServicePlacement, authorizeAction: ActionAuthorizer): ServiceHandler {
  return async (request, principal) => {
    const denied = firstDenied(principal, bedrockPermissions(request, placement) ?? [], authorizeAction);
    if (denied === undefined) return handler(request, principal);
    return restJsonError(403, 'AccessDeniedException', accessDeniedMessage(principal, ...denied));
  };
}
