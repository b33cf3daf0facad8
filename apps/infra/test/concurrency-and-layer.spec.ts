import { Template } from 'aws-cdk-lib/assertions';
import { parseDeploymentSettings } from '../src/config';
import { SlackBedrockStack } from '../src/slack-bedrock-stack';
import { FIXTURE_BUNDLES, buildStack, logicalIdOf, newApp } from './helpers';

/** Builds the stack for a known Region, as `cdk synth` does when the CLI knows the account and Region. */
function stackIn(region: string, context: Record<string, unknown> = {}): Template {
  const app = newApp(context);
  const settings = parseDeploymentSettings((key) => app.node.tryGetContext(key) as unknown);
  const stack = new SlackBedrockStack(app, 'SlackBedrockStack', { settings, lambdaBundles: FIXTURE_BUNDLES, env: { account: '123456789012', region } });
  return Template.fromStack(stack);
}

const functionProps = (template: Template, prefix: string) =>
  (template.findResources('AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', prefix)] as { Properties: Record<string, unknown> }).Properties;

describe('reserved concurrency', () => {
  it('reserves 10 for the execution function by default and leaves the verification function unreserved', () => {
    const { template } = buildStack();
    expect(functionProps(template, 'ExecutionFunction')['ReservedConcurrentExecutions']).toBe(10);
    expect(functionProps(template, 'VerificationFunction')['ReservedConcurrentExecutions']).toBeUndefined();
  });

  it('takes executionReservedConcurrency from context', () => {
    const { template } = buildStack({ executionReservedConcurrency: '3' });
    expect(functionProps(template, 'ExecutionFunction')['ReservedConcurrentExecutions']).toBe(3);
  });
});

describe('function architecture and the Parameters and Secrets extension layer', () => {
  // eu-south-2: aws-cdk-lib has no arm64 layer there, but (unlike eu-central-2) its template validation knows Function URLs.
  const ARM_EU_SOUTH_2 = 'arn:aws:lambda:eu-south-2:524103009944:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:3';
  const ARM_EU_CENTRAL_2 = 'arn:aws:lambda:eu-central-2:772501565639:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:3';

  it('runs both functions on arm64 with aws-cdk-lib\'s arm64 layer by default', () => {
    const template = stackIn('us-east-1');
    for (const fn of ['ExecutionFunction', 'VerificationFunction']) expect(functionProps(template, fn)['Architectures']).toEqual(['arm64']);
    expect(functionProps(template, 'VerificationFunction')['Layers']).toEqual([
      'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:4',
    ]);
  });

  it('runs both functions on x86_64 with the x86_64 layer when asked', () => {
    const template = stackIn('eu-south-2', { functionArchitecture: 'x86_64' });
    for (const fn of ['ExecutionFunction', 'VerificationFunction']) expect(functionProps(template, fn)['Architectures']).toEqual(['x86_64']);
    expect(functionProps(template, 'VerificationFunction')['Layers']).toEqual([
      'arn:aws:lambda:eu-south-2:524103009944:layer:AWS-Parameters-and-Secrets-Lambda-Extension:1',
    ]);
  });

  it('uses the layer ARN given in context, with the same extension settings', () => {
    const template = stackIn('eu-south-2', { paramsAndSecretsLayerArn: ARM_EU_SOUTH_2 });
    const props = functionProps(template, 'VerificationFunction');
    expect(props['Layers']).toEqual([ARM_EU_SOUTH_2]);
    expect((props['Environment'] as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
      SECRETS_MANAGER_TTL: '300',
      PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: 'warn',
    });
  });

  it('stops with one line naming the Region and the ways out where aws-cdk-lib has no arm64 layer', () => {
    expect(() => stackIn('eu-central-2')).toThrow(
      'Context "paramsAndSecretsLayerArn" is needed: aws-cdk-lib knows no arm64 layer of the AWS Parameters and Secrets Lambda Extension in eu-central-2. Ways out: -c functionArchitecture=x86_64, deploy to another Region, or give the layer ARN for eu-central-2 with -c paramsAndSecretsLayerArn=<ARN> if AWS publishes one (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html#ps-integration-lambda-extensions-add)',
    );
  });

  it('names no x86_64 way out where aws-cdk-lib has no layer of either architecture', () => {
    expect(() => stackIn('il-central-1', { functionArchitecture: 'x86_64' })).toThrow(
      'Context "paramsAndSecretsLayerArn" is needed: aws-cdk-lib knows no x86_64 layer of the AWS Parameters and Secrets Lambda Extension in il-central-1. Ways out: deploy to another Region, or give the layer ARN for il-central-1 with -c paramsAndSecretsLayerArn=<ARN> if AWS publishes one (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html#ps-integration-lambda-extensions-add)',
    );
  });

  it('refuses a layer ARN of another Region', () => {
    expect(() => stackIn('us-east-1', { paramsAndSecretsLayerArn: ARM_EU_CENTRAL_2 })).toThrow(
      'Context "paramsAndSecretsLayerArn" is a layer in eu-central-2, but the stack deploys to us-east-1: a function can only use layers of its own Region',
    );
  });

  it('leaves the Region check to deploy time for an environment-agnostic stack', () => {
    const { template } = buildStack({ paramsAndSecretsLayerArn: ARM_EU_CENTRAL_2 });
    expect(functionProps(template, 'VerificationFunction')['Layers']).toEqual([ARM_EU_CENTRAL_2]);
  });
});
