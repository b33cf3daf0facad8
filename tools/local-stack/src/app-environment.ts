import { FUNCTION_NAMES, IDEMPOTENCY_TABLE_NAME, SLACK_IDS, type FunctionRole, functionArn } from './constants';

/** What the two functions' environments are built from. */
export interface AppEnvironmentInput {
  /** The execution API's stage URL, e.g. `http://127.0.0.1:4566/prod`. */
  readonly stageUrl: string;
  /** `SLACK_API_URL` of the execution function. */
  readonly slackApiUrl: string;
  /** True when Slack is the local stand-in (not a real workspace). */
  readonly localWorkspace: boolean;
  readonly signingSecretArn: string;
  readonly botTokenArn: string;
  /** `USE_API_GATEWAY_PERCENTAGE`. */
  readonly apiGatewayPercentage: number;
  /** Set `BEDROCK_PROCESSOR_ARN` (direct path and fallback). */
  readonly directInvokeFallback: boolean;
}

/**
 * The two functions' own environment variables, as apps/infra sets them (names from docs/contracts.md): secrets by
 * ARN (read through the extension or Secrets Manager, as in production), the stage URL with its trailing slash (as
 * CDK's `RestApi.url`), and `USE_API_GATEWAY=false` with the percentage deciding the share of API traffic.
 *
 * @param input - URLs, ARNs and hand-off settings
 * @returns the variables by function role
 */
export function appEnvironments(input: AppEnvironmentInput): Record<FunctionRole, Record<string, string>> {
  const verification: Record<string, string> = {
    SLACK_SIGNING_SECRET_ARN: input.signingSecretArn,
    USE_API_GATEWAY: 'false',
    USE_API_GATEWAY_PERCENTAGE: String(input.apiGatewayPercentage),
    EXECUTION_API_URL: `${input.stageUrl}/`,
    EXECUTION_API_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'info',
  };
  if (input.localWorkspace) {
    // The local workspace: only its team is allowed, and the bot's own user id is known.
    verification['ALLOWED_TEAM_IDS'] = SLACK_IDS.teamId;
    verification['SLACK_BOT_USER_ID'] = SLACK_IDS.botUserId;
  }
  if (input.directInvokeFallback) verification['BEDROCK_PROCESSOR_ARN'] = functionArn(FUNCTION_NAMES.execution);
  const execution: Record<string, string> = {
    SLACK_BOT_TOKEN_ARN: input.botTokenArn,
    IDEMPOTENCY_TABLE_NAME,
    SLACK_API_URL: input.slackApiUrl,
    LOG_LEVEL: 'info',
  };
  return { verification, execution };
}
