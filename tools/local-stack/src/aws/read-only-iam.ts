import type { AuthorizationResult, PolicyDocument } from '@slack-ai-app/aws-emulation';
import { SECRETS_EXTENSION_LAYER } from '../assembly/deployment';
import type { HttpReply, HttpRequestData } from '../http/types';
import { FOUNDATION_MODEL_PATH, INFERENCE_PROFILE_PATH } from './bedrock-control';
import { LOCAL_ACCOUNT_ID } from '../constants';
import { deniedBecause } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import type { ServiceRoute } from './endpoint';
import { restJsonError } from './errors';
import { queryError, queryParams } from './query-protocol';
import type { RequiredPermission } from './service-iam';

/** Decides one action on one resource for a caller: its identity policies and the resource's policy, if any. */
export type ReadOnlyAuthorizer = (principal: LocalPrincipal, action: string, resource: string, resourcePolicy?: PolicyDocument) => AuthorizationResult;

/** A permission, with the resource's policy when the resource has one. */
export interface ReadOnlyPermission extends RequiredPermission {
  readonly resourcePolicy?: PolicyDocument;
}

/**
 * IAM on the read-only control-plane calls of {@link createReadOnlyRoutes}: each request is mapped to the action and
 * resource AWS authorizes it as (Service Authorization Reference, "Actions, resources, and condition keys" for AWS
 * CloudFormation, AWS Lambda and Amazon Bedrock), decided by the caller's identity policies through the one evaluator,
 * and refused in the service's own shape:
 * - CloudFormation (Query): HTTP 403 `AccessDenied`, "User: … is not authorized to perform: cloudformation:DescribeStacks
 *   on resource: arn:aws:cloudformation:<region>:<account>:stack/<name>/* because no identity-based policy allows the
 *   cloudformation:DescribeStacks action" (aws-samples/aws-hpc-tutorials#271, anomalyco/sst#3006 with status 403); a call
 *   that names no stack is authorized on `stack/*\/*` (the resource jogold/cloudstructs#215 quotes for ListStacks).
 *   A stack is always the caller's account's: CloudFormation describes the stacks of the account that signs.
 * - Lambda `GetLayerVersionByArn`: `lambda:GetLayerVersion` on the layer version ARN; 403 `AccessDeniedException`
 *   `{"Type":"User","Message":…}`, as Lambda answers `GetFunctionConfiguration` (see lambda-configuration.ts). A layer
 *   of another account needs its layer permission too: AWS publishes the Parameters and Secrets extension for every
 *   account (the layer permission with principal `*` of `AddLayerVersionPermission`,
 *   https://docs.aws.amazon.com/lambda/latest/api/API_AddLayerVersionPermission.html), so its layer policy is that grant.
 * - Bedrock `GetFoundationModel` / `GetInferenceProfile`: `bedrock:GetFoundationModel` on
 *   `arn:aws:bedrock:<region>::foundation-model/<id>`, `bedrock:GetInferenceProfile` on
 *   `arn:aws:bedrock:<region>:<account>:inference-profile/<id>`; 403 `AccessDeniedException` `{"message":…}`, as
 *   Bedrock Runtime answers (see service-iam.ts).
 * - STS `GetCallerIdentity` needs no permission, even under an explicit Deny (STS API Reference, "GetCallerIdentity":
 *   "No permissions are required to perform this operation"): it stays open.
 */

/**
 * The permission a read-only call needs, or `undefined` when it needs none (STS) or names nothing the service would
 * accept (the service then answers its own validation error).
 *
 * @param service - the SigV4 signing name
 * @param request - the signed request
 * @param region - the local region
 * @param accountId - the caller's account
 */
export function readOnlyPermission(service: string, request: HttpRequestData, region: string, accountId: string): ReadOnlyPermission | undefined {
  if (service === 'cloudformation') {
    const params = queryParams(request);
    const action = params.get('Action');
    if (action === null || action === '') return undefined;
    const name = params.get('StackName');
    // A stack id is already the stack's ARN.
    const resource = name === null ? `arn:aws:cloudformation:${region}:${accountId}:stack/*/*` : name.startsWith('arn:') ? name : `arn:aws:cloudformation:${region}:${accountId}:stack/${name}/*`;
    return { action: `cloudformation:${action}`, resource };
  }
  if (service === 'lambda') {
    const arn = request.query.get('Arn');
    if (arn === null || arn === '') return undefined;
    const published = SECRETS_EXTENSION_LAYER.test(arn);
    return { action: 'lambda:GetLayerVersion', resource: arn, ...(published ? { resourcePolicy: publicLayerPolicy(arn) } : {}) };
  }
  if (service === 'bedrock') {
    const model = FOUNDATION_MODEL_PATH.exec(request.path)?.[1];
    if (model !== undefined) return { action: 'bedrock:GetFoundationModel', resource: `arn:aws:bedrock:${region}::foundation-model/${decodeURIComponent(model)}` };
    const profile = INFERENCE_PROFILE_PATH.exec(request.path)?.[1];
    if (profile !== undefined) return { action: 'bedrock:GetInferenceProfile', resource: `arn:aws:bedrock:${region}:${accountId}:inference-profile/${decodeURIComponent(profile)}` };
  }
  return undefined;
}

/** The layer permission of a layer version shared with every account. */
function publicLayerPolicy(arn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Sid: 'public', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: arn }] };
}

function deniedReply(route: ServiceRoute, message: string): HttpReply {
  if (route.protocol === 'aws-query') return queryError(403, 'AccessDenied', message);
  if (route.service === 'lambda') return restJsonError(403, 'AccessDeniedException', message, { Type: 'User' }, 'Message');
  return restJsonError(403, 'AccessDeniedException', message);
}

/**
 * Puts IAM in front of a read-only route.
 *
 * @param route - the route
 * @param region - the local region
 * @param authorizeAction - the IAM decision (the caller's identity policies and the resource's policy)
 * @returns the same route, answering access denied in the service's shape when the caller lacks the permission
 */
export function withReadOnlyIam(route: ServiceRoute, region: string, authorizeAction: ReadOnlyAuthorizer): ServiceRoute {
  return {
    ...route,
    handle: async (request: HttpRequestData, principal: LocalPrincipal) => {
      const needed = readOnlyPermission(route.service, request, region, principal.accountId ?? LOCAL_ACCOUNT_ID);
      if (needed !== undefined) {
        const result = authorizeAction(principal, needed.action, needed.resource, needed.resourcePolicy);
        if (result.decision !== 'allow') {
          const subject = needed.resourcePolicy === undefined ? 'identity-based' : 'resource-based';
          return deniedReply(route, `User: ${principal.callerArn} is not authorized to perform: ${needed.action} on resource: ${needed.resource} ${deniedBecause(result, needed.action, subject)}`);
        }
      }
      return route.handle(request, principal);
    },
  };
}
