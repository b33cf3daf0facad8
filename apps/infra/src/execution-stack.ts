import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import {
  CROSS_ACCOUNT_EXECUTION_API_NAME,
  EXECUTION_API_ID_OUTPUT,
  EXECUTION_FUNCTION_NAME,
  STACK_OUTPUTS,
} from '@slack-ai-app/stack-contract';
import type { DeploymentSettings } from './config';
import { ExecutionApi } from './constructs/execution-api';
import { ExecutionFunction } from './constructs/execution-function';
import { IdempotencyTable } from './constructs/idempotency-table';
import { Monitoring } from './constructs/monitoring';
import { slackSecret } from './constructs/slack-secrets';
import { type CrossAccountLayout, verificationRoleArn } from './layout';
import { lambdaArchitecture } from './params-and-secrets-layer';
import { bundleCode, DEFAULT_LAMBDA_BUNDLES, type LambdaBundles } from './slack-bedrock-stack';

/** Props of {@link ExecutionStack}. */
export interface ExecutionStackProps extends StackProps {
  /** The deployment settings (see `readDeploymentSettings`). */
  readonly settings: DeploymentSettings;
  /** The two accounts; the stack's environment is `layout.execution`. */
  readonly layout: CrossAccountLayout;
  /** Where the built Lambda bundles are. @default DEFAULT_LAMBDA_BUNDLES */
  readonly lambdaBundles?: LambdaBundles;
}

/**
 * The execution account's half of the two-account layout: the execution API, the execution Lambda, its idempotency
 * table, dead-letter queue and bot-token secret, and their own alarms and dashboard.
 *
 * The verification role lives in the other account and does not exist yet when this stack is deployed first. Its name
 * is fixed (`slack-ai-app-verification-<region>`), so its ARN is known here:
 * - the API's resource policy allows exactly that role on `POST /execute` (principal: its account; condition:
 *   `aws:PrincipalArn` is the role ARN, so the policy names no role that does not exist yet) and explicitly denies every
 *   other principal. Across accounts API Gateway also needs the caller's identity policy to allow the call, which the
 *   verification stack writes.
 * - the direct-invoke permission, while the fallback is enabled, names the verification **account**: Lambda refuses a
 *   resource-policy principal that is not an existing role ("The provided principal was invalid", see the README,
 *   "Two accounts"), and the role is created only by the second deploy. Only identities that the verification account
 *   itself grants `lambda:InvokeFunction` on this function's ARN can use it: the verification role alone.
 */
export class ExecutionStack extends Stack {
  /** The execution Lambda. */
  public readonly execution: ExecutionFunction;
  /** The execution API. */
  public readonly executionApi: ExecutionApi;
  /** Alarms, dashboard, alarm topic of this account. */
  public readonly monitoring: Monitoring;

  /**
   * @param scope - the app
   * @param id - the stack id (`SlackAiExecution`)
   * @param props - see {@link ExecutionStackProps}
   * @throws {@link LambdaBundleMissingError} when the execution bundle has not been built
   */
  constructor(scope: Construct, id: string, props: ExecutionStackProps) {
    super(scope, id, {
      description: 'Slack AI app, execution account: execution API -> execution Lambda (Bedrock)',
      env: props.layout.execution,
      ...props,
    });
    const { settings, layout } = props;
    const bundles = props.lambdaBundles ?? DEFAULT_LAMBDA_BUNDLES;
    Tags.of(this).add('app', 'slack-ai-app');

    const botToken = slackSecret(this, 'BotToken');
    const idempotency = new IdempotencyTable(this, 'Idempotency');
    this.execution = new ExecutionFunction(this, 'Execution', {
      code: bundleCode(bundles.execution, 'execution-lambda:build'),
      functionName: EXECUTION_FUNCTION_NAME,
      botTokenSecret: botToken,
      idempotencyTable: idempotency.table,
      bedrockModelId: settings.bedrockModelId,
      reservedConcurrentExecutions: settings.executionReservedConcurrency,
      architecture: lambdaArchitecture(settings.functionArchitecture),
    });

    // Imported by its fixed ARN: nothing in this account can change it, so the identity grant the API writes is a no-op.
    const verificationRole = iam.Role.fromRoleArn(this, 'VerificationRole', verificationRoleArn(layout), { mutable: false });
    this.executionApi = new ExecutionApi(this, 'ExecutionApi', {
      handler: this.execution.function,
      invokerRole: verificationRole,
      invokerInAnotherAccount: true,
      apiName: CROSS_ACCOUNT_EXECUTION_API_NAME,
    });
    if (settings.enableDirectInvokeFallback) {
      this.execution.function.addPermission('DirectInvokeFromVerificationAccount', {
        principal: new iam.AccountPrincipal(layout.verification.account),
        action: 'lambda:InvokeFunction',
      });
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      executionApi: this.executionApi,
      executionFunction: this.execution.function,
      deadLetterQueue: this.execution.deadLetterQueue,
      alarmEmail: settings.alarmEmail,
    });

    const output = (key: string, value: string, description: string): void => {
      new CfnOutput(this, key, { value, description });
    };
    output(STACK_OUTPUTS.executionApiUrl, this.executionApi.url, 'Execution API stage URL (POST <url>execute, SigV4 only)');
    output(EXECUTION_API_ID_OUTPUT, this.executionApi.api.restApiId, 'Execution API id: pass it to the verification deploy as -c executionApiId=<id>');
    output(STACK_OUTPUTS.executionApiName, this.executionApi.api.restApiName, 'Execution API name (the ApiName dimension of its AWS/ApiGateway metrics)');
    output(STACK_OUTPUTS.deadLetterQueueUrl, this.execution.deadLetterQueue.queueUrl, "Dead-letter queue of the execution Lambda's failed asynchronous events");
    output(STACK_OUTPUTS.dashboardName, this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard of the execution layer');
    output(STACK_OUTPUTS.botTokenSecretArn, botToken.secretArn, 'Secrets Manager secret for the Slack bot token (set its value with put-secret-value)');
    output(STACK_OUTPUTS.alarmTopicArn, this.monitoring.alarmTopic.topicArn, "SNS topic every alarm of this account's stack notifies");
  }
}
