import { type CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { executionFunctionArnFrom, STACK_OUTPUTS, VERIFICATION_ENV } from '@slack-ai-app/stack-contract';
import { describeError, StackReadError } from './errors';

/** The verification Lambda's routing configuration, as deployed. */
export interface RoutingConfig {
  /** `USE_API_GATEWAY` is `true` (case-insensitive): every event goes through the API, whatever the percentage. */
  readonly useApiGateway: boolean;
  /** `USE_API_GATEWAY_PERCENTAGE` as an integer; undefined when absent or not an integer from 0 to 100. */
  readonly percentage: number | undefined;
  /** The raw `USE_API_GATEWAY_PERCENTAGE`, for messages when it is not a valid percentage. */
  readonly percentageRaw: string | undefined;
  /**
   * `EXECUTION_FUNCTION_ARN` or its alias `BEDROCK_PROCESSOR_ARN` is set and non-empty: the direct-invoke fallback is
   * enabled (after `rollout cleanup`, neither may be). The ARN itself is never kept.
   */
  readonly fallbackEnabled: boolean;
  /** `EXECUTION_API_URL` is set and non-empty. */
  readonly executionApiUrlSet: boolean;
  /**
   * The share of events that goes through the API: 100 with `USE_API_GATEWAY=true`, else the percentage (0 when unset,
   * as the verification Lambda reads it); undefined when the percentage is set but invalid.
   */
  readonly effectivePercentage: number | undefined;
}

/** What is deployed: the stack and the verification Lambda's routing. */
export interface DeployedState {
  /** The stack name. */
  readonly stackName: string;
  /** CloudFormation's stack status, e.g. `UPDATE_COMPLETE`. */
  readonly stackStatus: string;
  /** When the stack was last updated (or created), if CloudFormation says. */
  readonly lastUpdated: Date | undefined;
  /** Every output of the stack, key to value. */
  readonly outputs: Readonly<Record<string, string>>;
  /** The verification function's name. */
  readonly verificationFunctionName: string;
  /** Its routing configuration. */
  readonly routing: RoutingConfig;
}

/** Reads the deployed state. */
export interface StackReader {
  /**
   * @returns the deployed state
   * @throws StackReadError when the stack, an output or the function cannot be read
   */
  read(): Promise<DeployedState>;
}

/** Options of {@link AwsStackReader}. */
export interface AwsStackReaderOptions {
  /** CloudFormation client. */
  readonly cloudFormation: CloudFormationClient;
  /** Lambda client, used read-only (`GetFunctionConfiguration`). */
  readonly lambda: LambdaClient;
  /** The stack name. */
  readonly stackName: string;
  /** The verification function's name or ARN; overrides the `VerificationFunctionName` output. */
  readonly functionName?: string;
}

/**
 * Turns the verification Lambda's environment into a {@link RoutingConfig}. Only presence is kept for
 * `EXECUTION_FUNCTION_ARN` (or its alias `BEDROCK_PROCESSOR_ARN`) and `EXECUTION_API_URL`.
 *
 * @param env - the function's environment variables
 * @returns the routing configuration
 */
export function routingFromEnvironment(env: Readonly<Record<string, string>>): RoutingConfig {
  const raw = env[VERIFICATION_ENV.apiGatewayPercentage];
  const parsed = raw !== undefined && /^\s*\d{1,3}\s*$/.test(raw) ? Number(raw) : undefined;
  const percentage = parsed !== undefined && parsed <= 100 ? parsed : undefined;
  const useApiGateway = (env[VERIFICATION_ENV.useApiGateway] ?? '').trim().toLowerCase() === 'true';
  const unset = raw === undefined || raw.trim() === '';
  return {
    useApiGateway,
    effectivePercentage: useApiGateway ? 100 : unset ? 0 : percentage,
    percentage,
    percentageRaw: raw,
    fallbackEnabled: executionFunctionArnFrom(env) !== undefined,
    executionApiUrlSet: (env[VERIFICATION_ENV.executionApiUrl] ?? '').trim() !== '',
  };
}

/**
 * Describes the share of events the API gets, e.g. `10 %`, `100 % (USE_API_GATEWAY=true)`, or
 * `an invalid USE_API_GATEWAY_PERCENTAGE ("abc")`.
 *
 * @param routing - the routing configuration
 * @returns a short phrase
 */
export function describeShare(routing: RoutingConfig): string {
  if (routing.useApiGateway) return '100 % (USE_API_GATEWAY=true)';
  if (routing.effectivePercentage === undefined) {
    return `an invalid USE_API_GATEWAY_PERCENTAGE (${JSON.stringify(routing.percentageRaw)})`;
  }
  return `${routing.effectivePercentage} %`;
}

/**
 * Describes one stack with CloudFormation `DescribeStacks` (read-only).
 *
 * @param cloudFormation - the client, with the credentials and Region of the stack's account
 * @param stackName - the stack name
 * @returns the stack and its outputs, key to value
 * @throws StackReadError when the call fails or the stack does not exist
 */
export async function describeStack(cloudFormation: CloudFormationClient, stackName: string): Promise<{ stack: Stack; outputs: Record<string, string> }> {
  let stacks;
  try {
    stacks = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (error) {
    throw new StackReadError(`cannot describe stack ${stackName}: ${describeError(error)}`, { cause: error });
  }
  const stack = stacks.Stacks?.[0];
  if (!stack) throw new StackReadError(`stack ${stackName} was not found`);
  const outputs: Record<string, string> = {};
  for (const output of stack.Outputs ?? []) {
    if (output.OutputKey && output.OutputValue !== undefined) outputs[output.OutputKey] = output.OutputValue;
  }
  return { stack, outputs };
}

/**
 * Reads the stack's outputs with CloudFormation `DescribeStacks`, then the verification function's environment with
 * Lambda `GetFunctionConfiguration`. Read-only: it never calls an API that changes anything.
 */
export class AwsStackReader implements StackReader {
  /** @param options - clients, stack name and an optional function name override */
  constructor(private readonly options: AwsStackReaderOptions) {}

  /**
   * @returns the deployed state
   * @throws StackReadError when the stack does not exist, lacks `VerificationFunctionName` (and no override was given),
   *   or a call fails
   */
  async read(): Promise<DeployedState> {
    const { stackName } = this.options;
    const { stack, outputs } = await describeStack(this.options.cloudFormation, stackName);
    const functionName = this.options.functionName ?? outputs[STACK_OUTPUTS.verificationFunctionName];
    if (!functionName) {
      throw new StackReadError(
        `stack ${stackName} has no output ${STACK_OUTPUTS.verificationFunctionName}; deploy the current infra app or pass --function-name ` +
          '(in the two-account layout, read the verification stack with the verification account\'s credentials, and pass --api-profile/--api-region for the execution account)',
      );
    }
    let configuration;
    try {
      configuration = await this.options.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    } catch (error) {
      throw new StackReadError(`cannot read the configuration of function ${functionName}: ${describeError(error)}`, {
        cause: error,
      });
    }
    return {
      stackName,
      stackStatus: stack.StackStatus ?? 'UNKNOWN',
      lastUpdated: stack.LastUpdatedTime ?? stack.CreationTime,
      outputs,
      verificationFunctionName: functionName,
      routing: routingFromEnvironment(configuration.Environment?.Variables ?? {}),
    };
  }
}
