/**
 * What only imitates AWS, for the local stack and tests: never shipped in a Lambda or used by the CDK app.
 *
 * - `authorize`: one IAM evaluator (identity and resource policies, same- and cross-account, service principals).
 * - `verifySigV4Request`: SigV4 authentication as API Gateway does it, with its exact error answers.
 * - The API Gateway error catalogue: every error answer (status, `x-amzn-ErrorType`, body) and the patterns that
 *   recognise them, for the verifier, the local API Gateway and the hostile-input tests.
 * - `expandExecuteApiShorthand`: API Gateway's `execute-api:/` resource shorthand.
 *
 * @packageDocumentation
 */
export { authorize } from './iam/authorize';
export { iamAccessDeniedMessage } from './iam/access-denied';
export { SUPPORTED_CONDITION_OPERATORS } from './iam/conditions';
export { AuthorizationRequestError, MalformedPolicyError, UnsupportedPolicyFeatureError } from './iam/errors';
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
export { verifySigV4Request } from './sigv4/verify-sigv4-request';
export type { KnownCredential, VerifiableRequest, VerifyOptions, VerifyResult } from './sigv4/verify-sigv4-request';
export { SigV4AuthError } from './sigv4/sigv4-auth-error';
export type { SigV4AuthFailureReason } from './sigv4/sigv4-auth-error';
export { parseCredentialScope } from './sigv4/parse-credential-scope';
export {
  GATEWAY_ANSWER_PATTERNS,
  accessDeniedAnswer,
  explicitDenyPattern,
  gatewayStatusAnswer,
  invalidRequestBodyAnswer,
  maskAccountInArn,
  missingAuthenticationTokenAnswer,
  unknownRouteAnswer,
  unsupportedMediaTypeAnswer,
} from './apigw/error-catalogue';
export type { GatewayAnswerPattern, GatewayErrorAnswer } from './apigw/error-catalogue';
