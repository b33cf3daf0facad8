import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalStack } from '@slack-ai-app/local-stack';
import { executionFunctionArnFrom, VERIFICATION_ENV } from '@slack-ai-app/stack-contract';

/** The routing switches a redeploy changes; every other variable of the verification function must stay as it was. */
const ROUTING_KEYS: readonly string[] = [
  VERIFICATION_ENV.useApiGateway,
  VERIFICATION_ENV.apiGatewayPercentage,
  VERIFICATION_ENV.executionFunctionArn,
  VERIFICATION_ENV.executionFunctionArnAlias,
];

/** What one deployment looks like from outside, read with the real Lambda client. */
export interface DeploymentSample {
  /** When the read started, epoch ms. */
  readonly at: number;
  /** `USE_API_GATEWAY_PERCENTAGE` of the verification function. */
  readonly percentage: string | undefined;
  /** `USE_API_GATEWAY` of the verification function. */
  readonly useApiGateway: string | undefined;
  /** Whether `EXECUTION_FUNCTION_ARN` or its alias `BEDROCK_PROCESSOR_ARN` (the fallback's target) is set. */
  readonly fallbackArnSet: boolean;
  /** Whether the verification role may invoke the execution function (the fallback's grant): a DryRun invoke. */
  readonly invokeGranted: boolean;
  /** The verification function's other variables, JSON with sorted keys. */
  readonly otherVerificationVariables: string;
  /** The execution function's variables, JSON with sorted keys. */
  readonly executionVariables: string;
}

const sortedJson = (variables: Record<string, string>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(variables).sort(([a], [b]) => a.localeCompare(b))));

/**
 * Samples the deployed state over and over while the rollout runs: both functions' configurations
 * (`GetFunctionConfiguration`, as an operator would read them) and the verification role's invoke grant (a `DryRun`
 * invoke with the role's credentials: 204, or `AccessDeniedException` once cleanup removed the grant; see
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html, InvocationType `DryRun`). A sample counts only when
 * two reads in a row agree, so that a read racing a change (which a single read cannot avoid) is retried instead of
 * being taken for a half-updated deployment; a state that really mixes two deployments persists and is caught.
 */
export class DeploymentSampler {
  readonly samples: DeploymentSample[] = [];
  private running = true;
  private readonly loop: Promise<void>;
  private readonly operator: LambdaClient;
  private readonly verificationRole: LambdaClient;

  /**
   * @param stack - the running local stack
   * @param operator - the credentials the configurations are read with (an operator's, not a function role's)
   * @param intervalMs - the pause between samples
   */
  constructor(
    private readonly stack: LocalStack,
    operator: { readonly accessKeyId: string; readonly secretAccessKey: string },
    intervalMs: number,
  ) {
    const region = 'us-east-1';
    const { accessKeyId, secretAccessKey, sessionToken } = stack.credentials.principals.verification;
    this.operator = new LambdaClient({ region, endpoint: stack.urls.aws, maxAttempts: 1, credentials: operator });
    this.verificationRole = new LambdaClient({
      region,
      endpoint: stack.urls.aws,
      maxAttempts: 1,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    });
    this.loop = (async () => {
      while (this.running) {
        const first = await this.read();
        const second = await this.read();
        // Two reads that disagree raced a change: sample again.
        if (sameDeployment(first, second)) this.samples.push(first);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    })();
  }

  /** Stops sampling and waits for the loop to end. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.operator.destroy();
    this.verificationRole.destroy();
  }

  private async read(): Promise<DeploymentSample> {
    const at = Date.now();
    const [verification, execution, invokeGranted] = await Promise.all([
      this.operator.send(new GetFunctionConfigurationCommand({ FunctionName: this.stack.functions.verification.name })),
      this.operator.send(new GetFunctionConfigurationCommand({ FunctionName: this.stack.functions.execution.name })),
      this.verificationRole
        .send(new InvokeCommand({ FunctionName: this.stack.functions.execution.name, InvocationType: 'DryRun' }))
        .then(
          () => true,
          (error: Error) => {
            if (error.name === 'AccessDeniedException') return false;
            throw error;
          },
        ),
    ]);
    const variables = verification.Environment?.Variables ?? {};
    const others = Object.fromEntries(Object.entries(variables).filter(([key]) => !ROUTING_KEYS.includes(key)));
    return {
      at,
      percentage: variables[VERIFICATION_ENV.apiGatewayPercentage],
      useApiGateway: variables[VERIFICATION_ENV.useApiGateway],
      fallbackArnSet: executionFunctionArnFrom(variables) !== undefined,
      invokeGranted,
      otherVerificationVariables: sortedJson(others),
      executionVariables: sortedJson(execution.Environment?.Variables ?? {}),
    };
  }
}

function sameDeployment(a: DeploymentSample, b: DeploymentSample): boolean {
  return JSON.stringify({ ...a, at: 0 }) === JSON.stringify({ ...b, at: 0 });
}

/**
 * The samples that are not entirely one of the deployments the rollout makes: a stage, the rollback or the cleanup
 * (percentage in `percentages`, `USE_API_GATEWAY=false`, the fallback's variable and its invoke grant both present or both
 * gone), with every other variable of both functions as in `reference` (the deployment before the rollout).
 *
 * @param samples - what {@link DeploymentSampler} read
 * @param reference - a sample of the deployment before the rollout
 * @param percentages - the percentages the rollout deploys
 * @returns the mixed samples, each with what is wrong with it; empty when every sample is a whole deployment
 */
export function mixedSamples(
  samples: readonly DeploymentSample[],
  reference: DeploymentSample,
  percentages: readonly number[],
): { sample: DeploymentSample; wrong: string[] }[] {
  return samples
    .map((sample) => {
      const wrong: string[] = [];
      if (!percentages.map(String).includes(sample.percentage ?? '')) wrong.push(`USE_API_GATEWAY_PERCENTAGE=${sample.percentage}`);
      if (sample.useApiGateway !== 'false') wrong.push(`USE_API_GATEWAY=${sample.useApiGateway}`);
      if (sample.fallbackArnSet !== sample.invokeGranted) {
        wrong.push(`BEDROCK_PROCESSOR_ARN ${sample.fallbackArnSet ? 'set' : 'unset'} but invoke grant ${sample.invokeGranted ? 'present' : 'gone'}`);
      }
      if (sample.otherVerificationVariables !== reference.otherVerificationVariables) wrong.push('other verification variables changed');
      if (sample.executionVariables !== reference.executionVariables) wrong.push('execution variables changed');
      return { sample, wrong };
    })
    .filter((entry) => entry.wrong.length > 0);
}
