import { assertStage } from './arn';
import { EXECUTE_API_INVOKE_ACTION, EXECUTION_API_METHOD, EXECUTION_API_PATH, EXECUTION_API_STAGE } from './constants';
import { ContractArgumentError } from './errors';
import type { PolicyDocumentJson, PolicyStatementJson } from './policy-document';

/** Options of {@link executionApiResourcePolicy}. */
export interface ExecutionApiResourcePolicyOptions {
  /** ARN of the only principal allowed in (the verification Lambda's role). May be a CDK token: used as is. */
  readonly allowedPrincipalArn: string;
  /** @default EXECUTION_API_STAGE ('prod') */
  readonly stage?: string;
  /**
   * Name the role's **account** as the Allow's principal (`arn:<partition>:iam::<account>:root`) and the role itself in
   * an `ArnEquals` `aws:PrincipalArn` condition, for a role of another account that may not exist yet (the two-account
   * layout deploys the API first). The effect is the same (only that role), but the document names no role principal:
   * services resolve a role principal to the role's unique id when the policy is saved, so such a policy can be refused
   * before the role exists and stops matching once the role is re-created (AWS Knowledge Center, "Why is there an
   * unknown principal format in my IAM resource-based policy?"); a condition on `aws:PrincipalArn` is compared as text
   * at request time. `allowedPrincipalArn` must then be a literal role ARN.
   *
   * @default false
   */
  readonly principalByAccount?: boolean;
}

/**
 * The execution API's resource policy: exactly two statements.
 *
 * 1. Allow `{AWS: allowedPrincipalArn}` to `execute-api:Invoke` `execute-api:/<stage>/POST/execute`.
 * 2. Deny everyone (`*`) `execute-api:Invoke` on `execute-api:/*` when `aws:PrincipalArn` is not that role
 *    (`ArnNotEquals`).
 *
 * The explicit Deny is what keeps other principals out: for a caller in the same account, an Allow in either its
 * identity policy or this resource policy is enough (API Gateway's authorization flow, Table A), so an Allow alone
 * would not stop another role whose identity policy grants `execute-api:Invoke`.
 *
 * @returns a fresh policy document (IAM JSON), for CDK (`PolicyDocument.fromJson`) and the local API Gateway.
 * @throws ContractArgumentError if `allowedPrincipalArn` is empty or `stage` is not a valid stage name.
 */
export function executionApiResourcePolicy(options: ExecutionApiResourcePolicyOptions): PolicyDocumentJson {
  const { allowedPrincipalArn } = options;
  const stage = options.stage ?? EXECUTION_API_STAGE;
  if (typeof allowedPrincipalArn !== 'string' || allowedPrincipalArn.trim() === '') {
    throw new ContractArgumentError('allowedPrincipalArn', 'must be a non-empty string');
  }
  assertStage(stage);
  const allow = options.principalByAccount === true ? byAccount(allowedPrincipalArn) : { Principal: { AWS: allowedPrincipalArn } };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowVerificationRoleToInvokeExecute',
        Effect: 'Allow',
        ...allow,
        Action: EXECUTE_API_INVOKE_ACTION,
        Resource: `execute-api:/${stage}/${EXECUTION_API_METHOD}/${EXECUTION_API_PATH}`,
      },
      {
        Sid: 'DenyEveryoneElse',
        Effect: 'Deny',
        Principal: '*',
        Action: EXECUTE_API_INVOKE_ACTION,
        Resource: 'execute-api:/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': allowedPrincipalArn } },
      },
    ],
  };
}

/** The Allow's principal and condition that name a role through its account (see `principalByAccount`). */
function byAccount(roleArn: string): Pick<PolicyStatementJson, 'Principal' | 'Condition'> {
  const match = /^arn:([a-z-]+):iam::(\d{12}):role\/[\w+=,.@/-]+$/.exec(roleArn);
  if (match === null) {
    throw new ContractArgumentError('allowedPrincipalArn', `must be a literal IAM role ARN with principalByAccount, got ${JSON.stringify(roleArn)}`);
  }
  return {
    Principal: { AWS: `arn:${match[1]}:iam::${match[2]}:root` },
    Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn } },
  };
}
