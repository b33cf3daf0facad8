import { Template, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCEPTED_RESPONSE_TEMPLATE, INTEGRATION_REQUEST_TEMPLATE } from '@slack-ai-app/execution-api-contract';
import { executionRequestJsonSchema } from '@slack-ai-app/payload-schemas';
import {
  EXECUTION_API_ACCESS_LOG_FORMAT,
  ExecutionApi,
  INTEGRATION_ERROR_RESPONSE_TEMPLATE,
} from '../src/constructs/execution-api';
import { ConstructPropsError, GrantError } from '../src/errors';
import { bareStack, identityMethodArn, identityStatements, logicalIdOf, stageMethodArn } from './helpers';

function build(props: Partial<ConstructorParameters<typeof ExecutionApi>[2]> = {}) {
  const { stack, fn, role } = bareStack();
  const api = new ExecutionApi(stack, 'ExecutionApi', { handler: fn, invokerRole: role, ...props });
  const template = Template.fromStack(stack);
  const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'InvokerRole');
  const apiId = logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'ExecutionApi');
  return { stack, fn, role, api, template, roleId, apiId };
}

describe('ExecutionApi', () => {
  it('is a REGIONAL REST API with one resource, /execute', () => {
    const { template } = build();
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'TestStack-execution-api',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    template.resourceCountIs('AWS::ApiGateway::Resource', 1);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'execute' });
    template.resourceCountIs('AWS::ApiGateway::Method', 1);
  });

  it('authorizes POST /execute with AWS_IAM and validates the body against the ExecutionRequest model', () => {
    const { template } = build();
    const validatorId = logicalIdOf(template, 'AWS::ApiGateway::RequestValidator', 'ExecutionApiRequestValidator');
    const modelId = logicalIdOf(template, 'AWS::ApiGateway::Model', 'ExecutionApiExecutionRequestModel');
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      RequestValidatorId: { Ref: validatorId },
      RequestModels: { 'application/json': { Ref: modelId } },
      RequestParameters: { 'method.request.header.X-Correlation-Id': false },
    });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: executionRequestJsonSchema,
    });
  });

  it('invokes the function asynchronously through a non-proxy integration with the contract mapping template', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      Integration: {
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        RequestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
        RequestTemplates: { 'application/json': INTEGRATION_REQUEST_TEMPLATE },
        PassthroughBehavior: 'NEVER',
        IntegrationResponses: [
          { StatusCode: '202', ResponseTemplates: { 'application/json': ACCEPTED_RESPONSE_TEMPLATE } },
          {
            StatusCode: '500',
            SelectionPattern: '.+',
            ResponseTemplates: { 'application/json': INTEGRATION_ERROR_RESPONSE_TEMPLATE },
          },
        ],
      },
      MethodResponses: [
        { StatusCode: '202', ResponseModels: { 'application/json': Match.anyValue() } },
        { StatusCode: '400', ResponseModels: { 'application/json': 'Error' } },
        { StatusCode: '403', ResponseModels: { 'application/json': 'Error' } },
        { StatusCode: '500', ResponseModels: { 'application/json': 'Error' } },
      ],
    });
  });

  it('has exactly the contract resource policy: Allow for the invoker role, explicit Deny for every other principal', () => {
    const { template, roleId } = build();
    const roleArn = { 'Fn::GetAtt': [roleId, 'Arn'] };
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowVerificationRoleToInvokeExecute',
            Effect: 'Allow',
            Principal: { AWS: roleArn },
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/prod/POST/execute',
          },
          {
            Sid: 'DenyEveryoneElse',
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn } },
          },
        ],
      },
    });
  });

  it('gives the invoker role execute-api:Invoke on exactly prod/POST/execute', () => {
    const { template, apiId } = build();
    expect(identityStatements(template).map(({ statement }) => statement)).toEqual([
      { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: identityMethodArn(apiId) },
    ]);
  });

  it('lets only the prod stage method invoke the function (no test-invoke permission)', () => {
    const { template, apiId } = build();
    const stageId = logicalIdOf(template, 'AWS::ApiGateway::Stage', 'ExecutionApi');
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: stageMethodArn(apiId, stageId),
    });
  });

  it('logs JSON access lines, errors only for execution, no data trace, with throttling and X-Ray', () => {
    const { template } = build();
    const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', 'ExecutionApiAccessLogs');
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:', { Ref: logGroupId }],
          ],
        },
        Format: EXECUTION_API_ACCESS_LOG_FORMAT,
      },
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: false,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        },
      ],
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('writes access log lines that are JSON with the caller ARN, status, latencies and request id', () => {
    const line = EXECUTION_API_ACCESS_LOG_FORMAT.replace('$context.error.messageString', '"Missing Authentication Token"');
    const parsed = JSON.parse(line) as Record<string, string>;
    expect(parsed).toMatchObject({
      requestId: '$context.requestId',
      callerArn: '$context.identity.userArn',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      errorType: '$context.error.responseType',
      errorMessage: 'Missing Authentication Token',
      ip: '$context.identity.sourceIp',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
    });
    expect(EXECUTION_API_ACCESS_LOG_FORMAT).not.toContain('$input');
  });

  it('applies custom throttling limits', () => {
    const { template } = build({ throttlingRateLimit: 5, throttlingBurstLimit: 10 });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })],
    });
  });

  it('redeploys when the resource policy changes', () => {
    const deploymentId = (roleName: string) => {
      const { stack, fn } = bareStack();
      const role = new iam.Role(stack, roleName, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new ExecutionApi(stack, 'ExecutionApi', { handler: fn, invokerRole: role });
      return Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::Deployment'))[0];
    };
    expect(deploymentId('RoleA')).not.toEqual(deploymentId('RoleB'));
  });

  describe('grantInvokeAccess', () => {
    it('accepts the invoker role again without duplicating its statement', () => {
      const { stack, api, role } = build();
      api.grantInvokeAccess(role);
      expect(identityStatements(Template.fromStack(stack))).toHaveLength(1);
    });

    it('refuses any other principal, because the resource policy denies it', () => {
      const { stack, api } = build();
      const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      expect(() => api.grantInvokeAccess(other)).toThrow(GrantError);
      expect(() => api.grantInvokeAccess(other)).toThrow(
        'ExecutionApi TestStack/ExecutionApi: only its invoker role can be granted execute-api:Invoke, because the resource policy explicitly denies every other principal',
      );
    });
  });

  describe('refused props', () => {
    it('refuses a throttling rate of 0', () => {
      expect(() => build({ throttlingRateLimit: 0 })).toThrow(ConstructPropsError);
      expect(() => build({ throttlingRateLimit: 0 })).toThrow('ExecutionApi: "throttlingRateLimit" must be a number above 0, got 0');
    });

    it('refuses a fractional burst', () => {
      expect(() => build({ throttlingBurstLimit: 2.5 })).toThrow(
        'ExecutionApi: "throttlingBurstLimit" must be an integer of at least 1, got 2.5',
      );
    });

    it('refuses a request schema that is not draft-04', () => {
      expect(() => build({ requestSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' } })).toThrow(
        'ExecutionApi: "requestSchema" must be a draft-04 JSON Schema of an object ("$schema": "http://json-schema.org/draft-04/schema#", "type": "object")',
      );
    });
  });
});
