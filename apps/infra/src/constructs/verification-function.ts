import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { VERIFICATION_ENV } from '@slack-ai-app/stack-contract';
import { Construct } from 'constructs';
import { ConstructPropsError } from '../errors';
import { DEFAULT_PARAMS_AND_SECRETS_VERSION } from '../params-and-secrets-layer';
import { acknowledgeXrayWildcard } from './execution-function';

/**
 * What the verification function needs of the execution API: its stage URL and the identity-side grant. `ExecutionApi`
 * is one (same stack); in the two-account layout, the verification stack builds one from the API's known ARN and URL.
 */
export interface ExecutionApiTarget {
  /** The stage URL (`EXECUTION_API_URL`). */
  readonly url: string;
  /** Grants `execute-api:Invoke` on exactly `POST /execute` to `grantee`. */
  grantInvokeAccess(grantee: iam.IGrantable): iam.Grant;
}

/**
 * What the verification function needs of the direct-invoke target: its ARN and the grant. `ExecutionFunction` is one
 * (same stack); in the two-account layout, the verification stack builds one from the function's fixed ARN.
 */
export interface DirectInvokeTarget {
  /** The function (`EXECUTION_FUNCTION_ARN`, and its alias `BEDROCK_PROCESSOR_ARN`, is its ARN). */
  readonly function: { readonly functionArn: string };
  /** Grants `lambda:InvokeFunction` on exactly this function to `grantee`. */
  grantDirectInvoke(grantee: iam.IGrantable): iam.Grant;
}

/** How the verification Lambda hands work over: the migration switches. */
export interface HandoffSettings {
  /** `USE_API_GATEWAY`: send every event by the execution API (the percentage is then ignored). */
  readonly useApiGateway: boolean;
  /** `USE_API_GATEWAY_PERCENTAGE`, 0 to 100: the share of events sent by the execution API while `useApiGateway` is off. */
  readonly apiGatewayPercentage: number;
  /**
   * The direct `lambda:Invoke` path: used by the events not sent by the API and as the fallback when the API fails.
   * `undefined` removes `BEDROCK_PROCESSOR_ARN` and the `lambda:InvokeFunction` grant (the migration's clean-up step);
   * every event must then go by the API.
   */
  readonly directInvokeTarget?: DirectInvokeTarget;
}

/** Props of {@link VerificationFunction}. */
export interface VerificationFunctionProps {
  /** The built bundle: a directory holding `main.js` (handler `main.handler`), e.g. `dist/apps/verification-lambda`. */
  readonly code: lambda.Code;

  /**
   * The function's execution role. It exists before the function because the execution API's resource policy names it
   * (see {@link ExecutionApiProps.invokerRole}). No managed policy is attached: this construct grants exactly what the
   * function needs.
   */
  readonly role: iam.IRole;

  /** The Secrets Manager secret holding the Slack signing secret (`SLACK_SIGNING_SECRET_ARN`). Read access is granted. */
  readonly signingSecret: secretsmanager.ISecret;

  /** The execution API (`EXECUTION_API_URL`); `execute-api:Invoke` on its one method is granted. */
  readonly executionApi: ExecutionApiTarget;

  /** The hand-off switches. */
  readonly handoff: HandoffSettings;

  /**
   * How long the function waits for the execution API (`EXECUTION_API_TIMEOUT_MS`). It must leave room for the fallback
   * inside Slack's 3-second deadline.
   *
   * @default Duration.seconds(2)
   */
  readonly executionApiTimeout?: Duration;

  /**
   * Function timeout. Slack gives up after 3 s and retries, so a longer run only wastes money; it is more than 3 s so that
   * a cold start plus a slow hand-off still completes once.
   *
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;

  /**
   * Memory in MB, 128 to 10240. More memory also means more CPU, which shortens cold starts.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * The CPU architecture. The bundle is plain JavaScript, so either runs it; arm64 is cheaper per GB-second.
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * The AWS Parameters and Secrets Lambda Extension layer version ARN, of the function's Region and architecture (the
   * `-Arm64` layer for arm64). AWS publishes the current ARNs in the Systems Manager User Guide ("AWS Parameters and
   * Secrets Lambda Extension ARNs").
   *
   * @default - aws-cdk-lib's ARN of extension version 1.0.103 for the stack's Region and the architecture
   */
  readonly paramsAndSecretsLayerArn?: string;

  /**
   * Log level of the function (`LOG_LEVEL`).
   *
   * @default 'info'
   */
  readonly logLevel?: string;

  /**
   * Retention of the function's log group.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

// Only levels that keep info lines: the fallback-rate alarm counts `execution_api_invocation_started` (info) and the
// rollout gates read the EMF metric lines, so a higher level would blind both.
const LOG_LEVELS = ['trace', 'debug', 'info'];

/**
 * The verification Lambda, behind a **Function URL with auth NONE**: Slack cannot sign requests with SigV4, so the code
 * verifies Slack's own signature (`X-Slack-Signature`) with the signing secret before anything else.
 *
 * - Runtime `nodejs24.x` (the newest this CDK offers), arm64 by default, X-Ray tracing, its own log group with retention.
 *   No reserved concurrency: Slack's burst must scale out, never be throttled.
 * - The **AWS Parameters and Secrets Lambda Extension** layer (aws-cdk-lib's, or the ARN given): the signing secret is
 *   read over localhost, so no Secrets Manager SDK client is loaded at cold start; the extension caches it for 5 minutes.
 * - **Least privilege**: `execute-api:Invoke` on the execution API's one method (through
 *   {@link ExecutionApiTarget.grantInvokeAccess}); read on its own secret; writes to its own log group; and, only while the
 *   direct-invoke fallback is enabled, `lambda:InvokeFunction` on the execution function (through
 *   {@link DirectInvokeTarget.grantDirectInvoke}), with `BEDROCK_PROCESSOR_ARN` in the environment.
 */
export class VerificationFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** Its Function URL (auth NONE): Slack's Event Subscriptions request URL. */
  public readonly functionUrl: lambda.FunctionUrl;
  /** Its log group, where the hand-off events (and the metric filters on them) live. */
  public readonly logGroup: logs.LogGroup;

  /**
   * @param scope - parent construct
   * @param id - construct id
   * @param props - see {@link VerificationFunctionProps}
   * @throws {@link ConstructPropsError} when a prop is out of range or the hand-off settings leave events without a path
   * @throws {@link GrantError} when `role` is not the execution API's invoker role
   */
  constructor(scope: Construct, id: string, props: VerificationFunctionProps) {
    super(scope, id);
    const settings = validateProps(props);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.logGroup.grantWrite(props.role);

    const environment: Record<string, string> = {
      [VERIFICATION_ENV.signingSecretArn]: props.signingSecret.secretArn,
      [VERIFICATION_ENV.useApiGateway]: String(props.handoff.useApiGateway),
      [VERIFICATION_ENV.apiGatewayPercentage]: String(props.handoff.apiGatewayPercentage),
      [VERIFICATION_ENV.executionApiUrl]: props.executionApi.url,
      [VERIFICATION_ENV.executionApiTimeoutMs]: String(settings.executionApiTimeoutMs),
      [VERIFICATION_ENV.logLevel]: settings.logLevel,
    };
    const directTarget = props.handoff.directInvokeTarget;
    if (directTarget !== undefined) {
      environment[VERIFICATION_ENV.executionFunctionArn] = directTarget.function.functionArn;
      // The alias stays while deployed code may read only it; it goes with the direct path (stack-contract environment.ts).
      environment[VERIFICATION_ENV.executionFunctionArnAlias] = directTarget.function.functionArn;
    }
    const extensionOptions: lambda.ParamsAndSecretsOptions = {
      cacheEnabled: true,
      secretsManagerTtl: Duration.minutes(5),
      logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
    };

    this.function = new lambda.Function(this, 'Function', {
      description: 'Slack AI app: verifies Slack requests and hands work to the execution layer',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      handler: 'main.handler',
      code: props.code,
      role: props.role,
      timeout: settings.timeout,
      memorySize: settings.memorySize,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment,
      paramsAndSecrets:
        props.paramsAndSecretsLayerArn === undefined
          ? lambda.ParamsAndSecretsLayerVersion.fromVersion(DEFAULT_PARAMS_AND_SECRETS_VERSION, extensionOptions)
          : lambda.ParamsAndSecretsLayerVersion.fromVersionArn(props.paramsAndSecretsLayerArn, extensionOptions),
    });
    acknowledgeXrayWildcard(props.role);

    this.functionUrl = this.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    props.signingSecret.grantRead(props.role);
    props.executionApi.grantInvokeAccess(this.function);
    if (directTarget !== undefined) directTarget.grantDirectInvoke(this.function);
  }
}

interface VerificationSettings {
  readonly executionApiTimeoutMs: number;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logLevel: string;
}

function validateProps(props: VerificationFunctionProps): VerificationSettings {
  const fail = (prop: string, problem: string): never => {
    throw new ConstructPropsError('VerificationFunction', prop, problem);
  };
  const { useApiGateway, apiGatewayPercentage, directInvokeTarget } = props.handoff;
  if (!Number.isInteger(apiGatewayPercentage) || apiGatewayPercentage < 0 || apiGatewayPercentage > 100) {
    fail('handoff.apiGatewayPercentage', `must be an integer from 0 to 100, got ${apiGatewayPercentage}`);
  }
  if (directInvokeTarget === undefined && !useApiGateway && apiGatewayPercentage !== 100) {
    fail(
      'handoff.directInvokeTarget',
      `is required unless every event goes by the execution API (useApiGateway, or apiGatewayPercentage 100; got ${apiGatewayPercentage})`,
    );
  }
  const timeout = props.timeout ?? Duration.seconds(10);
  if (timeout.toMilliseconds() < 3000 || timeout.toMilliseconds() > 60_000) {
    fail('timeout', `must be from 3 to 60 seconds, got ${timeout.toHumanString()}`);
  }
  const executionApiTimeoutMs = (props.executionApiTimeout ?? Duration.seconds(2)).toMilliseconds();
  if (executionApiTimeoutMs < 100 || executionApiTimeoutMs >= timeout.toMilliseconds()) {
    fail('executionApiTimeout', `must be at least 100 ms and shorter than the function timeout (${timeout.toHumanString()}), got ${executionApiTimeoutMs} ms`);
  }
  const memorySize = props.memorySize ?? 512;
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
    fail('memorySize', `must be an integer from 128 to 10240, got ${memorySize}`);
  }
  const logLevel = props.logLevel ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) fail('logLevel', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  return { executionApiTimeoutMs, timeout, memorySize, logLevel };
}
