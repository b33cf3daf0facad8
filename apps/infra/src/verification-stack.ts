import { Annotations, CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { EXECUTE_API_INVOKE_ACTION } from '@slack-ai-app/execution-api-contract';
import { CROSS_ACCOUNT_EXECUTION_API_NAME, STACK_OUTPUTS, verificationRoleName } from '@slack-ai-app/stack-contract';
import type { DeploymentSettings } from './config';
import { Monitoring } from './constructs/monitoring';
import { slackSecret } from './constructs/slack-secrets';
import { type DirectInvokeTarget, type ExecutionApiTarget, VerificationFunction } from './constructs/verification-function';
import { type CrossAccountLayout, executeMethodArn, executionApiUrl, executionFunctionArn } from './layout';
import { checkStackParamsAndSecretsLayer, lambdaArchitecture } from './params-and-secrets-layer';
import { bundleCode, DEFAULT_LAMBDA_BUNDLES, type LambdaBundles } from './slack-bedrock-stack';

/** Props of {@link VerificationStack}. */
export interface VerificationStackProps extends StackProps {
  /** The deployment settings (see `readDeploymentSettings`). */
  readonly settings: DeploymentSettings;
  /** The two accounts; the stack's environment is `layout.verification`. */
  readonly layout: CrossAccountLayout;
  /** The execution API's id, the execution stack's `ExecutionApiId` output. */
  readonly executionApiId: string;
  /** Where the built Lambda bundles are. @default DEFAULT_LAMBDA_BUNDLES */
  readonly lambdaBundles?: LambdaBundles;
}

/**
 * The verification account's half of the two-account layout: the Function URL Lambda, its role (with the fixed name the
 * execution stack's policies name), the signing secret, and their own alarms and dashboard.
 *
 * Across accounts a call is allowed only when the caller's identity policy **and** the resource's policy both allow it,
 * so this stack writes the identity side of both grants, each on exactly one ARN of the execution account:
 * `execute-api:Invoke` on `…:<executionApiId>/prod/POST/execute`, and, while the fallback is enabled,
 * `lambda:InvokeFunction` on the execution function's fixed ARN.
 */
export class VerificationStack extends Stack {
  /** The verification Lambda. */
  public readonly verification: VerificationFunction;
  /** Its role, `slack-ai-app-verification-<region>`. */
  public readonly role: iam.Role;
  /** Alarms, dashboard, alarm topic of this account. */
  public readonly monitoring: Monitoring;

  /**
   * @param scope - the app
   * @param id - the stack id (`SlackAiVerification`)
   * @param props - see {@link VerificationStackProps}
   * @throws {@link LambdaBundleMissingError} when the verification bundle has not been built
   * @throws {@link ContextError} when no Parameters and Secrets extension layer fits the Region and architecture
   */
  constructor(scope: Construct, id: string, props: VerificationStackProps) {
    super(scope, id, {
      description: 'Slack AI app, verification account: Slack events -> verification Lambda -> execution API in the execution account',
      env: props.layout.verification,
      ...props,
    });
    const { settings, layout, executionApiId } = props;
    checkStackParamsAndSecretsLayer(settings, this.region);
    const bundles = props.lambdaBundles ?? DEFAULT_LAMBDA_BUNDLES;
    Tags.of(this).add('app', 'slack-ai-app');

    this.role = new iam.Role(this, 'VerificationRole', {
      roleName: verificationRoleName(layout.verification.region),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Verification Lambda: its signing secret, execute-api:Invoke on POST /execute in the execution account, direct invoke while enabled',
    });
    const signingSecret = slackSecret(this, 'SigningSecret');
    const apiUrl = executionApiUrl(layout, executionApiId);

    this.verification = new VerificationFunction(this, 'Verification', {
      code: bundleCode(bundles.verification, 'verification-lambda:build'),
      role: this.role,
      signingSecret,
      executionApi: remoteExecutionApi(apiUrl, executeMethodArn(layout, executionApiId)),
      architecture: lambdaArchitecture(settings.functionArchitecture),
      paramsAndSecretsLayerArn: settings.paramsAndSecretsLayerArn?.arn,
      handoff: {
        useApiGateway: settings.useApiGateway,
        apiGatewayPercentage: settings.executionApiPercentage,
        directInvokeTarget: settings.enableDirectInvokeFallback ? remoteFunction(executionFunctionArn(layout)) : undefined,
      },
    });
    if (settings.useApiGateway && settings.executionApiPercentage !== 100 && settings.executionApiPercentage !== 0) {
      Annotations.of(this).addWarningV2(
        'slack-ai-app:percentage-ignored',
        `useApiGateway=true sends every event by the execution API; executionApiPercentage=${settings.executionApiPercentage} is ignored`,
      );
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      verificationFunction: this.verification.function,
      alarmEmail: settings.alarmEmail,
    });

    const output = (key: string, value: string, description: string): void => {
      new CfnOutput(this, key, { value, description });
    };
    output(STACK_OUTPUTS.slackEventsUrl, this.verification.functionUrl.url, "Slack Event Subscriptions request URL (the verification Lambda's Function URL)");
    output(STACK_OUTPUTS.verificationFunctionName, this.verification.function.functionName, 'Verification Lambda function name (its configuration shows the hand-off switches in force)');
    output(STACK_OUTPUTS.executionApiUrl, apiUrl, 'The execution API this layer calls, in the execution account (POST <url>execute, SigV4 only)');
    output(STACK_OUTPUTS.executionApiName, CROSS_ACCOUNT_EXECUTION_API_NAME, "The execution API's name (its AWS/ApiGateway metrics are in the execution account)");
    output(STACK_OUTPUTS.dashboardName, this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard of the verification layer and the hand-off migration');
    output(STACK_OUTPUTS.signingSecretArn, signingSecret.secretArn, 'Secrets Manager secret for the Slack signing secret (set its value with put-secret-value)');
    output(STACK_OUTPUTS.alarmTopicArn, this.monitoring.alarmTopic.topicArn, "SNS topic every alarm of this account's stack notifies");
  }
}

/** The execution API of the other account: its URL, and the identity-side grant on exactly its method ARN. */
function remoteExecutionApi(url: string, methodArn: string): ExecutionApiTarget {
  return {
    url,
    grantInvokeAccess: (grantee) => iam.Grant.addToPrincipal({ grantee, actions: [EXECUTE_API_INVOKE_ACTION], resourceArns: [methodArn] }),
  };
}

/** The execution function of the other account: its ARN, and the identity-side grant on exactly that ARN. */
function remoteFunction(functionArn: string): DirectInvokeTarget {
  return {
    function: { functionArn },
    grantDirectInvoke: (grantee) => iam.Grant.addToPrincipal({ grantee, actions: ['lambda:InvokeFunction'], resourceArns: [functionArn] }),
  };
}
