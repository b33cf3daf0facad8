import { existsSync } from 'node:fs';
import type { PolicyDocument } from '@slack-ai-app/aws-emulation';
import { join } from 'node:path';
import type { AssemblyStack } from './cloud-assembly';
import { CloudAssemblyError } from './cloud-assembly';
import { evaluateCondition, resolveValue, TemplateResolutionError, type ResolveContext, type TemplateValue } from './intrinsics';
import { namePropertyOf, physicalResource, type LocalPlacement, type PhysicalResource } from './physical-ids';
import { compileMetricFilter, type CompiledMetricFilter, type MetricTransformation } from '../aws/metric-filter';

/** An IAM policy document as the template holds it, resolved (IAM JSON). */
export type { PolicyDocument } from '@slack-ai-app/aws-emulation';

/** A Lambda function of the template, resolved. */
export interface DeployedFunction {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The asset directory holding the code (from the assembly's asset manifest). */
  readonly codeDirectory: string;
  /** `Handler` split: the file (without `.js`) and the export. */
  readonly handlerFile: string;
  readonly handlerExport: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly architectures: readonly string[];
  readonly runtime: string | undefined;
  /** `ReservedConcurrentExecutions`, when set. */
  readonly reservedConcurrency: number | undefined;
  readonly roleArn: string;
  readonly layers: readonly string[];
  /** True when a layer is the AWS Parameters and Secrets Lambda Extension. */
  readonly secretsExtension: boolean;
  readonly logGroupName: string | undefined;
  /** `AWS::Lambda::EventInvokeConfig` of `$LATEST`, when there is one. */
  readonly eventInvokeConfig: { readonly maximumRetryAttempts: number; readonly maximumEventAgeSeconds: number; readonly onFailureDestination: string | undefined } | undefined;
  /** `AWS::Lambda::Url` in front of it, when there is one. */
  readonly functionUrl: { readonly logicalId: string; readonly authType: string } | undefined;
}

/** An IAM role of the template and the identity policies attached to it. */
export interface DeployedRole {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly roleId: string;
  /** Inline `Policies`, `AWS::IAM::Policy` resources naming the role, and managed policies the template references. */
  readonly policies: readonly PolicyDocument[];
  /** Managed policy ARNs attached to the role. */
  readonly managedPolicyArns: readonly string[];
}

/** A DynamoDB table (`AWS::DynamoDB::Table` or `GlobalTable`). */
export interface DeployedTable {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly partitionKey: string;
  readonly sortKey: string | undefined;
  readonly ttlAttribute: string | undefined;
}

/** A Secrets Manager secret: name and ARN from the template; the value is local. */
export interface DeployedSecret {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** Its `AWS::SecretsManager::ResourcePolicy`, when the template attaches one. */
  readonly resourcePolicy: PolicyDocument | undefined;
}

/** An `AWS::Lambda::Permission`: a resource-policy statement of a function. */
export interface LambdaPermission {
  readonly logicalId: string;
  readonly functionArn: string;
  readonly action: string;
  readonly principal: string;
  readonly sourceArn: string | undefined;
  readonly sourceAccount: string | undefined;
  /** `FunctionUrlAuthType` of a `lambda:InvokeFunctionUrl` permission. */
  readonly functionUrlAuthType: string | undefined;
  /** `InvokedViaFunctionUrl`: the permission applies only to invokes through the function URL. */
  readonly invokedViaFunctionUrl: boolean;
}

/** A method of the REST API, with its integration. */
export interface DeployedMethod {
  readonly logicalId: string;
  readonly httpMethod: string;
  /** The resource path, e.g. `/execute`. */
  readonly path: string;
  readonly authorizationType: string;
  readonly requestParameters: Readonly<Record<string, boolean>>;
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
  /** Request models by content type: their JSON Schemas. */
  readonly requestModels: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly integration: {
    readonly type: string;
    readonly uri: string;
    /** The Lambda function the `arn:aws:apigateway:…:lambda:path/2015-03-31/functions/<arn>/invocations` URI names. */
    readonly functionArn: string | undefined;
    readonly requestTemplates: Readonly<Record<string, string>>;
    readonly requestParameters: Readonly<Record<string, string>>;
    readonly passthroughBehavior: string | undefined;
    readonly integrationResponses: readonly Readonly<Record<string, unknown>>[];
  };
}

/** An SNS topic with its policy (an `AWS::SNS::TopicPolicy` replaces SNS's default one), key and subscriptions. */
export interface DeployedTopic {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** `KmsMasterKeyId` as resolved (a key ARN, key id or alias), when the topic is encrypted. */
  readonly kmsMasterKeyId: string | undefined;
  /** The `AWS::SNS::TopicPolicy` naming the topic, if any. */
  readonly policy: PolicyDocument | undefined;
  /** Inline `Subscription` entries and `AWS::SNS::Subscription` resources. */
  readonly subscriptions: readonly { readonly protocol: string; readonly endpoint: string }[];
}

/** An SQS queue with its policy (the last `AWS::SQS::QueuePolicy` naming it) and settings. */
export interface DeployedQueue {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The queue URL CloudFormation returns for `Ref` (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
  readonly url: string;
  readonly policy: PolicyDocument | undefined;
  /** `VisibilityTimeout` in seconds (SQS's default 30). */
  readonly visibilityTimeoutSeconds: number;
  /** `KmsMasterKeyId` when the queue is encrypted with a KMS key (SQS-managed SSE has none). */
  readonly kmsMasterKeyId: string | undefined;
}

/** A KMS key and its key policy. */
export interface DeployedKey {
  readonly logicalId: string;
  readonly keyId: string;
  readonly arn: string;
  readonly policy: PolicyDocument | undefined;
}

/** A CloudWatch metric alarm and its actions. */
export interface DeployedAlarm {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly description: string | undefined;
  readonly namespace: string | undefined;
  readonly metricName: string | undefined;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  /** The resolved template properties the alarm is evaluated by (`Statistic`, `Period`, `Threshold`, ...). */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The REST API (one per local stack). */
export interface DeployedRestApi {
  readonly logicalId: string;
  readonly id: string;
  readonly name: string;
  readonly policy: PolicyDocument | undefined;
  readonly stageNames: readonly string[];
  readonly methods: readonly DeployedMethod[];
}

/** A resource type the local stack has no counterpart for, and why. */
export interface NotEmulated {
  readonly logicalId: string;
  readonly type: string;
  readonly why: string;
}

/** What the local stack deploys from a cloud assembly. */
export interface LocalDeployment {
  readonly stackName: string;
  readonly placement: LocalPlacement;
  /** Every resource: logical id, type, physical name or ARN. */
  readonly resources: readonly PhysicalResource[];
  readonly functions: readonly DeployedFunction[];
  readonly roles: readonly DeployedRole[];
  readonly tables: readonly DeployedTable[];
  readonly secrets: readonly DeployedSecret[];
  readonly permissions: readonly LambdaPermission[];
  readonly restApi: DeployedRestApi | undefined;
  readonly topics: readonly DeployedTopic[];
  readonly queues: readonly DeployedQueue[];
  readonly keys: readonly DeployedKey[];
  readonly alarms: readonly DeployedAlarm[];
  /** The `AWS::Logs::MetricFilter`s whose pattern the local stack applies (the others are in `notEmulated`). */
  readonly metricFilters: readonly CompiledMetricFilter[];
  readonly notEmulated: readonly NotEmulated[];
}

/** Layer ARNs of the AWS Parameters and Secrets Lambda Extension (AWS publishes it from its own accounts per region:
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html#retrieving-secrets_lambda_ARNs). */
export const SECRETS_EXTENSION_LAYER = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension(-Arm64)?:\d+$/;

/** Resource types the local stack reads; anything else gets a "not emulated" line. */
const NOT_EMULATED_WHY: Readonly<Record<string, string>> = {
  'AWS::ApiGateway::Account': 'account-level setting (the CloudWatch role API Gateway logs with); nothing to run locally',
  'AWS::CloudWatch::Dashboard': 'a console view; nothing to run locally',
  'AWS::Logs::LogGroup': 'recorded; log lines are kept by the stack (GET /_local/logs)',
  'AWS::CDK::Metadata': 'CDK bookkeeping',
};

const EMULATED = new Set([
  'AWS::Lambda::Function',
  'AWS::Lambda::Url',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::Permission',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::SecretsManager::Secret',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Stage',
  'AWS::CloudWatch::Alarm',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::KMS::Key',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::Logs::MetricFilter',
]);

/** Local hooks for values only a running stack knows. */
export interface DeploymentHooks {
  /** The local URL of a function's `AWS::Lambda::Url` (`FunctionUrl`). */
  readonly functionUrl: (logicalId: string) => string;
  /** The local Secrets Manager's ARN for a secret name in an account. */
  readonly secretArn: (name: string, accountId: string) => string;
}

/**
 * Resolves a cloud assembly's stack as CloudFormation would create it in the local account and region, and reads
 * what each local service needs from it.
 *
 * @param stack - the assembly's stack
 * @param placement - account, region, API id (the stack name is the assembly's)
 * @param hooks - local values (Function URLs, secret ARNs)
 * @returns the local deployment
 * @throws TemplateResolutionError / CloudAssemblyError naming what could not be read
 */
export function planDeployment(stack: AssemblyStack, placement: Omit<LocalPlacement, 'stackName'>, hooks: DeploymentHooks): LocalDeployment {
  const where: LocalPlacement = { ...placement, stackName: stack.stackName };
  const template = stack.template;
  const physical = new Map<string, PhysicalResource>();
  const inProgress = new Set<string>();
  const context: ResolveContext = {
    pseudo: {
      'AWS::AccountId': where.accountId,
      'AWS::Region': where.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': where.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${where.region}:${where.accountId}:stack/${where.stackName}/00000000-0000-4000-8000-000000000000`,
      'AWS::NotificationARNs': '',
    },
    parameters: Object.fromEntries(Object.entries(template.Parameters ?? {}).flatMap(([name, p]) => (p.Default === undefined ? [] : [[name, p.Default]]))),
    mappings: template.Mappings ?? {},
    conditions: template.Conditions ?? {},
    ref: (logicalId) => identity(logicalId).ref,
    getAtt: (logicalId, attribute) => {
      const resource = identity(logicalId);
      const value = resource.type === 'AWS::Lambda::Url' && attribute === 'FunctionUrl' ? hooks.functionUrl(logicalId) : resource.attributes[attribute];
      if (value === undefined) throw new TemplateResolutionError(`Fn::GetAtt ${logicalId}.${attribute}: the local stack does not know this attribute of ${resource.type}`);
      return value;
    },
  };
  const identity = (logicalId: string): PhysicalResource => {
    const known = physical.get(logicalId);
    if (known !== undefined) return known;
    const resource = template.Resources[logicalId];
    if (resource === undefined) throw new TemplateResolutionError(`Ref/GetAtt of ${logicalId}: no such resource`);
    if (inProgress.has(logicalId)) throw new TemplateResolutionError(`the name of ${logicalId} depends on itself`);
    inProgress.add(logicalId);
    const nameKey = namePropertyOf(resource.Type);
    const rawName = nameKey === undefined ? undefined : resource.Properties?.[nameKey];
    const resolvedName = rawName === undefined ? undefined : resolveValue(rawName, context);
    const name = typeof resolvedName === 'string' ? resolvedName : undefined;
    inProgress.delete(logicalId);
    const made = physicalResource(logicalId, resource.Type, name, where, hooks.secretArn);
    physical.set(logicalId, made);
    return made;
  };

  const present = Object.entries(template.Resources).filter(([, r]) => r.Condition === undefined || evaluateCondition(r.Condition, context));
  const properties: Record<string, Record<string, TemplateValue>> = {};
  for (const [logicalId, resource] of present) {
    identity(logicalId);
    properties[logicalId] = resolveValue(resource.Properties ?? {}, context) as Record<string, TemplateValue>;
  }
  const ofType = (...types: string[]) => present.filter(([, r]) => types.includes(r.Type)).map(([id]) => ({ id, p: properties[id] as Record<string, TemplateValue>, r: identity(id) }));

  const eventInvokeConfigs = ofType('AWS::Lambda::EventInvokeConfig');
  const urls = ofType('AWS::Lambda::Url');
  const functions: DeployedFunction[] = ofType('AWS::Lambda::Function').map(({ id, p, r }) => {
    const code = p['Code'] as Record<string, TemplateValue> | undefined;
    const objectKey = typeof code?.['S3Key'] === 'string' ? code['S3Key'] : undefined;
    const codeDirectory = objectKey === undefined ? undefined : stack.assetDirectory(objectKey);
    if (codeDirectory === undefined || !existsSync(codeDirectory)) {
      throw new CloudAssemblyError(`function ${id}: its code asset ${objectKey ?? '(inline code)'} is not in the assembly at ${stack.directory}`);
    }
    const handler = String(p['Handler'] ?? 'index.handler');
    const dot = handler.lastIndexOf('.');
    const layers = ((p['Layers'] as string[] | undefined) ?? []).map(String);
    const config = eventInvokeConfigs.find(({ p: c }) => c['FunctionName'] === r.ref || c['FunctionName'] === r.arn);
    const destination = ((config?.p['DestinationConfig'] as Record<string, Record<string, TemplateValue>> | undefined)?.['OnFailure']?.['Destination']) as string | undefined;
    const url = urls.find(({ p: u }) => u['TargetFunctionArn'] === r.arn || u['TargetFunctionArn'] === r.ref);
    const logGroup = (p['LoggingConfig'] as Record<string, TemplateValue> | undefined)?.['LogGroup'];
    return {
      logicalId: id,
      name: r.physicalId,
      arn: r.arn as string,
      codeDirectory,
      handlerFile: handler.slice(0, dot),
      handlerExport: handler.slice(dot + 1),
      environment: stringMap((p['Environment'] as Record<string, TemplateValue> | undefined)?.['Variables']),
      // Lambda's defaults: 128 MB, 3 s (AWS::Lambda::Function reference).
      memoryMb: Number(p['MemorySize'] ?? 128),
      timeoutSeconds: Number(p['Timeout'] ?? 3),
      architectures: ((p['Architectures'] as string[] | undefined) ?? ['x86_64']).map(String),
      runtime: typeof p['Runtime'] === 'string' ? p['Runtime'] : undefined,
      reservedConcurrency: p['ReservedConcurrentExecutions'] === undefined ? undefined : Number(p['ReservedConcurrentExecutions']),
      roleArn: String(p['Role']),
      layers,
      secretsExtension: layers.some((arn) => SECRETS_EXTENSION_LAYER.test(arn)),
      logGroupName: typeof logGroup === 'string' ? logGroup : undefined,
      eventInvokeConfig:
        config === undefined
          ? undefined
          : {
              // EventInvokeConfig defaults: 2 retries, 6 hours (AWS::Lambda::EventInvokeConfig reference).
              maximumRetryAttempts: Number(config.p['MaximumRetryAttempts'] ?? 2),
              maximumEventAgeSeconds: Number(config.p['MaximumEventAgeInSeconds'] ?? 21600),
              onFailureDestination: destination,
            },
      functionUrl: url === undefined ? undefined : { logicalId: url.id, authType: String(url.p['AuthType']) },
    };
  });

  const attachedPolicies = ofType('AWS::IAM::Policy');
  const roles: DeployedRole[] = ofType('AWS::IAM::Role').map(({ id, p, r }) => {
    const inline = ((p['Policies'] as Array<Record<string, TemplateValue>> | undefined) ?? []).map((policy) => policy['PolicyDocument'] as unknown as PolicyDocument);
    const attached = attachedPolicies.filter(({ p: policy }) => ((policy['Roles'] as string[] | undefined) ?? []).includes(r.ref)).map(({ p: policy }) => policy['PolicyDocument'] as unknown as PolicyDocument);
    return {
      logicalId: id,
      name: r.physicalId,
      arn: r.arn as string,
      roleId: r.attributes['RoleId'] as string,
      policies: [...inline, ...attached],
      managedPolicyArns: ((p['ManagedPolicyArns'] as string[] | undefined) ?? []).map(String),
    };
  });

  const tables: DeployedTable[] = ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable').map(({ id, p, r }) => {
    const keys = (p['KeySchema'] as Array<Record<string, string>> | undefined) ?? [];
    const ttl = p['TimeToLiveSpecification'] as Record<string, TemplateValue> | undefined;
    const partitionKey = keys.find((k) => k['KeyType'] === 'HASH')?.['AttributeName'];
    if (partitionKey === undefined) throw new CloudAssemblyError(`table ${id} has no HASH key`);
    return {
      logicalId: id,
      name: r.physicalId,
      arn: r.arn as string,
      partitionKey,
      sortKey: keys.find((k) => k['KeyType'] === 'RANGE')?.['AttributeName'],
      ttlAttribute: ttl?.['Enabled'] === true ? String(ttl['AttributeName']) : undefined,
    };
  });

  const secretPolicies = ofType('AWS::SecretsManager::ResourcePolicy');
  const secrets: DeployedSecret[] = ofType('AWS::SecretsManager::Secret').map(({ id, r }) => ({
    logicalId: id,
    name: r.physicalId,
    arn: r.arn as string,
    resourcePolicy: secretPolicies.find(({ p }) => p['SecretId'] === r.arn || p['SecretId'] === r.physicalId)?.p['ResourcePolicy'] as unknown as PolicyDocument | undefined,
  }));

  const permissions: LambdaPermission[] = ofType('AWS::Lambda::Permission').map(({ id, p }) => ({
    logicalId: id,
    functionArn: functionArnOf(String(p['FunctionName']), functions),
    action: String(p['Action']),
    principal: String(p['Principal']),
    sourceArn: typeof p['SourceArn'] === 'string' ? p['SourceArn'] : undefined,
    sourceAccount: typeof p['SourceAccount'] === 'string' ? p['SourceAccount'] : undefined,
    functionUrlAuthType: typeof p['FunctionUrlAuthType'] === 'string' ? p['FunctionUrlAuthType'] : undefined,
    invokedViaFunctionUrl: p['InvokedViaFunctionUrl'] === true,
  }));

  const restApi = readRestApi(ofType);
  const topicPolicies = ofType('AWS::SNS::TopicPolicy');
  const subscriptionResources = ofType('AWS::SNS::Subscription');
  const topics: DeployedTopic[] = ofType('AWS::SNS::Topic').map(({ id, p, r }) => ({
    logicalId: id,
    name: r.physicalId,
    arn: r.arn as string,
    kmsMasterKeyId: typeof p['KmsMasterKeyId'] === 'string' ? p['KmsMasterKeyId'] : undefined,
    // Several policies naming one topic: the last one wins, as each replaces the topic's policy.
    policy: topicPolicies.filter(({ p: tp }) => ((tp['Topics'] as string[] | undefined) ?? []).includes(r.arn as string)).at(-1)?.p['PolicyDocument'] as unknown as PolicyDocument | undefined,
    subscriptions: [
      ...((p['Subscription'] as Array<Record<string, string>> | undefined) ?? []).map((s) => ({ protocol: String(s['Protocol']), endpoint: String(s['Endpoint']) })),
      ...subscriptionResources.filter(({ p: s }) => s['TopicArn'] === r.arn).map(({ p: s }) => ({ protocol: String(s['Protocol']), endpoint: String(s['Endpoint']) })),
    ],
  }));
  const queuePolicies = ofType('AWS::SQS::QueuePolicy');
  const queues: DeployedQueue[] = ofType('AWS::SQS::Queue').map(({ id, p, r }) => ({
    logicalId: id,
    name: String(r.attributes['QueueName']),
    arn: r.arn as string,
    url: r.ref,
    // Several policies naming one queue: the last one wins, as each replaces the queue's Policy attribute.
    policy: queuePolicies.filter(({ p: qp }) => ((qp['Queues'] as string[] | undefined) ?? []).includes(r.ref)).at(-1)?.p['PolicyDocument'] as unknown as PolicyDocument | undefined,
    // SQS's default visibility timeout (AWS::SQS::Queue VisibilityTimeout: "default value is 30 seconds").
    visibilityTimeoutSeconds: typeof p['VisibilityTimeout'] === 'number' ? p['VisibilityTimeout'] : Number(p['VisibilityTimeout'] ?? 30),
    kmsMasterKeyId: typeof p['KmsMasterKeyId'] === 'string' ? p['KmsMasterKeyId'] : undefined,
  }));
  const keys: DeployedKey[] = ofType('AWS::KMS::Key').map(({ id, p, r }) => ({
    logicalId: id,
    keyId: r.attributes['KeyId'] as string,
    arn: r.arn as string,
    policy: p['KeyPolicy'] as unknown as PolicyDocument | undefined,
  }));
  const actions = (value: TemplateValue | undefined) => ((value as string[] | undefined) ?? []).map(String);
  const alarms: DeployedAlarm[] = ofType('AWS::CloudWatch::Alarm').map(({ id, p, r }) => ({
    logicalId: id,
    name: r.physicalId,
    arn: r.arn as string,
    description: typeof p['AlarmDescription'] === 'string' ? p['AlarmDescription'] : undefined,
    namespace: typeof p['Namespace'] === 'string' ? p['Namespace'] : undefined,
    metricName: typeof p['MetricName'] === 'string' ? p['MetricName'] : undefined,
    alarmActions: actions(p['AlarmActions']),
    okActions: actions(p['OKActions']),
    insufficientDataActions: actions(p['InsufficientDataActions']),
    properties: p,
  }));
  const notEmulated = present
    .filter(([, r]) => !EMULATED.has(r.Type))
    .map(([logicalId, r]) => ({ logicalId, type: r.Type, why: NOT_EMULATED_WHY[r.Type] ?? 'no local counterpart' }));
  for (const queue of queues) {
    if (queue.kmsMasterKeyId !== undefined) notEmulated.push({ logicalId: queue.logicalId, type: 'SQS encryption with a KMS key', why: `${queue.kmsMasterKeyId}: the key policy is not checked for SQS locally` });
  }
  const metricFilters: CompiledMetricFilter[] = [];
  for (const { id, p } of ofType('AWS::Logs::MetricFilter')) {
    try {
      metricFilters.push(
        compileMetricFilter({
          logicalId: id,
          logGroupName: String(p['LogGroupName']),
          filterPattern: String(p['FilterPattern'] ?? ''),
          transformations: (p['MetricTransformations'] as unknown as MetricTransformation[] | undefined) ?? [],
        }),
      );
    } catch (error) {
      notEmulated.push({ logicalId: id, type: `metric filter ${id}`, why: (error as Error).message });
    }
  }
  for (const fn of functions) {
    for (const layer of fn.layers) {
      if (!SECRETS_EXTENSION_LAYER.test(layer)) notEmulated.push({ logicalId: fn.logicalId, type: 'Lambda layer', why: `${layer}: only the Parameters and Secrets extension is recognised` });
    }
  }

  return {
    stackName: where.stackName,
    placement: where,
    resources: present.map(([id]) => identity(id)),
    functions,
    roles,
    tables,
    secrets,
    permissions,
    restApi,
    topics,
    queues,
    keys,
    alarms,
    metricFilters,
    notEmulated,
  };
}

type OfType = (...types: string[]) => Array<{ id: string; p: Record<string, TemplateValue>; r: PhysicalResource }>;

function readRestApi(ofType: OfType): DeployedRestApi | undefined {
  const apis = ofType('AWS::ApiGateway::RestApi');
  if (apis.length === 0) return undefined;
  if (apis.length > 1) throw new CloudAssemblyError(`the local stack serves one REST API; the template has ${apis.length}`);
  const api = apis[0] as (typeof apis)[number];
  const resources = ofType('AWS::ApiGateway::Resource');
  const pathOf = (resourceId: string): string => {
    if (resourceId === api.r.attributes['RootResourceId']) return '';
    const resource = resources.find(({ r }) => r.ref === resourceId);
    if (resource === undefined) throw new CloudAssemblyError(`API Gateway resource ${resourceId} is not in the template`);
    return `${pathOf(String(resource.p['ParentId']))}/${String(resource.p['PathPart'])}`;
  };
  const models = ofType('AWS::ApiGateway::Model');
  const validators = ofType('AWS::ApiGateway::RequestValidator');
  const methods: DeployedMethod[] = ofType('AWS::ApiGateway::Method').map(({ id, p }) => {
    const integration = (p['Integration'] ?? {}) as Record<string, TemplateValue>;
    const uri = String(integration['Uri'] ?? '');
    const validator = validators.find(({ r }) => r.ref === p['RequestValidatorId']);
    const requestModels = Object.fromEntries(
      Object.entries((p['RequestModels'] as Record<string, string> | undefined) ?? {}).map(([contentType, modelName]) => {
        const model = models.find(({ r }) => r.ref === modelName);
        if (model === undefined) throw new CloudAssemblyError(`method ${id}: request model ${modelName} is not in the template`);
        return [contentType, model.p['Schema'] as Record<string, unknown>];
      }),
    );
    return {
      logicalId: id,
      httpMethod: String(p['HttpMethod']),
      path: pathOf(String(p['ResourceId'])) || '/',
      authorizationType: String(p['AuthorizationType'] ?? 'NONE'),
      requestParameters: (p['RequestParameters'] as Record<string, boolean> | undefined) ?? {},
      validateBody: validator?.p['ValidateRequestBody'] === true,
      validateParameters: validator?.p['ValidateRequestParameters'] === true,
      requestModels,
      integration: {
        type: String(integration['Type'] ?? ''),
        uri,
        // Lambda integration URIs: arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations
        // (AWS::ApiGateway::Method Integration.Uri reference).
        functionArn: /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri)?.[1],
        requestTemplates: stringMap(integration['RequestTemplates']),
        requestParameters: stringMap(integration['RequestParameters']),
        passthroughBehavior: typeof integration['PassthroughBehavior'] === 'string' ? integration['PassthroughBehavior'] : undefined,
        integrationResponses: (integration['IntegrationResponses'] as Array<Record<string, unknown>> | undefined) ?? [],
      },
    };
  });
  return {
    logicalId: api.id,
    id: api.r.ref,
    name: typeof api.p['Name'] === 'string' ? api.p['Name'] : api.r.physicalId,
    policy: api.p['Policy'] as unknown as PolicyDocument | undefined,
    stageNames: ofType('AWS::ApiGateway::Stage').filter(({ p }) => p['RestApiId'] === api.r.ref).map(({ r }) => r.ref),
    methods,
  };
}

function stringMap(value: TemplateValue | undefined): Record<string, string> {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, TemplateValue>).map(([key, item]) => [key, typeof item === 'string' ? item : JSON.stringify(item)]));
}

function functionArnOf(nameOrArn: string, functions: readonly DeployedFunction[]): string {
  return functions.find((fn) => fn.arn === nameOrArn || fn.name === nameOrArn)?.arn ?? nameOrArn;
}

/**
 * The handler module path of a deployed function.
 *
 * @param fn - the function
 */
export function handlerModulePath(fn: DeployedFunction): string {
  return join(fn.codeDirectory, `${fn.handlerFile}.js`);
}
