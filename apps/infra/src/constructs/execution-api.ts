import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  ACCEPTED_RESPONSE_TEMPLATE,
  CORRELATION_ID_HEADER,
  EXECUTE_API_INVOKE_ACTION,
  EXECUTION_API_METHOD,
  EXECUTION_API_PATH,
  EXECUTION_API_STAGE,
  INTEGRATION_REQUEST_TEMPLATE,
  executionApiResourcePolicy,
} from '@slack-ai-app/execution-api-contract';
import { executionRequestJsonSchema } from '@slack-ai-app/payload-schemas';
import { ConstructPropsError, GrantError } from '../errors';

/** API Gateway's only JSON Schema dialect for models. */
const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/**
 * Fields of the JSON access log line. `$context.error.messageString` is already a quoted JSON string, so it is appended
 * unquoted after these; every other value is quoted because API Gateway writes `-` when a value is not available.
 */
const ACCESS_LOG_FIELDS: ReadonlyArray<readonly [name: string, variable: string]> = [
  ['requestId', '$context.requestId'],
  ['extendedRequestId', '$context.extendedRequestId'],
  ['requestTime', '$context.requestTime'],
  ['callerArn', '$context.identity.userArn'],
  ['caller', '$context.identity.caller'],
  ['ip', '$context.identity.sourceIp'],
  ['httpMethod', '$context.httpMethod'],
  ['resourcePath', '$context.resourcePath'],
  ['status', '$context.status'],
  ['responseLatency', '$context.responseLatency'],
  ['integrationLatency', '$context.integrationLatency'],
  ['integrationStatus', '$context.integration.status'],
  ['errorType', '$context.error.responseType'],
  ['xrayTraceId', '$context.xrayTraceId'],
];

/**
 * The access log format: one JSON object per request, with the caller's ARN, the status, both latencies, the request
 * id and API Gateway's error type and message (never the request body).
 */
export const EXECUTION_API_ACCESS_LOG_FORMAT = `{${ACCESS_LOG_FIELDS.map(([name, variable]) => `"${name}":"${variable}"`).join(',')},"errorMessage":$context.error.messageString}`;

/** Body of the 500 for an integration error (never Lambda's own message, which could carry our ARNs). */
export const INTEGRATION_ERROR_RESPONSE_TEMPLATE = '{"message":"Internal server error","requestId":"$context.requestId"}';

/** Props of {@link ExecutionApi}. */
export interface ExecutionApiProps {
  /**
   * The execution Lambda that `POST /execute` hands each accepted request to, asynchronously
   * (`X-Amz-Invocation-Type: Event`).
   */
  readonly handler: lambda.IFunction;

  /**
   * The one principal allowed to call `POST /execute`: the verification Lambda's role.
   *
   * It is needed when the API is built because the resource policy (from `libs/execution-api-contract`) both allows
   * this role and explicitly denies every other principal. The constructor writes that policy and calls
   * {@link ExecutionApi.grantInvokeAccess} for the role, so both sides of the permission exist.
   */
  readonly invokerRole: iam.IRole;

  /**
   * The invoker role is in another account and may not exist yet (the two-account layout deploys the API first): the
   * resource policy's Allow names its account as the principal and the role in an `aws:PrincipalArn` condition
   * (`principalByAccount` of the contract's policy), so the policy never names a role principal that does not exist.
   * `invokerRole` must then be imported by its literal ARN.
   *
   * @default false
   */
  readonly invokerInAnotherAccount?: boolean;

  /**
   * Draft-04 JSON Schema of the request body, turned into the API Gateway model that the request validator checks.
   *
   * @default - `executionRequestJsonSchema` from `@slack-ai-app/payload-schemas` (the ExecutionRequest)
   */
  readonly requestSchema?: Readonly<Record<string, unknown>>;

  /**
   * Name of the REST API.
   *
   * @default - derived from the stack name: `<stack>-execution-api`
   */
  readonly apiName?: string;

  /**
   * Steady-state requests per second the stage accepts before it answers 429.
   *
   * @default 50
   */
  readonly throttlingRateLimit?: number;

  /**
   * Burst of requests the stage accepts above the steady rate.
   *
   * @default 100
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Retention of the access log group.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * What happens to the access log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly accessLogRemovalPolicy?: RemovalPolicy;

  /**
   * Create the account-level role that lets API Gateway write execution logs to CloudWatch. API Gateway refuses to
   * enable execution logging in an account and region that has no such role; set this to `false` only when the account
   * already has one (it is one setting per account and region).
   *
   * @default true
   */
  readonly cloudWatchRole?: boolean;
}

/**
 * The execution API: a REGIONAL REST API with one method, `POST /execute`, stage `prod`, guarded by AWS_IAM.
 *
 * **Who may call it.** The method uses AWS_IAM authorization, so every request must be SigV4-signed. The resource policy
 * comes from `executionApiResourcePolicy()` in `libs/execution-api-contract` (the same document the local API Gateway
 * emulator enforces, so the two cannot drift): it allows `execute-api:Invoke` to {@link ExecutionApiProps.invokerRole}
 * on exactly `execute-api:/prod/POST/execute`, and explicitly denies every other principal
 * (`ArnNotEquals aws:PrincipalArn`). The Deny is what makes the policy restrictive: for a caller in the same account,
 * API Gateway admits the request when *either* the caller's identity policy *or* the resource policy allows it, so an
 * allow-only resource policy would not keep out another role of the account that has `execute-api:Invoke` on `*`.
 *
 * **Asynchronous hand-off.** The method uses a non-proxy AWS integration with Lambda's Invoke API and the static header
 * `X-Amz-Invocation-Type: 'Event'`: Lambda queues the event and API Gateway answers **202** at once. The function
 * receives the body plus the caller identity and the request id, built by `INTEGRATION_REQUEST_TEMPLATE` from the
 * contract lib. This keeps the hand-off asynchronous, like the direct `lambda:Invoke` it replaces. A proxy integration
 * would be synchronous: the verification Lambda would wait for Bedrock, and Slack's 3-second deadline would break. It
 * also means API Gateway's 29-second integration timeout never bounds the execution Lambda.
 *
 * **Validation at the edge.** A request validator checks the body against a model built from the ExecutionRequest
 * JSON Schema (`libs/payload-schemas`); a malformed body gets 400 before any Lambda runs. `passthroughBehavior: NEVER`
 * answers 415 to a content type without a mapping template.
 *
 * **Logs and limits.** JSON access logs (request id, caller ARN, status, latency, integration latency, error type and
 * message); execution logging for errors only and **no data trace**, because the payloads carry user text; stage
 * throttling; X-Ray tracing.
 *
 * @example
 * const api = new ExecutionApi(this, 'ExecutionApi', { handler: executionFunction, invokerRole: verificationRole });
 * api.grantInvokeAccess(verificationFunction); // same role: identity grant only, the resource policy names it already
 */
export class ExecutionApi extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The `prod` stage. */
  public readonly stage: apigateway.Stage;
  /** The `POST /execute` method. */
  public readonly method: apigateway.Method;
  /** The request validator (body and parameters). */
  public readonly requestValidator: apigateway.RequestValidator;
  /** The model of the request body. */
  public readonly requestModel: apigateway.Model;
  /** The access log group. */
  public readonly accessLogGroup: logs.LogGroup;
  /** ARN of exactly `POST /execute` on the `prod` stage: what `execute-api:Invoke` is granted on. */
  public readonly executeMethodArn: string;
  /** The stage URL (`https://<id>.execute-api.<region>.amazonaws.com/prod/`), the verification Lambda's `EXECUTION_API_URL`. */
  public readonly url: string;

  private readonly invokerRole: iam.IRole;

  /**
   * @param scope - parent construct
   * @param id - construct id
   * @param props - see {@link ExecutionApiProps}
   * @throws {@link ConstructPropsError} when a prop is out of range or the request schema is not draft-04
   */
  constructor(scope: Construct, id: string, props: ExecutionApiProps) {
    super(scope, id);
    const rateLimit = props.throttlingRateLimit ?? 50;
    const burstLimit = props.throttlingBurstLimit ?? 100;
    const requestSchema = props.requestSchema ?? (executionRequestJsonSchema as Readonly<Record<string, unknown>>);
    validateProps(rateLimit, burstLimit, requestSchema);

    this.invokerRole = props.invokerRole;
    const resourcePolicy = iam.PolicyDocument.fromJson(
      executionApiResourcePolicy({
        allowedPrincipalArn: props.invokerRole.roleArn,
        stage: EXECUTION_API_STAGE,
        ...(props.invokerInAnotherAccount === true ? { principalByAccount: true } : {}),
      }),
    );

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.accessLogRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: props.apiName ?? `${Stack.of(this).stackName}-execution-api`,
      description: 'Hand-off from the Slack verification Lambda to the execution Lambda (IAM-authenticated, asynchronous).',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      policy: resourcePolicy,
      cloudWatchRole: props.cloudWatchRole ?? true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deploy: true,
      retainDeployments: false,
      deployOptions: {
        stageName: EXECUTION_API_STAGE,
        description: 'Execution API stage',
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(EXECUTION_API_ACCESS_LOG_FORMAT),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: false,
        tracingEnabled: true,
        throttlingRateLimit: rateLimit,
        throttlingBurstLimit: burstLimit,
      },
    });
    // API Gateway applies a changed resource policy only with a new deployment: make the policy part of its identity.
    this.api.latestDeployment?.addToLogicalId({ resourcePolicy });
    this.stage = this.api.deploymentStage;
    this.url = this.api.url;

    this.requestModel = new apigateway.Model(this, 'ExecutionRequestModel', {
      restApi: this.api,
      contentType: 'application/json',
      description: 'ExecutionRequest (generated from libs/payload-schemas)',
      // The schema is plain draft-04 JSON. Model passes unknown keys such as `$schema` through unchanged.
      schema: requestSchema as apigateway.JsonSchema,
    });
    const acceptedModel = new apigateway.Model(this, 'AcceptedModel', {
      restApi: this.api,
      contentType: 'application/json',
      description: 'The 202 answer: the event is queued for the execution Lambda',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        title: 'ExecutionAccepted',
        type: apigateway.JsonSchemaType.OBJECT,
        properties: {
          status: { type: apigateway.JsonSchemaType.STRING, enum: ['accepted'] },
          requestId: { type: apigateway.JsonSchemaType.STRING },
        },
        required: ['status', 'requestId'],
      },
    });

    this.requestValidator = new apigateway.RequestValidator(this, 'RequestValidator', {
      restApi: this.api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const integration = new apigateway.LambdaIntegration(props.handler, {
      proxy: false,
      // Only the deployed stage may invoke the function; the console's test-invoke stage gets no permission.
      allowTestInvoke: false,
      requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
      requestTemplates: { 'application/json': INTEGRATION_REQUEST_TEMPLATE },
      passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
      integrationResponses: [
        { statusCode: '202', responseTemplates: { 'application/json': ACCEPTED_RESPONSE_TEMPLATE } },
        {
          // Matched against a function error message only; an asynchronous invoke never returns one, so this is a guard.
          selectionPattern: '.+',
          statusCode: '500',
          responseTemplates: { 'application/json': INTEGRATION_ERROR_RESPONSE_TEMPLATE },
        },
      ],
    });

    this.method = this.api.root.addResource(EXECUTION_API_PATH).addMethod(EXECUTION_API_METHOD, integration, {
      authorizationType: apigateway.AuthorizationType.IAM,
      requestValidator: this.requestValidator,
      // Optional: the mapping template passes it on, and the body's correlation_id stands in when it is absent.
      requestParameters: { [`method.request.header.${CORRELATION_ID_HEADER}`]: false },
      requestModels: { 'application/json': this.requestModel },
      methodResponses: [
        { statusCode: '202', responseModels: { 'application/json': acceptedModel } },
        { statusCode: '400', responseModels: { 'application/json': apigateway.Model.ERROR_MODEL } },
        { statusCode: '403', responseModels: { 'application/json': apigateway.Model.ERROR_MODEL } },
        { statusCode: '500', responseModels: { 'application/json': apigateway.Model.ERROR_MODEL } },
      ],
    });
    this.executeMethodArn = this.api.arnForExecuteApi(EXECUTION_API_METHOD, `/${EXECUTION_API_PATH}`, EXECUTION_API_STAGE);

    this.grantInvokeAccess(props.invokerRole);
    this.acknowledgeNagFindings();
  }

  /** The cdk-nag findings this design accepts, each on the one construct it concerns, with the reason. */
  private acknowledgeNagFindings(): void {
    Validations.of(this.method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'The caller is a Lambda function, not a user: the method uses AWS_IAM (SigV4) authorization, and the resource policy admits one role only.',
    });
    Validations.of(this.stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF web ACL: the only legitimate caller is one IAM role; every other request fails SigV4 authentication or the explicit Deny before any integration runs, and stage throttling caps the rest.',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole !== undefined) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-level role for execution logging: AWS's managed policy is the documented one, and it only lets API Gateway write its own log groups.",
      });
    }
  }

  /**
   * Lets `grantee` call `POST /execute`. Both sides of the permission are written:
   * - the identity side, here: `execute-api:Invoke` on exactly {@link executeMethodArn}, in the grantee's policy;
   * - the resource side, when the API is built: the contract's resource policy (`executionApiResourcePolicy()`) allows
   *   the invoker role and explicitly denies every other principal.
   *
   * Because that policy admits one principal only, only the invoker role given at construction (or a construct whose
   * `grantPrincipal` is that role, such as the verification function) can be granted. Granting it again is harmless:
   * identical statements are merged.
   *
   * @param grantee - the invoker role, or a construct acting as it
   * @returns the identity-side grant
   * @throws {@link GrantError} when `grantee` is not the invoker role
   */
  public grantInvokeAccess(grantee: iam.IGrantable): iam.Grant {
    if (!isSamePrincipal(grantee.grantPrincipal, this.invokerRole)) {
      throw new GrantError(
        `ExecutionApi ${this.node.path}: only its invoker role can be granted execute-api:Invoke, because the resource policy explicitly denies every other principal`,
      );
    }
    return iam.Grant.addToPrincipal({ grantee, actions: [EXECUTE_API_INVOKE_ACTION], resourceArns: [this.executeMethodArn] });
  }

  /**
   * The stage's `4XXError` count: authentication and authorization failures (403), validation failures (400) and
   * throttling (429).
   *
   * @param props - metric options; the statistic is always `Sum`
   * @returns the metric, 5-minute periods unless `props.period` says otherwise
   */
  public metricClientError(props?: Omit<cloudwatch.MetricOptions, 'statistic'>): cloudwatch.Metric {
    return this.stage.metricClientError({ period: Duration.minutes(5), ...props, statistic: 'Sum' });
  }

  /**
   * The stage's `5XXError` count.
   *
   * @param props - metric options; the statistic is always `Sum`
   * @returns the metric, 5-minute periods unless `props.period` says otherwise
   */
  public metricServerError(props?: Omit<cloudwatch.MetricOptions, 'statistic'>): cloudwatch.Metric {
    return this.stage.metricServerError({ period: Duration.minutes(5), ...props, statistic: 'Sum' });
  }
}

function validateProps(rateLimit: number, burstLimit: number, requestSchema: Readonly<Record<string, unknown>>): void {
  if (!Number.isFinite(rateLimit) || rateLimit <= 0) {
    throw new ConstructPropsError('ExecutionApi', 'throttlingRateLimit', `must be a number above 0, got ${rateLimit}`);
  }
  if (!Number.isInteger(burstLimit) || burstLimit < 1) {
    throw new ConstructPropsError('ExecutionApi', 'throttlingBurstLimit', `must be an integer of at least 1, got ${burstLimit}`);
  }
  if (requestSchema.$schema !== DRAFT_04 || requestSchema.type !== 'object') {
    throw new ConstructPropsError(
      'ExecutionApi',
      'requestSchema',
      `must be a draft-04 JSON Schema of an object ("$schema": "${DRAFT_04}", "type": "object")`,
    );
  }
}

/** True when `principal` is `role` itself (a role, or the same imported role ARN). */
function isSamePrincipal(principal: iam.IPrincipal, role: iam.IRole): boolean {
  if (principal === role.grantPrincipal) return true;
  const roleArn = (principal as Partial<iam.IRole>).roleArn;
  return typeof roleArn === 'string' && roleArn === role.roleArn;
}
