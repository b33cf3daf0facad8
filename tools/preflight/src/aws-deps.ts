import { BedrockClient, GetFoundationModelCommand, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetLayerVersionByArnCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { checkAuth } from '@slack-ai-app/rollout';
import { type FunctionArchitecture, PARAMS_AND_SECRETS_EXTENSION_VERSION } from '@slack-ai-app/stack-contract';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { PreflightDeps, StackInfo } from './preflight';

/** How to reach AWS. Everything is optional: the SDK's own resolution (environment, profile, SSO…) fills the rest. */
export interface AwsDepsOptions {
  /** `--region`; otherwise the SDK's (AWS_REGION, the profile's region…). */
  readonly region?: string;
  /** `--profile`. */
  readonly profile?: string;
  /** One endpoint for every service (tests against the local stack; the SDK also honours AWS_ENDPOINT_URL). */
  readonly endpoint?: string;
  /** Fixed credentials (tests); otherwise the SDK's default chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Budget of each check-auth probe. @default 10 000 ms */
  readonly checkAuthTimeoutMs?: number;
}

/**
 * The extension layer ARN the CDK app puts on the verification function in `region` when no layer ARN is given: the
 * CDK region facts for the stack's extension version and the architecture, as `ParamsAndSecretsLayerVersion.fromVersion`
 * derives it.
 *
 * @param region - e.g. `eu-west-1`
 * @param architecture - `arm64` or `x86_64`
 * @returns the ARN, or undefined when the CDK knows no layer there for that architecture
 */
export function extensionLayerArn(region: string, architecture: FunctionArchitecture): string | undefined {
  return RegionInfo.get(region).paramsAndSecretsLambdaLayerArn(PARAMS_AND_SECRETS_EXTENSION_VERSION, architecture);
}

/**
 * Builds {@link PreflightDeps} on the real AWS SDK v3 clients. Every call is read-only: `sts:GetCallerIdentity`,
 * `lambda:GetLayerVersion`, `bedrock:GetFoundationModel` / `bedrock:GetInferenceProfile`,
 * `cloudformation:DescribeStacks`, `secretsmanager:GetSecretValue`, plus check-auth's two `POST /execute` probes (which
 * the API refuses before any Lambda runs).
 *
 * @param options - region, profile, endpoint, credentials
 * @returns the dependencies; call `destroy()` when done
 */
export function createAwsDeps(options: AwsDepsOptions = {}): PreflightDeps & { destroy(): void } {
  const common = {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    maxAttempts: 2,
  };
  const sts = new STSClient(common);
  const lambda = new LambdaClient(common);
  const bedrock = new BedrockClient(common);
  const cloudFormation = new CloudFormationClient(common);
  const secrets = new SecretsManagerClient(common);
  return {
    region: () => sts.config.region(),
    async callerIdentity() {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      return { arn: identity.Arn ?? 'unknown', account: identity.Account ?? 'unknown' };
    },
    extensionLayerArn,
    async getLayerVersion(arn) {
      await lambda.send(new GetLayerVersionByArnCommand({ Arn: arn }));
    },
    async getFoundationModel(modelId) {
      const { modelDetails } = await bedrock.send(new GetFoundationModelCommand({ modelIdentifier: modelId }));
      return { lifecycleStatus: modelDetails?.modelLifecycle?.status, inferenceTypes: modelDetails?.inferenceTypesSupported ?? [] };
    },
    async getInferenceProfile(profileId) {
      const profile = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: profileId }));
      return { status: profile.status };
    },
    async describeStack(stackName): Promise<StackInfo | undefined> {
      try {
        const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
        const stack = Stacks?.[0];
        if (stack === undefined) return undefined;
        const outputs: Record<string, string> = {};
        for (const output of stack.Outputs ?? []) {
          if (output.OutputKey !== undefined && output.OutputValue !== undefined) outputs[output.OutputKey] = output.OutputValue;
        }
        return { status: stack.StackStatus ?? 'UNKNOWN', outputs };
      } catch (error) {
        // CloudFormation answers a missing stack with 400 ValidationError "Stack with id <name> does not exist".
        if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) return undefined;
        throw error;
      }
    },
    async getSecretValue(secretId) {
      const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
      return SecretString ?? '';
    },
    async checkAuth(url, region) {
      const report = await checkAuth({
        url,
        region,
        credentials: () => sts.config.credentials(),
        ...(options.checkAuthTimeoutMs !== undefined ? { timeoutMs: options.checkAuthTimeoutMs } : {}),
      });
      return { pass: report.pass, probes: report.probes.map(({ probe, pass, verdict }) => ({ probe, pass, verdict })) };
    },
    destroy() {
      for (const client of [sts, lambda, bedrock, cloudFormation, secrets]) client.destroy();
    },
  };
}
