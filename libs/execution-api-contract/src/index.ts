/**
 * What the execution API is, in one place, so the CDK app (`apps/infra`) and the local API Gateway
 * (`tools/local-stack`) build the same thing: the stage and path, the resource policy (evaluated by
 * `authorize` in tools/aws-emulation), the integration mapping template and the event it produces, and the idempotency table's key schema.
 *
 * No runtime dependencies: the execution Lambda imports it for {@link isExecutionApiEvent}.
 *
 * @packageDocumentation
 */
export {
  CORRELATION_ID_HEADER,
  DEFAULT_EXECUTION_RESERVED_CONCURRENCY,
  EXECUTE_API_INVOKE_ACTION,
  EXECUTION_API_METHOD,
  EXECUTION_API_PATH,
  EXECUTION_API_STAGE,
  IDEMPOTENCY_TABLE,
} from './constants';
export { ContractArgumentError } from './errors';
export { executeApiArnPrefix, methodArn } from './arn';
export type {
  PolicyConditionJson,
  PolicyDocumentJson,
  PolicyPrincipalJson,
  PolicyStatementJson,
} from './policy-document';
export { executionApiResourcePolicy } from './resource-policy';
export type { ExecutionApiResourcePolicyOptions } from './resource-policy';
export {
  ACCEPTED_RESPONSE_TEMPLATE,
  INTEGRATION_REQUEST_TEMPLATE,
  acceptedResponseBody,
  buildExecutionApiEvent,
  inputParam,
  isExecutionApiEvent,
} from './execution-api-event';
export type {
  ExecutionApiEvent,
  ExecutionApiEventInput,
  ExecutionApiIdentity,
  InputParams,
} from './execution-api-event';
