import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { parseDeploymentSettings } from '../src/config';
import { SlackBedrockStack, type LambdaBundles } from '../src/slack-bedrock-stack';

/** Tiny stand-ins for the two built bundles, so that the tests do not depend on the Lambda builds. */
export const FIXTURE_BUNDLES: LambdaBundles = {
  verification: path.join(__dirname, 'fixtures', 'verification-lambda'),
  execution: path.join(__dirname, 'fixtures', 'execution-lambda'),
};

/** The `context` of the app's `cdk.json`, so tests synthesize with the same feature flags as `cdk synth`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** A new app with cdk.json's context plus `context`, writing its assembly to a temporary directory. */
export function newApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...context } });
}

/** Builds the whole stack from raw context values, as `cdk synth -c key=value` would. */
export function buildStack(context: Record<string, unknown> = {}): { app: App; stack: SlackBedrockStack; template: Template } {
  const app = newApp(context);
  const settings = parseDeploymentSettings((key) => app.node.tryGetContext(key) as unknown);
  const stack = new SlackBedrockStack(app, 'SlackBedrockStack', { settings, lambdaBundles: FIXTURE_BUNDLES });
  return { app, stack, template: Template.fromStack(stack) };
}

/** A bare stack with a Lambda function and a Lambda-assumable role, for construct-level tests. */
export function bareStack(): { stack: Stack; fn: lambda.Function; role: iam.Role } {
  const stack = new Stack(newApp(), 'TestStack');
  const fn = new lambda.Function(stack, 'Target', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'main.handler',
    code: lambda.Code.fromAsset(FIXTURE_BUNDLES.execution),
  });
  const role = new iam.Role(stack, 'InvokerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, fn, role };
}

/** A policy statement as it appears in a synthesized template. */
export interface TemplateStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Principal?: unknown;
  Sid?: string;
}

/** Every statement of every `AWS::IAM::Policy` of a template, with the policy's logical id. */
export function identityStatements(template: Template): Array<{ policy: string; statement: TemplateStatement }> {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { PolicyDocument: { Statement: TemplateStatement[] } } }
  >;
  return Object.entries(policies).flatMap(([policy, resource]) =>
    resource.Properties.PolicyDocument.Statement.map((statement) => ({ policy, statement })),
  );
}

/** The actions of a statement, always as an array. */
export function actionsOf(statement: TemplateStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The resources of a statement, always as an array. */
export function resourcesOf(statement: TemplateStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** The logical id of the only resource of `type` whose logical id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

/** `arn:<partition>:execute-api:<region>:<account>:<api>` followed by `tail`, as CDK renders it (an `Fn::Join`). */
function executeApiArnJoin(apiId: string, ...tail: unknown[]): unknown {
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', { Ref: apiId }, ...tail],
    ],
  };
}

/** `arn:<partition>:execute-api:<region>:<account>:<api>/prod/POST/execute` as CDK renders an identity grant on it. */
export function identityMethodArn(apiId: string): unknown {
  return executeApiArnJoin(apiId, '/prod/POST/execute');
}

/** The same method ARN as a Lambda permission renders it: through the `prod` stage resource's name. */
export function stageMethodArn(apiId: string, stageId: string): unknown {
  return executeApiArnJoin(apiId, '/', { Ref: stageId }, '/POST/execute');
}
