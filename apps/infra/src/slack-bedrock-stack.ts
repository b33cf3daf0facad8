import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { STACK_OUTPUTS } from '@slack-ai-app/stack-contract';
import type { DeploymentSettings } from './config';
import { ExecutionApi } from './constructs/execution-api';
import { ExecutionFunction } from './constructs/execution-function';
import { IdempotencyTable } from './constructs/idempotency-table';
import { Monitoring } from './constructs/monitoring';
import { SlackSecrets } from './constructs/slack-secrets';
import { VerificationFunction } from './constructs/verification-function';
import { LambdaBundleMissingError } from './errors';
import { checkStackParamsAndSecretsLayer, lambdaArchitecture } from './params-and-secrets-layer';

/** Where the two Lambda bundles are: directories holding `main.js` (handler `main.handler`). */
export interface LambdaBundles {
  /** The verification Lambda bundle, built by `nx run verification-lambda:build`. */
  readonly verification: string;
  /** The execution Lambda bundle, built by `nx run execution-lambda:build`. */
  readonly execution: string;
}

/** The workspace root, from this file's place in `apps/infra/src`. */
const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The bundles the Nx builds write: `dist/apps/verification-lambda` and `dist/apps/execution-lambda`. */
export const DEFAULT_LAMBDA_BUNDLES: LambdaBundles = {
  verification: path.join(WORKSPACE_ROOT, 'dist', 'apps', 'verification-lambda'),
  execution: path.join(WORKSPACE_ROOT, 'dist', 'apps', 'execution-lambda'),
};

/** Names of the stack outputs (defined in `@slack-ai-app/stack-contract`, which the tools read them with). */
export { STACK_OUTPUTS };

/** Props of {@link SlackBedrockStack}. */
export interface SlackBedrockStackProps extends StackProps {
  /** The deployment settings, usually from CDK context (see `readDeploymentSettings`). */
  readonly settings: DeploymentSettings;

  /**
   * Where the built Lambda bundles are.
   *
   * @default DEFAULT_LAMBDA_BUNDLES (`dist/apps/<name>` under the workspace root)
   */
  readonly lambdaBundles?: LambdaBundles;
}

/**
 * The Slack AI app: a verification Lambda behind a Function URL hands each Slack event to an execution Lambda, either
 * through the IAM-authenticated execution API (`POST /execute`, asynchronous) or by the direct `lambda:Invoke` it
 * replaces; the execution Lambda calls Bedrock Converse and posts the reply in the Slack thread exactly once (guarded by
 * the idempotency table). Secrets live in Secrets Manager; alarms, a migration dashboard and an alarm topic watch the
 * rollout.
 */
export class SlackBedrockStack extends Stack {
  /** The Slack secrets. */
  public readonly secrets: SlackSecrets;
  /** The execution Lambda. */
  public readonly execution: ExecutionFunction;
  /** The execution API. */
  public readonly executionApi: ExecutionApi;
  /** The verification Lambda. */
  public readonly verification: VerificationFunction;
  /** Alarms, dashboard, alarm topic. */
  public readonly monitoring: Monitoring;

  /**
   * @param scope - the app
   * @param id - the stack id
   * @param props - see {@link SlackBedrockStackProps}
   * @throws {@link LambdaBundleMissingError} when a bundle has not been built
   * @throws {@link ContextError} when no Parameters and Secrets extension layer fits the Region and architecture
   */
  constructor(scope: Construct, id: string, props: SlackBedrockStackProps) {
    super(scope, id, {
      description: 'Slack AI app: Slack events -> verification Lambda -> execution API -> execution Lambda (Bedrock)',
      ...props,
    });
    const { settings } = props;
    checkStackParamsAndSecretsLayer(settings, this.region);
    const architecture = lambdaArchitecture(settings.functionArchitecture);
    const bundles = props.lambdaBundles ?? DEFAULT_LAMBDA_BUNDLES;
    const verificationCode = bundleCode(bundles.verification, 'verification-lambda:build');
    const executionCode = bundleCode(bundles.execution, 'execution-lambda:build');
    Tags.of(this).add('app', 'slack-ai-app');

    this.secrets = new SlackSecrets(this, 'SlackSecrets');
    const idempotency = new IdempotencyTable(this, 'Idempotency');

    this.execution = new ExecutionFunction(this, 'Execution', {
      code: executionCode,
      botTokenSecret: this.secrets.botToken,
      idempotencyTable: idempotency.table,
      bedrockModelId: settings.bedrockModelId,
      reservedConcurrentExecutions: settings.executionReservedConcurrency,
      architecture,
    });

    // The verification role exists before both the API (whose resource policy names it) and the function.
    const verificationRole = new iam.Role(this, 'VerificationRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Verification Lambda: its signing secret, execute-api:Invoke on POST /execute, direct invoke while enabled',
    });

    this.executionApi = new ExecutionApi(this, 'ExecutionApi', {
      handler: this.execution.function,
      invokerRole: verificationRole,
    });

    this.verification = new VerificationFunction(this, 'Verification', {
      code: verificationCode,
      role: verificationRole,
      signingSecret: this.secrets.signingSecret,
      executionApi: this.executionApi,
      architecture,
      paramsAndSecretsLayerArn: settings.paramsAndSecretsLayerArn?.arn,
      handoff: {
        useApiGateway: settings.useApiGateway,
        apiGatewayPercentage: settings.executionApiPercentage,
        directInvokeTarget: settings.enableDirectInvokeFallback ? this.execution : undefined,
      },
    });
    if (settings.useApiGateway && settings.executionApiPercentage !== 100 && settings.executionApiPercentage !== 0) {
      Annotations.of(this).addWarningV2(
        'slack-ai-app:percentage-ignored',
        `useApiGateway=true sends every event by the execution API; executionApiPercentage=${settings.executionApiPercentage} is ignored`,
      );
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      executionApi: this.executionApi,
      verificationFunction: this.verification.function,
      executionFunction: this.execution.function,
      deadLetterQueue: this.execution.deadLetterQueue,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, STACK_OUTPUTS.slackEventsUrl, {
      description: "Slack Event Subscriptions request URL (the verification Lambda's Function URL)",
      value: this.verification.functionUrl.url,
    });
    new CfnOutput(this, STACK_OUTPUTS.executionApiUrl, {
      description: 'Execution API stage URL (POST <url>execute, SigV4 only)',
      value: this.executionApi.url,
    });
    new CfnOutput(this, STACK_OUTPUTS.executionApiName, {
      description: 'Execution API name (the ApiName dimension of its AWS/ApiGateway metrics)',
      value: this.executionApi.api.restApiName,
    });
    new CfnOutput(this, STACK_OUTPUTS.verificationFunctionName, {
      description: 'Verification Lambda function name (its configuration shows the hand-off switches in force)',
      value: this.verification.function.functionName,
    });
    new CfnOutput(this, STACK_OUTPUTS.deadLetterQueueUrl, {
      description: "Dead-letter queue of the execution Lambda's failed asynchronous events",
      value: this.execution.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, STACK_OUTPUTS.dashboardName, {
      description: 'CloudWatch dashboard of the hand-off migration',
      value: this.monitoring.dashboard.dashboardName,
    });
    new CfnOutput(this, STACK_OUTPUTS.signingSecretArn, {
      description: 'Secrets Manager secret for the Slack signing secret (set its value with put-secret-value)',
      value: this.secrets.signingSecret.secretArn,
    });
    new CfnOutput(this, STACK_OUTPUTS.botTokenSecretArn, {
      description: 'Secrets Manager secret for the Slack bot token (set its value with put-secret-value)',
      value: this.secrets.botToken.secretArn,
    });
    new CfnOutput(this, STACK_OUTPUTS.alarmTopicArn, {
      description: 'SNS topic every alarm notifies',
      value: this.monitoring.alarmTopic.topicArn,
    });
  }
}

/**
 * The code of a function (also used by the two-account stacks) from its built bundle directory.
 *
 * @param bundleDir - directory holding `main.js`
 * @param buildTarget - the Nx target that builds it, named in the error
 * @throws {@link LambdaBundleMissingError} when `main.js` is not there
 */
export function bundleCode(bundleDir: string, buildTarget: string): lambda.Code {
  if (!fs.existsSync(path.join(bundleDir, 'main.js'))) throw new LambdaBundleMissingError(bundleDir, buildTarget);
  return lambda.Code.fromAsset(bundleDir);
}
