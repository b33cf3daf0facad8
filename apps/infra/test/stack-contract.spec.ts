import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import {
  DEFAULT_BEDROCK_MODEL_ID,
  DEFAULT_LAMBDA_ARCHITECTURE,
  DEPLOY_CONTEXT_KEYS,
  PARAMS_AND_SECRETS_EXTENSION_VERSION,
  STACK_NAME,
  STACK_OUTPUTS,
} from '@slack-ai-app/stack-contract';
import { CONTEXT_KEYS, DEFAULT_SETTINGS, parseDeploymentSettings } from '../src/config';
import { DEFAULT_PARAMS_AND_SECRETS_VERSION } from '../src/params-and-secrets-layer';
import { SlackBedrockStack } from '../src/slack-bedrock-stack';
import { FIXTURE_BUNDLES, newApp } from './helpers';

// tools/preflight checks a Region with these values before the first deploy; they must be what the stack deploys.
describe('the stack matches @slack-ai-app/stack-contract', () => {
  const region = 'eu-west-1';
  const app = newApp();
  const stack = new SlackBedrockStack(app, STACK_NAME, {
    settings: parseDeploymentSettings(() => undefined),
    lambdaBundles: FIXTURE_BUNDLES,
    env: { account: '123456789012', region },
  });
  const template = Template.fromStack(stack);
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{
    Properties: { Architectures?: string[]; Layers?: string[] };
  }>;

  it('is named STACK_NAME', () => {
    expect(Stack.of(stack).stackName).toBe('SlackBedrockStack');
  });

  it('declares every output in STACK_OUTPUTS', () => {
    // RestApi adds its own ExecutionApiEndpoint<hash> output besides ours.
    const declared = Object.keys(template.findOutputs('*')).filter((key) => !key.startsWith('ExecutionApiEndpoint'));
    expect(declared.sort()).toEqual(Object.values(STACK_OUTPUTS).sort());
  });

  it('reads the context keys and defaults preflight reads', () => {
    expect(CONTEXT_KEYS).toMatchObject(DEPLOY_CONTEXT_KEYS);
    expect(DEFAULT_SETTINGS.bedrockModelId).toBe(DEFAULT_BEDROCK_MODEL_ID);
    expect(DEFAULT_SETTINGS.functionArchitecture).toBe(DEFAULT_LAMBDA_ARCHITECTURE);
    expect(DEFAULT_PARAMS_AND_SECRETS_VERSION).toBe(PARAMS_AND_SECRETS_EXTENSION_VERSION);
  });

  it('runs every app function on the default architecture', () => {
    const appFunctions = functions.filter((fn) => fn.Properties.Architectures !== undefined);
    expect(appFunctions).toHaveLength(2);
    for (const fn of appFunctions) expect(fn.Properties.Architectures).toEqual([DEFAULT_LAMBDA_ARCHITECTURE]);
  });

  it('gives the verification function the extension layer the region facts name for that version and architecture', () => {
    const expected = RegionInfo.get(region).paramsAndSecretsLambdaLayerArn(PARAMS_AND_SECRETS_EXTENSION_VERSION, DEFAULT_LAMBDA_ARCHITECTURE);
    expect(expected).toMatch(/^arn:aws:lambda:eu-west-1:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/);
    expect(functions.flatMap((fn) => fn.Properties.Layers ?? [])).toEqual([expected]);
  });
});
