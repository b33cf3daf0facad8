import { createHash } from 'node:crypto';

/** Where a stack is "deployed": what AWS itself would generate is local. */
export interface LocalPlacement {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  /** The id the local execute-api serves every `AWS::ApiGateway::RestApi` under (one API per stack locally). */
  readonly apiId: string;
}

/** A resource's physical identity: what `Ref` and `Fn::GetAtt` return. */
export interface PhysicalResource {
  readonly logicalId: string;
  readonly type: string;
  /** The physical name or id (what the console shows). */
  readonly physicalId: string;
  /** What `Ref` returns (for most types the physical id; a queue's URL, a secret's or topic's ARN…). */
  readonly ref: string;
  /** `Fn::GetAtt` attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The ARN, when the type has one. */
  readonly arn: string | undefined;
}

/** Maximum length of generated names per type (CloudFormation truncates the logical-id part to fit). */
const NAME_LIMITS: Readonly<Record<string, number>> = {
  'AWS::Lambda::Function': 64,
  'AWS::IAM::Role': 64,
  'AWS::IAM::Policy': 128,
  'AWS::SQS::Queue': 80,
  'AWS::SNS::Topic': 256,
  'AWS::SecretsManager::Secret': 256,
  'AWS::DynamoDB::GlobalTable': 255,
  'AWS::DynamoDB::Table': 255,
  'AWS::Logs::LogGroup': 512,
  'AWS::CloudWatch::Alarm': 255,
  'AWS::CloudWatch::Dashboard': 255,
};

/** Property that carries a given name, per type (when the template sets it, it is the physical name). */
const NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::ApiGateway::Stage': 'StageName',
  'AWS::ApiGateway::Model': 'Name',
  'AWS::ApiGateway::RestApi': 'Name',
};

/**
 * A name as CloudFormation generates one when the template gives none: "the stack name, the logical ID of the
 * resource, and a random string" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html),
 * the logical-id part cut to fit the type's limit. The "random" suffix is derived from the stack and logical id, so a
 * local deployment names things the same way every time.
 *
 * @param placement - the stack
 * @param logicalId - the resource's logical id
 * @param limit - the type's maximum length
 */
export function generatedName(placement: LocalPlacement, logicalId: string, limit = 64): string {
  const suffix = localSuffix(`${placement.stackName}/${logicalId}`, 12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
  const room = Math.max(1, limit - placement.stackName.length - suffix.length - 2);
  return `${placement.stackName}-${logicalId.slice(0, room)}-${suffix}`;
}

/**
 * A deterministic pseudo-random string (what AWS would draw at random) from a seed.
 *
 * @param seed - what the value stands for
 * @param length - characters
 * @param alphabet - characters to draw from
 */
export function localSuffix(seed: string, length: number, alphabet: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[(digest[i % digest.length] as number) % alphabet.length];
  return out;
}

/**
 * The physical identity of one resource: the name the template gives, or a generated one, and what `Ref` and
 * `Fn::GetAtt` return for its type, per the CloudFormation resource type reference ("Return values" of each type:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html).
 *
 * @param logicalId - the logical id
 * @param type - the resource type
 * @param givenName - the resolved value of the type's name property, if the template sets one
 * @param placement - stack, account, region, API id
 * @param secretArnOf - the local Secrets Manager's ARN for a secret name in an account (its 6-character suffix)
 */
export function physicalResource(
  logicalId: string,
  type: string,
  givenName: string | undefined,
  placement: LocalPlacement,
  secretArnOf: (name: string, accountId: string) => string,
): PhysicalResource {
  const { accountId: account, region } = placement;
  const name = givenName ?? generatedName(placement, logicalId, NAME_LIMITS[type]);
  const id = (length = 10) => localSuffix(`${placement.stackName}/${logicalId}`, length, 'abcdefghijklmnopqrstuvwxyz0123456789');
  const make = (ref: string, arn: string | undefined, attributes: Record<string, string> = {}, physicalId = ref): PhysicalResource => ({
    logicalId,
    type,
    physicalId,
    ref,
    arn,
    attributes: arn === undefined ? attributes : { Arn: arn, ...attributes },
  });
  switch (type) {
    case 'AWS::Lambda::Function':
      return make(name, `arn:aws:lambda:${region}:${account}:function:${name}`);
    case 'AWS::IAM::Role':
      return make(name, `arn:aws:iam::${account}:role/${name}`, { RoleId: `AROA${localSuffix(logicalId, 17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}` });
    case 'AWS::SQS::Queue': {
      const url = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
      return make(url, `arn:aws:sqs:${region}:${account}:${name}`, { QueueName: name, QueueUrl: url }, name);
    }
    case 'AWS::SNS::Topic': {
      const arn = `arn:aws:sns:${region}:${account}:${name}`;
      return make(arn, arn, { TopicArn: arn, TopicName: name }, name);
    }
    case 'AWS::SecretsManager::Secret': {
      const arn = secretArnOf(name, account);
      return make(arn, arn, { Id: arn }, name);
    }
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::DynamoDB::Table':
      return make(name, `arn:aws:dynamodb:${region}:${account}:table/${name}`, { StreamArn: `arn:aws:dynamodb:${region}:${account}:table/${name}/stream/1970-01-01T00:00:00.000` });
    case 'AWS::Logs::LogGroup':
      return make(name, `arn:aws:logs:${region}:${account}:log-group:${name}:*`);
    case 'AWS::KMS::Key': {
      const keyId = [8, 4, 4, 4, 12].map((n, i) => localSuffix(`${logicalId}/${i}`, n, '0123456789abcdef')).join('-');
      return make(keyId, `arn:aws:kms:${region}:${account}:key/${keyId}`, { KeyId: keyId });
    }
    case 'AWS::ApiGateway::RestApi':
      // Ref: the API id; RootResourceId: the "/" resource's id.
      return make(placement.apiId, `arn:aws:apigateway:${region}::/restapis/${placement.apiId}`, { RestApiId: placement.apiId, RootResourceId: id() }, placement.apiId);
    case 'AWS::ApiGateway::Stage':
      return make(givenName ?? id(), undefined);
    case 'AWS::ApiGateway::Model':
      return make(givenName ?? logicalId, undefined);
    case 'AWS::ApiGateway::Resource':
      return make(id(), undefined, { ResourceId: id() });
    case 'AWS::ApiGateway::Deployment':
      return make(id(), undefined, { DeploymentId: id() });
    case 'AWS::ApiGateway::RequestValidator':
      return make(id(6), undefined, { RequestValidatorId: id(6) });
    case 'AWS::CloudWatch::Alarm':
      return make(name, `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`);
    case 'AWS::CloudWatch::Dashboard':
      return make(name, undefined);
    default:
      // Policies, permissions, URLs, subscriptions…: an id; their own attributes are filled in by the deployment.
      return make(givenName ?? `${logicalId}-${id(12)}`, undefined);
  }
}

/**
 * The property that names a resource of a type (`FunctionName`, `TableName`, `Name`…), if the type has one.
 *
 * @param type - the resource type
 */
export function namePropertyOf(type: string): string | undefined {
  return NAME_PROPERTIES[type];
}
