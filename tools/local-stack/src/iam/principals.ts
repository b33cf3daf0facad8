import { EXECUTION_API_METHOD, EXECUTION_API_PATH, EXECUTION_API_STAGE } from '@slack-ai-app/execution-api-contract';
import type { DeployedRole, PolicyDocument } from '../assembly/deployment';
import { LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION, accountOfArn } from '../constants';

/** The fixed local principals of every layout. */
export type PrincipalName = 'verification' | 'execution' | 'otherRole' | 'developer';

/** Every fixed local principal: those of every layout, and `otherAccountRole` of the two-account layout. */
export type AnyPrincipalName = PrincipalName | 'otherAccountRole';

/** The principals of a running stack: the four of every layout, and in the two-account layout `otherAccountRole`. */
export type LocalPrincipals = Readonly<Record<PrincipalName, LocalPrincipal>> & { readonly otherAccountRole?: LocalPrincipal };

/**
 * One local principal: obviously fake access keys, the ARNs IAM would report for it, and its identity policy.
 * These keys are printed at startup and documented in the README; they work only against the local stack.
 */
export interface LocalPrincipal {
  readonly name: AnyPrincipalName;
  /** What it stands for, for humans. */
  readonly description: string;
  /** The account it belongs to (default: the local account `000000000000`). */
  readonly accountId?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for assumed-role (Lambda execution role) credentials; IAM users have none. */
  readonly sessionToken: string | undefined;
  /** The role or user ARN (`aws:PrincipalArn`). */
  readonly principalArn: string;
  /** The caller ARN shown in access-denied messages (`arn:aws:sts::…:assumed-role/…` for roles). */
  readonly callerArn: string;
  /** API Gateway's `$context.identity.caller`: `<role id>:<session>` for a role session, the user id for a user. */
  readonly callerId: string;
  /** The principal's identity-based policies (inline and attached), evaluated with each service's resource policy. */
  readonly identityPolicies: readonly PolicyDocument[];
}

const ACCOUNT = LOCAL_ACCOUNT_ID;

/** The execution API's only method, as an execute-api resource ARN (the contract's stage and path, the local API id). */
export const EXECUTE_METHOD_ARN = `arn:aws:execute-api:${LOCAL_REGION}:${ACCOUNT}:${LOCAL_API_ID}/${EXECUTION_API_STAGE}/${EXECUTION_API_METHOD}/${EXECUTION_API_PATH}`;

/** A principal's fake credentials: access keys are what AWS generates, so they are local. */
export type LocalKeys = Pick<LocalPrincipal, 'name' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>;

/**
 * The fixed, obviously fake keys of each local principal. The two function roles get theirs when the stack deploys
 * the template (their ARNs and policies come from it); the other two are local test principals.
 */
export const LOCAL_KEYS: Readonly<Record<AnyPrincipalName, LocalKeys>> = {
  verification: {
    name: 'verification',
    accessKeyId: 'ASIALOCALVERIFY00001',
    secretAccessKey: 'local/verification/secret/not/a/real/key0',
    sessionToken: 'local-session-token-verification-not-real',
  },
  execution: {
    name: 'execution',
    accessKeyId: 'ASIALOCALEXECUTE0001',
    secretAccessKey: 'local/execution/secret/not/a/real/key00000',
    sessionToken: 'local-session-token-execution-not-real',
  },
  otherRole: {
    name: 'otherRole',
    accessKeyId: 'ASIALOCALOTHERROLE01',
    secretAccessKey: 'local/other-role/secret/not/a/real/key0000',
    sessionToken: 'local-session-token-other-role-not-real',
  },
  developer: { name: 'developer', accessKeyId: 'AKIALOCALDEVELOPER01', secretAccessKey: 'local/developer/secret/not/a/real/key00000', sessionToken: undefined },
  otherAccountRole: {
    name: 'otherAccountRole',
    accessKeyId: 'ASIALOCALOTHERACCT01',
    secretAccessKey: 'local/other-account-role/secret/not/a/key',
    sessionToken: 'local-session-token-other-account-role-not-real',
  },
};

/**
 * The local principal of a role the template deploys, as Lambda's execution-role session sees it: the role's ARN and
 * id from the template, the function name as the session name, and the role's identity policies.
 *
 * @param name - which function's role
 * @param role - the deployed role
 * @param sessionName - the session name (Lambda uses the function name)
 */
export function deployedRolePrincipal(name: 'verification' | 'execution', role: DeployedRole, sessionName: string): LocalPrincipal {
  const account = accountOfArn(role.arn) ?? ACCOUNT;
  return {
    ...LOCAL_KEYS[name],
    description: `the ${name} function\u2019s role ${role.name} (from the template)`,
    accountId: account,
    principalArn: role.arn,
    callerArn: `arn:aws:sts::${account}:assumed-role/${role.name}/${sessionName}`,
    callerId: `${role.roleId}:${sessionName}`,
    identityPolicies: role.policies,
  };
}

/**
 * Principals that are not part of the deployed system, for tests and tools against the local stack only.
 *
 * - `otherRole`: "another role in the same account" (the verification function's) whose identity policy allows
 *   `execute-api:Invoke`, `secretsmanager:GetSecretValue` and `lambda:InvokeFunction` on `*` (so a function can run
 *   as it); only the API resource policy's explicit Deny keeps it out of the execution API.
 * - `developer`: an IAM user with an allow-all policy, for curl / the AWS CLI against the local endpoint, in the
 *   account of the execution API (where the table and most resources are).
 *
 * @param accounts - the verification function's account and the execution API's (the same in the one-account layout)
 */
export function localTestPrincipals(accounts: { readonly verification: string; readonly execution: string } = { verification: ACCOUNT, execution: ACCOUNT }): Readonly<Record<'otherRole' | 'developer', LocalPrincipal>> {
  const { verification, execution } = accounts;
  return {
    otherRole: otherRolePrincipal('otherRole', verification, 'slack-ai-app-other-role', 'AROALOCALOTHERROLE01', 'local test principal: another role in the same account (identity policy allows execute-api:Invoke, secret reads and Lambda invokes on *)'),
    developer: {
      ...LOCAL_KEYS.developer,
      description: 'local test principal: a developer IAM user for curl and the AWS CLI (allow-all identity policy)',
      accountId: execution,
      principalArn: `arn:aws:iam::${execution}:user/local-developer`,
      callerArn: `arn:aws:iam::${execution}:user/local-developer`,
      callerId: 'AIDALOCALDEVELOPER01',
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    },
  };
}

/** The local test principals of the one-account layout. */
export const LOCAL_TEST_PRINCIPALS: Readonly<Record<'otherRole' | 'developer', LocalPrincipal>> = localTestPrincipals();

/**
 * The two-account layout's extra local test principal: "a role in the execution account" whose identity policy
 * allows `execute-api:Invoke`, secret reads and Lambda invokes on `*`. It is not the verification role, so the API
 * resource policy's explicit Deny keeps it out.
 *
 * @param executionAccount - the execution API's account
 */
export function otherAccountRolePrincipal(executionAccount: string): LocalPrincipal {
  return otherRolePrincipal('otherAccountRole', executionAccount, 'slack-ai-app-execution-account-role', 'AROALOCALOTHERACCT01', 'local test principal: a role in the execution account (identity policy allows execute-api:Invoke, secret reads and Lambda invokes on *)');
}

function otherRolePrincipal(name: 'otherRole' | 'otherAccountRole', account: string, roleName: string, roleId: string, description: string): LocalPrincipal {
  return {
    ...LOCAL_KEYS[name],
    description,
    accountId: account,
    principalArn: `arn:aws:iam::${account}:role/${roleName}`,
    callerArn: `arn:aws:sts::${account}:assumed-role/${roleName}/local-session`,
    callerId: `${roleId}:local-session`,
    identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['execute-api:Invoke', 'secretsmanager:GetSecretValue', 'lambda:InvokeFunction'], Resource: '*' }] }],
  };
}

/** The principals of a running stack, looked up by access key. */
export class PrincipalDirectory {
  private readonly byKey: ReadonlyMap<string, LocalPrincipal>;

  constructor(readonly principals: LocalPrincipals) {
    this.byKey = new Map(Object.values(principals).flatMap((p: LocalPrincipal | undefined) => (p === undefined ? [] : [[p.accessKeyId, p] as const])));
  }

  /**
   * Finds the local principal that owns an access key id.
   *
   * @param accessKeyId - from the SigV4 credential scope
   * @returns the principal, or `undefined` for an unknown key
   */
  byAccessKey(accessKeyId: string): LocalPrincipal | undefined {
    return this.byKey.get(accessKeyId);
  }
}

/**
 * The AWS credential environment variables of a principal, as Lambda sets them for a function's execution role.
 *
 * @param principal - the local principal
 */
export function credentialEnvironment(principal: LocalPrincipal): Record<string, string> {
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: principal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: principal.secretAccessKey,
  };
  if (principal.sessionToken !== undefined) env['AWS_SESSION_TOKEN'] = principal.sessionToken;
  return env;
}
