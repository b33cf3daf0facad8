/**
 * Fixed names of the local world (what AWS or Slack would generate): region, account, API id, Slack ids, default ports.
 * What the deployed system is named comes from the synthesized template, never from here.
 * Everything here is documented in the README and is obviously local (account `000000000000`).
 */

/** The local region; every SigV4 scope must name it. */
export const LOCAL_REGION = 'us-east-1';

/** The local AWS account id (docs/contracts.md, "Local stack"). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** The execution API's id (docs/contracts.md, "Local stack"). */
export const LOCAL_API_ID = 'localapi';

/**
 * The execution API's id in the two-account layout. The verification stack is synthesized with
 * `-c executionApiId=<id>`, which must look like an API Gateway id (10 lower-case letters and digits), so it is not
 * {@link LOCAL_API_ID}.
 */
export const LOCAL_TWO_ACCOUNT_API_ID = 'localexapi';

/**
 * The account of an ARN (`arn:partition:service:region:account:…`), or `undefined` when it has none (S3, IAM-less
 * service ARNs) or is not an ARN.
 *
 * @param arn - any ARN (`undefined` has no account)
 */
export function accountOfArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/** Default ports on 127.0.0.1. */
export const DEFAULT_PORTS = {
  /** Slack ingress: the verification function's local Function URL. */
  slack: 3000,
  /** The Slack Web API stand-in. */
  slackApi: 3001,
  /** The local AWS endpoint (`AWS_ENDPOINT_URL`). */
  aws: 4566,
  /** The console in the browser (`npm start` only). */
  console: 3002,
} as const;

/** Environment variables that override the default ports (`0` picks a free port). */
export const PORT_ENV = {
  slack: 'LOCAL_STACK_SLACK_PORT',
  slackApi: 'LOCAL_STACK_SLACK_API_PORT',
  aws: 'LOCAL_STACK_AWS_PORT',
  console: 'LOCAL_STACK_CONSOLE_PORT',
} as const;

/** The loopback address every server binds to. */
export const LOOPBACK = '127.0.0.1';

/**
 * The two functions by their place in the system, as the template wires them: `verification` is the function behind
 * the Function URL (Slack's ingress), `execution` the one the REST API's integration invokes. Their names, roles and
 * configuration come from the synthesized template.
 */
export type FunctionRole = 'verification' | 'execution';

/** Ids of the local Slack workspace. */
export const SLACK_IDS = {
  teamId: 'T0LOCAL0001',
  channelId: 'C0LOCAL0001',
  /** The local user's direct-message channel with the bot. */
  dmChannelId: 'D0LOCALDM01',
  userId: 'U0LOCALUSER',
  botUserId: 'U0LOCALBOT1',
  botId: 'B0LOCALBOT1',
  appId: 'A0LOCALAPP1',
} as const;

/** The Lambda function ARN for a local function name, in the local account unless another is given. */
export function functionArn(name: string, accountId: string = LOCAL_ACCOUNT_ID): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${accountId}:function:${name}`;
}
