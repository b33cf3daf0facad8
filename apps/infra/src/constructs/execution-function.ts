import { Duration, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EXECUTION_ENV } from '@slack-ai-app/stack-contract';
import { Construct } from 'constructs';
import { foundationModelArn, inferenceProfileArn, parseBedrockModelId } from '../bedrock-model';
import { ConstructPropsError, GrantError } from '../errors';

/** The DynamoDB actions of the execution Lambda's idempotency guard (Powertools' DynamoDB persistence layer). */
export const IDEMPOTENCY_TABLE_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** Props of {@link ExecutionFunction}. */
export interface ExecutionFunctionProps {
  /** The built bundle: a directory holding `main.js` (handler `main.handler`), e.g. `dist/apps/execution-lambda`. */
  readonly code: lambda.Code;

  /** The Secrets Manager secret holding the Slack bot token (`SLACK_BOT_TOKEN_ARN`). Read access is granted. */
  readonly botTokenSecret: secretsmanager.ISecret;

  /** The idempotency table (`IDEMPOTENCY_TABLE_NAME`). Item read and write access is granted, nothing else. */
  readonly idempotencyTable: dynamodb.ITableV2;

  /**
   * The Bedrock model id or cross-Region inference profile id (`BEDROCK_MODEL_ID`). `bedrock:InvokeModel` is granted on
   * exactly this model (for an inference profile: the profile, and the foundation model only when called through it).
   */
  readonly bedrockModelId: string;

  /**
   * System prompt (`BEDROCK_SYSTEM_PROMPT`).
   *
   * @default - the execution Lambda's built-in prompt
   */
  readonly systemPrompt?: string;

  /**
   * Maximum tokens of one answer (`BEDROCK_MAX_TOKENS`), 1 to 65536.
   *
   * @default 2048
   */
  readonly maxTokens?: number;

  /**
   * Sampling temperature (`BEDROCK_TEMPERATURE`), 0 to 1.
   *
   * @default 0.3
   */
  readonly temperature?: number;

  /**
   * Earlier thread messages sent to the model (`THREAD_HISTORY_LIMIT`), 0 to 200; 0 disables history.
   *
   * @default 20
   */
  readonly threadHistoryLimit?: number;

  /**
   * Function timeout. Sized for Bedrock (the Lambda's Converse budget is 60 s by default) plus the Slack calls around
   * it. It is not bound by API Gateway's 29-second integration timeout: the API invokes this function asynchronously
   * and answers 202 as soon as Lambda has queued the event.
   *
   * @default Duration.minutes(2)
   */
  readonly timeout?: Duration;

  /**
   * Memory in MB, 128 to 10240.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * How many times Lambda retries a failed asynchronous invocation, 0 to 2.
   *
   * @default 2
   */
  readonly retryAttempts?: number;

  /**
   * How long Lambda keeps an asynchronous event it could not process yet, 1 minute to 6 hours. An answer this late is
   * no longer useful in a chat, and the event goes to the dead-letter queue instead.
   *
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;

  /**
   * A fixed function name, so that another account can name its ARN before it is deployed (the two-account layout).
   *
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;

  /**
   * Reserved concurrency, to protect the Bedrock quota and the account's concurrency pool. Asynchronous events beyond
   * it are throttled and kept in Lambda's event queue, which retries them (up to {@link maxEventAge}).
   *
   * @default - unreserved
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * The CPU architecture. The bundle is plain JavaScript, so either runs it; arm64 is cheaper per GB-second.
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

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

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * The execution Lambda: calls Bedrock Converse and posts the answer in the Slack thread, once per `event_id`.
 *
 * - Runtime `nodejs24.x` (the newest this CDK offers), arm64, X-Ray tracing, its own log group with retention.
 * - **Asynchronous invocations** (from the execution API and from the direct-invoke fallback) are retried
 *   {@link ExecutionFunctionProps.retryAttempts} times, kept at most {@link ExecutionFunctionProps.maxEventAge}, and then
 *   sent to an **encrypted SQS dead-letter queue** (the on-failure destination), so a failed event is kept, not lost.
 *   Records in the queue carry the request payload (user text): SQS-managed encryption, TLS-only queue policy.
 * - **Least privilege**: its own role, with `bedrock:InvokeModel` on the configured model only, read on its own secret,
 *   item access to its own idempotency table, writes to its own log group and queue. No managed policy.
 * - **Resource policy**: the execution API adds a permission scoped to its `POST /execute` method ARN on the `prod`
 *   stage; {@link grantDirectInvoke} adds the verification role while the direct-invoke fallback is enabled.
 */
export class ExecutionFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** Its execution role. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;
  /** The on-failure destination of asynchronous invocations. */
  public readonly deadLetterQueue: sqs.Queue;

  /**
   * @param scope - parent construct
   * @param id - construct id
   * @param props - see {@link ExecutionFunctionProps}
   * @throws {@link ConstructPropsError} when a prop is out of range or the model id is malformed
   */
  constructor(scope: Construct, id: string, props: ExecutionFunctionProps) {
    super(scope, id);
    const settings = validateProps(props);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Execution Lambda: Bedrock Converse on one model, its bot-token secret, its idempotency table',
    });
    this.logGroup.grantWrite(this.role);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter queue: the execution Lambda's on-failure destination for asynchronous invocations.",
    });

    const environment: Record<string, string> = {
      [EXECUTION_ENV.botTokenArn]: props.botTokenSecret.secretArn,
      [EXECUTION_ENV.idempotencyTableName]: props.idempotencyTable.tableName,
      [EXECUTION_ENV.bedrockModelId]: props.bedrockModelId,
      [EXECUTION_ENV.bedrockMaxTokens]: String(settings.maxTokens),
      [EXECUTION_ENV.bedrockTemperature]: formatDecimal(settings.temperature),
      [EXECUTION_ENV.threadHistoryLimit]: String(settings.threadHistoryLimit),
      [EXECUTION_ENV.logLevel]: settings.logLevel,
    };
    if (props.systemPrompt !== undefined) environment[EXECUTION_ENV.bedrockSystemPrompt] = props.systemPrompt;

    this.function = new lambda.Function(this, 'Function', {
      description: 'Slack AI app: Bedrock Converse, then one reply in the Slack thread',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      handler: 'main.handler',
      code: props.code,
      functionName: props.functionName,
      role: this.role,
      timeout: settings.timeout,
      memorySize: settings.memorySize,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment,
      retryAttempts: settings.retryAttempts,
      maxEventAge: settings.maxEventAge,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    acknowledgeXrayWildcard(this.role);

    props.botTokenSecret.grantRead(this.role);
    props.idempotencyTable.grant(this.role, ...IDEMPOTENCY_TABLE_ACTIONS);
    this.grantBedrock(settings.model);
  }

  /**
   * Lets `grantee` invoke this function directly (the verification Lambda's direct path and fallback). Writes both
   * sides: `lambda:InvokeFunction` on exactly this function's ARN in the grantee's identity policy, and a statement in
   * the function's resource policy naming the grantee's role.
   *
   * @param grantee - a role, or a construct whose `grantPrincipal` is a role (such as a Lambda function)
   * @returns the identity-side grant
   * @throws {@link GrantError} when the grantee's principal is not an IAM role
   */
  public grantDirectInvoke(grantee: iam.IGrantable): iam.Grant {
    const role = grantee.grantPrincipal as Partial<iam.IRole>;
    if (typeof role.roleArn !== 'string' || role.node === undefined) {
      throw new GrantError(`ExecutionFunction ${this.node.path}: grantDirectInvoke needs a grantee whose principal is an IAM role`);
    }
    this.function.addPermission(`DirectInvoke${Names.nodeUniqueId(role.node)}`, {
      principal: new iam.ArnPrincipal(role.roleArn),
      action: 'lambda:InvokeFunction',
    });
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.function.functionArn],
    });
  }

  /**
   * Converse needs `bedrock:InvokeModel`; ConverseStream (streamed answers) needs `bedrock:InvokeModelWithResponseStream`
   * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html).
   */
  private static readonly BEDROCK_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

  private grantBedrock(model: NonNullable<ReturnType<typeof parseBedrockModelId>>): void {
    if (!model.isInferenceProfile) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'BedrockConverseOnConfiguredModel',
          actions: ExecutionFunction.BEDROCK_ACTIONS,
          resources: [foundationModelArn(this, model.foundationModelId, false)],
        }),
      );
      return;
    }
    const profileArn = inferenceProfileArn(this, model.modelId);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'BedrockConverseOnConfiguredInferenceProfile',
        actions: ExecutionFunction.BEDROCK_ACTIONS,
        resources: [profileArn],
      }),
    );
    const anyRegionModelArn = foundationModelArn(this, model.foundationModelId, true);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'BedrockConverseOnProfileModelThroughProfileOnly',
        actions: ExecutionFunction.BEDROCK_ACTIONS,
        resources: [anyRegionModelArn],
        conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      }),
    );
    // cdk-nag names the partition as the template has it: the pseudo parameter, or the literal when the stack's Region is known.
    const partition = Token.isUnresolved(Stack.of(this).partition) ? '<AWS::Partition>' : Stack.of(this).partition;
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:bedrock:*::foundation-model/${model.foundationModelId}]`,
      reason:
        'A cross-Region inference profile routes each call to the foundation model in any Region of its geography; the statement names one model and is conditioned on bedrock:InferenceProfileArn being our one profile.',
    });
  }
}

/**
 * Lambda's active tracing needs `xray:PutTraceSegments` and `xray:PutTelemetryRecords`, which support no resource-level
 * permissions (CDK adds them on `*`). Acknowledges exactly that finding on the role.
 *
 * @param role - the function's role
 */
export function acknowledgeXrayWildcard(role: iam.IRole): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) is granted on "*": these actions support no resource-level permissions.',
  });
}

interface ExecutionSettings {
  readonly model: NonNullable<ReturnType<typeof parseBedrockModelId>>;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly threadHistoryLimit: number;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly logLevel: string;
}

function validateProps(props: ExecutionFunctionProps): ExecutionSettings {
  const fail = (prop: string, problem: string): never => {
    throw new ConstructPropsError('ExecutionFunction', prop, problem);
  };
  const model = parseBedrockModelId(props.bedrockModelId);
  if (model === undefined) {
    fail('bedrockModelId', `must be a Bedrock model id or inference profile id (e.g. anthropic.claude-3-haiku-20240307-v1:0), got ${JSON.stringify(props.bedrockModelId)}`);
  }
  const integerIn = (prop: string, value: number, min: number, max: number): number => {
    if (!Number.isInteger(value) || value < min || value > max) fail(prop, `must be an integer from ${min} to ${max}, got ${value}`);
    return value;
  };
  const maxTokens = integerIn('maxTokens', props.maxTokens ?? 2048, 1, 65_536);
  const threadHistoryLimit = integerIn('threadHistoryLimit', props.threadHistoryLimit ?? 20, 0, 200);
  const memorySize = integerIn('memorySize', props.memorySize ?? 512, 128, 10_240);
  const retryAttempts = integerIn('retryAttempts', props.retryAttempts ?? 2, 0, 2);
  if (props.reservedConcurrentExecutions !== undefined) {
    integerIn('reservedConcurrentExecutions', props.reservedConcurrentExecutions, 1, 10_000);
  }
  const temperature = props.temperature ?? 0.3;
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 1) fail('temperature', `must be a number from 0 to 1, got ${temperature}`);
  const timeout = props.timeout ?? Duration.minutes(2);
  if (timeout.toMilliseconds() < 30_000 || timeout.toMilliseconds() > 900_000) {
    fail('timeout', `must be from 30 seconds to 15 minutes (Bedrock answers take tens of seconds), got ${timeout.toHumanString()}`);
  }
  const maxEventAge = props.maxEventAge ?? Duration.hours(1);
  if (maxEventAge.toMilliseconds() < 60_000 || maxEventAge.toMilliseconds() > 21_600_000) {
    fail('maxEventAge', `must be from 1 minute to 6 hours, got ${maxEventAge.toHumanString()}`);
  }
  const logLevel = props.logLevel ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) fail('logLevel', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  if (props.systemPrompt !== undefined && props.systemPrompt.trim() === '') fail('systemPrompt', 'must not be empty (omit it for the default prompt)');
  return {
    model: model as NonNullable<typeof model>,
    maxTokens,
    temperature,
    threadHistoryLimit,
    timeout,
    memorySize,
    retryAttempts,
    maxEventAge,
    logLevel,
  };
}

/**
 * A number in plain decimal notation, as the execution Lambda parses it (`String(1e-7)` would be `"1e-7"`).
 *
 * @param value - a finite number from 0 to 1
 * @returns e.g. `"0.3"`, `"0.0000001"`, `"1"`
 */
export function formatDecimal(value: number): string {
  const shortest = String(value);
  return /e/i.test(shortest) ? value.toFixed(20).replace(/\.?0+$/, '') : shortest;
}
