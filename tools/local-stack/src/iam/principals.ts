import { FUNCTION_NAMES, LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION } from '../constants';
import type { CallerPrincipal, PolicyDocument } from '@slack-ai-app/aws-emulation';

/** The fixed local principals. */
export type PrincipalName = 'verification' | 'execution' | 'otherRole' | 'developer';

/**
 * One local principal: obviously fake access keys, the ARNs IAM would report for it, and its identity policy.
 * These keys are printed at startup and documented in the README; they work only against the local stack.
 */
export interface LocalPrincipal {
  readonly name: PrincipalName;
  /** What it stands for, for humans. */
  readonly description: string;
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
  /** The principal's identity-based policy (what IAM attaches to it), evaluated with the API's resource policy. */
  readonly identityPolicy: PolicyDocument;
}

const ACCOUNT = LOCAL_ACCOUNT_ID;

/** The execution API's only method, as an execute-api resource ARN. */
export const EXECUTE_METHOD_ARN = `arn:aws:execute-api:${LOCAL_REGION}:${ACCOUNT}:${LOCAL_API_ID}/prod/POST/execute`;

function role(name: string, roleId: string, session: string): Pick<LocalPrincipal, 'principalArn' | 'callerArn' | 'callerId'> {
  return {
    principalArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    callerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${session}`,
    callerId: `${roleId}:${session}`,
  };
}

/**
 * The local principals.
 *
 * - `verification`: the verification function's execution role. Its identity policy allows `execute-api:Invoke` on the
 *   execution API's method, and the API's resource policy names it.
 * - `execution`: the execution function's role (no execute-api permission).
 * - `otherRole`: "another role in the same account" whose identity policy allows `execute-api:Invoke` on `*`. Under
 *   Table A of behaviour.md §3 that alone would let it in; only the resource policy's explicit Deny stops it.
 * - `developer`: an IAM user with an allow-all policy, for curl / the AWS CLI against the local endpoint.
 */
export const LOCAL_PRINCIPALS: Readonly<Record<PrincipalName, LocalPrincipal>> = {
  verification: {
    name: 'verification',
    description: 'the verification function\u2019s role (allowed by the execution API)',
    accessKeyId: 'ASIALOCALVERIFY00001',
    secretAccessKey: 'local/verification/secret/not/a/real/key0',
    sessionToken: 'local-session-token-verification-not-real',
    ...role('slack-ai-app-verification-role', 'AROALOCALVERIFY00001', FUNCTION_NAMES.verification),
    identityPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: EXECUTE_METHOD_ARN }] },
  },
  execution: {
    name: 'execution',
    description: 'the execution function\u2019s role',
    accessKeyId: 'ASIALOCALEXECUTE0001',
    secretAccessKey: 'local/execution/secret/not/a/real/key00000',
    sessionToken: 'local-session-token-execution-not-real',
    ...role('slack-ai-app-execution-role', 'AROALOCALEXECUTE0001', FUNCTION_NAMES.execution),
    identityPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel', 'dynamodb:*', 'secretsmanager:GetSecretValue'], Resource: '*' }],
    },
  },
  otherRole: {
    name: 'otherRole',
    description: 'another role in the same account (identity policy allows execute-api:Invoke on *)',
    accessKeyId: 'ASIALOCALOTHERROLE01',
    secretAccessKey: 'local/other-role/secret/not/a/real/key0000',
    sessionToken: 'local-session-token-other-role-not-real',
    ...role('slack-ai-app-other-role', 'AROALOCALOTHERROLE01', 'local-session'),
    identityPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] },
  },
  developer: {
    name: 'developer',
    description: 'a developer IAM user for curl and the AWS CLI (allow-all identity policy)',
    accessKeyId: 'AKIALOCALDEVELOPER01',
    secretAccessKey: 'local/developer/secret/not/a/real/key00000',
    sessionToken: undefined,
    principalArn: `arn:aws:iam::${ACCOUNT}:user/local-developer`,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/local-developer`,
    callerId: 'AIDALOCALDEVELOPER01',
    identityPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
};

/**
 * Finds the local principal that owns an access key id.
 *
 * @param accessKeyId - from the SigV4 credential scope
 * @returns the principal, or `undefined` for an unknown key
 */
export function principalByAccessKey(accessKeyId: string): LocalPrincipal | undefined {
  return Object.values(LOCAL_PRINCIPALS).find((p) => p.accessKeyId === accessKeyId);
}

/**
 * The principal as IAM sees it after authentication, for `authorize`: a role session (it has a session token) or an
 * IAM user, of the local account.
 *
 * @param principal - the local principal
 */
export function callerPrincipal(principal: LocalPrincipal): CallerPrincipal {
  return principal.sessionToken === undefined
    ? { type: 'user', arn: principal.principalArn, accountId: ACCOUNT }
    : { type: 'role', arn: principal.principalArn, sessionArn: principal.callerArn, accountId: ACCOUNT };
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
