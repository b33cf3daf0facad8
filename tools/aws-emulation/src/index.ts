/**
 * What only imitates AWS, for the local stack and tests: never shipped in a Lambda or used by the CDK app.
 *
 * - `authorize`: one IAM evaluator (identity and resource policies, same- and cross-account, service principals).
 * - `expandExecuteApiShorthand`: API Gateway's `execute-api:/` resource shorthand.
 *
 * @packageDocumentation
 */
export { authorize } from './iam/authorize';
export { SUPPORTED_CONDITION_OPERATORS } from './iam/conditions';
export { MalformedPolicyError, UnsupportedPolicyFeatureError } from './iam/errors';
export type {
  AuthorizationRequest,
  AuthorizationResult,
  CallerPrincipal,
  DecidingStatement,
  Decision,
  PolicyCondition,
  PolicyConditionValue,
  PolicyDocument,
  PolicyPrincipal,
  PolicyStatement,
  RequestContext,
} from './iam/types';
export { expandExecuteApiShorthand } from './apigw/execute-api-shorthand';
