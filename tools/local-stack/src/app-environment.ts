import type { DeployedFunction } from './assembly/deployment';
import { SLACK_IDS, type FunctionRole } from './constants';
import { VERIFICATION_ENV } from '@slack-ai-app/stack-contract';

/** What the local overrides of the template's environments are built from. */
export interface LocalEnvironmentInput {
  /** The local AWS endpoint's origin, e.g. `http://127.0.0.1:4566`: `https://<api>.execute-api.…` URLs point here. */
  readonly awsOrigin: string;
  /** The REST API's id (what `execute-api` host names start with). */
  readonly apiId: string;
  readonly region: string;
  /** `SLACK_API_URL` of the execution function (the stand-in, or real Slack). */
  readonly slackApiUrl: string;
  /** True when Slack is the local stand-in (not a real workspace). */
  readonly localWorkspace: boolean;
  /** Local override of `USE_API_GATEWAY_PERCENTAGE` (the template's `executionApiPercentage` context). */
  readonly apiGatewayPercentage: number | undefined;
  /** `false` removes `EXECUTION_FUNCTION_ARN` and its alias `BEDROCK_PROCESSOR_ARN` (the template's `enableDirectInvokeFallback=false` does the same). */
  readonly directInvokeFallback: boolean;
}

/**
 * A function's environment as the template sets it, with only endpoints and the local workspace changed: an
 * `https://<api id>.execute-api.<region>.amazonaws.com/…` URL points at the local endpoint instead, the execution
 * function's Slack Web API is the stand-in, and the ingress function knows the local workspace's team and bot user.
 * The two documented options of `startLocalStack` (`useApiGatewayPercentage`, `directInvokeFallback`) override the
 * matching variables.
 *
 * @param fn - the deployed function (its template environment)
 * @param role - its place in the system
 * @param input - local endpoints and options
 * @returns the environment the local function gets
 */
export function localEnvironment(fn: DeployedFunction, role: FunctionRole, input: LocalEnvironmentInput): Record<string, string> {
  const apiHost = new RegExp(`^https://${escape(input.apiId)}\\.execute-api\\.${escape(input.region)}\\.amazonaws\\.com/`);
  const env: Record<string, string> = Object.fromEntries(Object.entries(fn.environment).map(([key, value]) => [key, value.replace(apiHost, `${input.awsOrigin}/`)]));
  if (role === 'execution') env['SLACK_API_URL'] = input.slackApiUrl;
  if (role === 'verification') {
    if (input.localWorkspace) {
      // The local workspace: only its team is allowed, and the bot's own user id is known.
      env['ALLOWED_TEAM_IDS'] = SLACK_IDS.teamId;
      env['SLACK_BOT_USER_ID'] = SLACK_IDS.botUserId;
    }
    if (input.apiGatewayPercentage !== undefined) env[VERIFICATION_ENV.apiGatewayPercentage] = String(input.apiGatewayPercentage);
    if (!input.directInvokeFallback) {
      delete env[VERIFICATION_ENV.executionFunctionArn];
      delete env[VERIFICATION_ENV.executionFunctionArnAlias];
    }
  }
  return env;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
