import { generatedName } from '../../src/assembly/physical-ids';
import { SECRETS_EXTENSION_LAYER, planDeployment } from '../../src/assembly/deployment';
import { localSecretArn } from '../../src/aws/secrets-manager';
import { LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION } from '../../src/constants';
import { defaultAssembly, defaultDeployment } from '../support/assembly';

// The assembly `nx run infra:synth` wrote: the tests read the template to build expectations, so they follow it.
const assembly = defaultAssembly();
const deployment = defaultDeployment();
const resourcesOfType = (type: string) => Object.entries(assembly.template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);

describe('planDeployment of the synthesized assembly', () => {
  it('names every resource: the template has no names, so each is generated as CloudFormation does, deterministically', () => {
    expect(deployment.resources.map((r) => r.logicalId).sort()).toEqual(Object.keys(assembly.template.Resources).sort());
    const [fnId] = resourcesOfType('AWS::Lambda::Function');
    const fn = deployment.functions.find((f) => f.logicalId === fnId);
    expect(fn?.name).toBe(generatedName({ stackName: assembly.stackName, accountId: '000000000000', region: 'us-east-1', apiId: 'localapi' }, fnId as string, 64));
    expect(fn?.name).toMatch(new RegExp(`^${assembly.stackName}-${(fnId as string).slice(0, 20)}[A-Za-z0-9]*-[A-Za-z0-9]{12}$`));
    expect(fn?.name.length).toBeLessThanOrEqual(64);
    expect(defaultDeployment().resources).toEqual(deployment.resources);
  });

  it('resolves each function from the template: code asset, handler, environment, memory, timeout, architecture, layers', () => {
    for (const [logicalId, resource] of Object.entries(assembly.template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function')) {
      const p = resource.Properties as Record<string, unknown>;
      const fn = deployment.functions.find((f) => f.logicalId === logicalId);
      expect(fn).toMatchObject({ memoryMb: p['MemorySize'], timeoutSeconds: p['Timeout'], architectures: p['Architectures'], handlerFile: 'main', handlerExport: 'handler' });
      expect(fn?.codeDirectory).toBe(assembly.assetDirectory((p['Code'] as { S3Key: string }).S3Key));
      expect(Object.keys(fn?.environment ?? {})).toEqual(Object.keys((p['Environment'] as { Variables: object }).Variables));
      // No intrinsic survives resolution.
      expect(JSON.stringify(fn?.environment)).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
      expect(fn?.secretsExtension).toBe(((p['Layers'] as string[] | undefined) ?? []).some((arn) => SECRETS_EXTENSION_LAYER.test(arn)));
    }
    expect(deployment.functions.filter((f) => f.secretsExtension)).toHaveLength(1);
    expect(deployment.functions.filter((f) => f.functionUrl?.authType === 'NONE')).toHaveLength(1);
  });

  it('resolves Ref and GetAtt per type: a secret by ARN, a table by name, the API URL with its id and stage', () => {
    const execution = deployment.functions.find((f) => f.eventInvokeConfig !== undefined);
    const [secretId] = resourcesOfType('AWS::SecretsManager::Secret').filter((id) => deployment.secrets.find((s) => s.logicalId === id)?.arn === execution?.environment['SLACK_BOT_TOKEN_ARN']);
    expect(secretId).toBeDefined();
    const table = deployment.tables[0];
    expect(execution?.environment['IDEMPOTENCY_TABLE_NAME']).toBe(table?.name);
    expect(table).toMatchObject({ partitionKey: 'id', ttlAttribute: 'expiration', arn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table?.name}` });
    const ingress = deployment.functions.find((f) => f.functionUrl !== undefined);
    expect(ingress?.environment['EXECUTION_API_URL']).toBe('https://localapi.execute-api.us-east-1.amazonaws.com/prod/');
    expect(execution?.eventInvokeConfig).toEqual({
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 3600,
      onFailureDestination: deployment.resources.find((r) => r.type === 'AWS::SQS::Queue')?.arn,
    });
  });

  it('gives each role its identity policies from the AWS::IAM::Policy resources attached to it', () => {
    for (const role of deployment.roles) {
      const attached = Object.values(assembly.template.Resources).filter(
        (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify((r.Properties as { Roles: unknown }).Roles) === JSON.stringify([{ Ref: role.logicalId }]),
      );
      expect(role.policies).toHaveLength(attached.length);
      expect(role.arn).toBe(`arn:aws:iam::000000000000:role/${role.name}`);
      expect(role.roleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    }
    expect(deployment.roles.reduce((n, r) => n + r.policies.length, 0)).toBeGreaterThan(0);
  });

  it('reads the REST API: policy, stage, method, validator, model, integration, and the Lambda permissions', () => {
    const api = deployment.restApi;
    expect(api).toMatchObject({ id: 'localapi', stageNames: ['prod'] });
    expect([api?.policy?.Statement ?? []].flat().map((s) => s.Sid)).toEqual(['AllowVerificationRoleToInvokeExecute', 'DenyEveryoneElse']);
    const [method] = api?.methods ?? [];
    expect(method).toMatchObject({ httpMethod: 'POST', path: '/execute', authorizationType: 'AWS_IAM', validateBody: true, validateParameters: true });
    expect(method?.requestModels['application/json']).toMatchObject({ title: 'ExecutionRequest' });
    expect(method?.integration).toMatchObject({ type: 'AWS', passthroughBehavior: 'NEVER', requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" } });
    expect(method?.integration.functionArn).toBe(deployment.functions.find((f) => f.eventInvokeConfig !== undefined)?.arn);
    expect(deployment.permissions.filter((p) => p.principal === 'apigateway.amazonaws.com').map((p) => p.sourceArn)).toEqual([
      'arn:aws:execute-api:us-east-1:000000000000:localapi/prod/POST/execute',
    ]);
  });

  it('lists every resource type without a local counterpart once, with a reason', () => {
    const types = new Set(deployment.notEmulated.map((n) => n.type));
    for (const type of ['AWS::CloudWatch::Dashboard', 'AWS::ApiGateway::Account']) expect(types).toContain(type);
    for (const n of deployment.notEmulated) expect(n.why).not.toBe('');
    for (const type of ['AWS::Lambda::Function', 'AWS::CloudWatch::Alarm', 'AWS::SNS::TopicPolicy', 'AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'AWS::Logs::MetricFilter']) expect(types).not.toContain(type);
  });

  it("applies the template's metric filters on the log group a function's LoggingConfig names; an unsupported pattern is not emulated", () => {
    // The app's template has no metric filter today, so the case is a copy of it with two: one supported, one not.
    const logGroup = deployment.functions.find((f) => f.functionUrl !== undefined)?.logGroupName as string;
    expect(logGroup).toEqual(expect.any(String));
    const withFilters = JSON.parse(JSON.stringify(assembly.template)) as { Resources: Record<string, unknown> };
    const transformation = { MetricNamespace: 'Test', MetricName: 'Fallbacks', MetricValue: '1', DefaultValue: 0 };
    withFilters.Resources['FallbacksFilter'] = { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: logGroup, FilterPattern: '{ $.event = "fallback_to_direct_invoke" }', MetricTransformations: [transformation] } };
    withFilters.Resources['RegexFilter'] = { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: logGroup, FilterPattern: '%fallback.*%', MetricTransformations: [transformation] } };
    const planned = planDeployment({ ...assembly, template: withFilters as typeof assembly.template }, { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, apiId: LOCAL_API_ID }, { functionUrl: () => 'http://127.0.0.1:3000/', secretArn: localSecretArn });
    expect(planned.metricFilters.map((f) => [f.logicalId, f.logGroupName])).toEqual([...resourcesOfType('AWS::Logs::MetricFilter').map((id) => [id, expect.any(String)]), ['FallbacksFilter', logGroup]]);
    expect(planned.notEmulated.filter((n) => n.logicalId === 'RegexFilter')).toEqual([expect.objectContaining({ type: 'metric filter RegexFilter' })]);
  });

  it("reads the on-failure destination queue with its URL, policy and settings", () => {
    const destination = deployment.functions.find((f) => f.eventInvokeConfig !== undefined)?.eventInvokeConfig?.onFailureDestination;
    const queue = deployment.queues.find((q) => q.arn === destination);
    expect(queue).toMatchObject({
      arn: `arn:aws:sqs:us-east-1:000000000000:${queue?.name}`,
      url: `https://sqs.us-east-1.amazonaws.com/000000000000/${queue?.name}`,
      visibilityTimeoutSeconds: 30,
      kmsMasterKeyId: undefined,
    });
    expect(queue?.policy?.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
  });

  it('reads alarms, their topic, the topic policy and the key', () => {
    const withActions = deployment.alarms.filter((a) => a.alarmActions.length > 0);
    expect(withActions.length).toBeGreaterThan(0);
    for (const alarm of withActions) {
      const topic = deployment.topics.find((t) => t.arn === alarm.alarmActions[0]);
      expect(topic?.policy).toBeDefined();
      expect(deployment.keys.find((k) => k.arn === topic?.kmsMasterKeyId)?.policy).toBeDefined();
    }
  });
});
