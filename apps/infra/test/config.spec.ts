import { DEFAULT_EXECUTION_RESERVED_CONCURRENCY } from '@slack-ai-app/execution-api-contract';
import { DEFAULT_SETTINGS, parseDeploymentSettings, readDeploymentSettings } from '../src/config';
import { ContextError } from '../src/errors';
import { newApp } from './helpers';

const from = (context: Record<string, unknown>) => parseDeploymentSettings((key) => context[key]);

/** Layer ARNs in the shape AWS publishes them (account and version made up). */
const ARM_LAYER = 'arn:aws:lambda:eu-central-2:772501565639:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:3';
const X86_LAYER = 'arn:aws:lambda:eu-central-2:772501565639:layer:AWS-Parameters-and-Secrets-Lambda-Extension:12';
const CN_LAYER = 'arn:aws-cn:lambda:cn-north-1:287114880934:layer:AWS-Parameters-and-Secrets-Lambda-Extension:4';

describe('parseDeploymentSettings', () => {
  it('fills every unset key with its default', () => {
    expect(from({})).toEqual({
      executionApiPercentage: 0,
      useApiGateway: false,
      enableDirectInvokeFallback: true,
      bedrockModelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      alarmEmail: undefined,
      executionReservedConcurrency: 10,
      functionArchitecture: 'arm64',
      paramsAndSecretsLayerArn: undefined,
    });
    expect(from({})).toEqual(DEFAULT_SETTINGS);
  });

  it('treats empty strings as unset', () => {
    expect(from({ executionApiPercentage: ' ', useApiGateway: '', bedrockModelId: '', alarmEmail: '' })).toEqual(DEFAULT_SETTINGS);
  });

  it('reads -c strings and cdk.json JSON values alike', () => {
    expect(from({ executionApiPercentage: '10', useApiGateway: 'false', enableDirectInvokeFallback: 'TRUE' })).toMatchObject({
      executionApiPercentage: 10,
      useApiGateway: false,
      enableDirectInvokeFallback: true,
    });
    expect(from({ executionApiPercentage: 50, useApiGateway: true })).toMatchObject({
      executionApiPercentage: 50,
      useApiGateway: true,
    });
    expect(from({ useApiGateway: 'on', enableDirectInvokeFallback: 'off' })).toMatchObject({
      useApiGateway: true,
      enableDirectInvokeFallback: false,
    });
  });

  it('accepts the percentage bounds 0 and 100', () => {
    expect(from({ executionApiPercentage: '0' }).executionApiPercentage).toBe(0);
    expect(from({ executionApiPercentage: '100' }).executionApiPercentage).toBe(100);
  });

  it.each([['101'], ['-1'], ['10.5'], ['ten'], [150], [true]])('refuses executionApiPercentage %p', (value) => {
    expect(() => from({ executionApiPercentage: value })).toThrow(
      `Context "executionApiPercentage" must be an integer from 0 to 100, got ${JSON.stringify(value)}`,
    );
  });

  it('refuses a switch that is not a boolean', () => {
    expect(() => from({ useApiGateway: 'yes' })).toThrow('Context "useApiGateway" must be true or false (or on/off), got "yes"');
    expect(() => from({ enableDirectInvokeFallback: 1 })).toThrow(
      'Context "enableDirectInvokeFallback" must be true or false (or on/off), got 1',
    );
  });

  it('accepts foundation model ids and inference profile ids', () => {
    expect(from({ bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0' }).bedrockModelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(from({ bedrockModelId: 'amazon.nova-lite-v1:0' }).bedrockModelId).toBe('amazon.nova-lite-v1:0');
    expect(from({ bedrockModelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' }).bedrockModelId).toBe(
      'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    );
  });

  it.each([['claude'], ['arn:aws:bedrock:us-east-1::foundation-model/x.y'], ['anthropic.claude 3'], ['us.claude']])(
    'refuses bedrockModelId %p',
    (value) => {
      expect(() => from({ bedrockModelId: value })).toThrow(
        `Context "bedrockModelId" must be a Bedrock model id or inference profile id, such as us.anthropic.claude-sonnet-4-5-20250929-v1:0, got ${JSON.stringify(value)}`,
      );
    },
  );

  it('accepts an alarm email and refuses anything else', () => {
    expect(from({ alarmEmail: 'ops@example.com' }).alarmEmail).toBe('ops@example.com');
    expect(() => from({ alarmEmail: 'ops@example' })).toThrow('Context "alarmEmail" must be an email address, got "ops@example"');
  });

  it('reads the execution function\'s reserved concurrency, default 10 from the shared contract', () => {
    expect(from({}).executionReservedConcurrency).toBe(DEFAULT_EXECUTION_RESERVED_CONCURRENCY);
    expect(from({ executionReservedConcurrency: '1' }).executionReservedConcurrency).toBe(1);
    expect(from({ executionReservedConcurrency: 25 }).executionReservedConcurrency).toBe(25);
  });

  it.each([['0'], [0], ['-3'], ['2.5'], [2.5], ['ten'], [true], ['99999999999999999999']])('refuses executionReservedConcurrency %p', (value) => {
    expect(() => from({ executionReservedConcurrency: value })).toThrow(
      `Context "executionReservedConcurrency" must be an integer of at least 1, got ${JSON.stringify(value)}`,
    );
  });

  it('reads the functions\' architecture and refuses anything but arm64 or x86_64', () => {
    expect(from({ functionArchitecture: 'x86_64' }).functionArchitecture).toBe('x86_64');
    expect(() => from({ functionArchitecture: 'amd64' })).toThrow('Context "functionArchitecture" must be arm64 or x86_64, got "amd64"');
  });

  it('takes a Parameters and Secrets extension layer ARN apart', () => {
    expect(from({ paramsAndSecretsLayerArn: ` ${ARM_LAYER} ` }).paramsAndSecretsLayerArn).toEqual({
      arn: ARM_LAYER,
      region: 'eu-central-2',
      architecture: 'arm64',
    });
    expect(from({ paramsAndSecretsLayerArn: X86_LAYER, functionArchitecture: 'x86_64' }).paramsAndSecretsLayerArn).toEqual({
      arn: X86_LAYER,
      region: 'eu-central-2',
      architecture: 'x86_64',
    });
    expect(from({ paramsAndSecretsLayerArn: CN_LAYER, functionArchitecture: 'x86_64' }).paramsAndSecretsLayerArn?.region).toBe('cn-north-1');
  });

  it.each([
    ['arn:aws:lambda:eu-central-2:772501565639:layer:Some-Other-Extension:3'],
    ['arn:aws:lambda:eu-central-2:772501565639:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64'],
    ['arn:aws:lambda:eu-central-2:7725:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:3'],
    ['AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:3'],
  ])('refuses paramsAndSecretsLayerArn %p', (value) => {
    expect(() => from({ paramsAndSecretsLayerArn: value })).toThrow(
      `Context "paramsAndSecretsLayerArn" must be a layer version ARN of the AWS Parameters and Secrets Lambda Extension (arn:aws:lambda:<region>:<account>:layer:AWS-Parameters-and-Secrets-Lambda-Extension[-Arm64]:<version>; current ARNs: https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html#ps-integration-lambda-extensions-add), got ${JSON.stringify(value)}`,
    );
  });

  it('refuses a layer ARN of the other architecture', () => {
    expect(() => from({ paramsAndSecretsLayerArn: X86_LAYER })).toThrow(
      'Context "paramsAndSecretsLayerArn" is the x86_64 layer, but functionArchitecture is arm64: use the layer whose name ends in -Arm64',
    );
    expect(() => from({ paramsAndSecretsLayerArn: ARM_LAYER, functionArchitecture: 'x86_64' })).toThrow(
      'Context "paramsAndSecretsLayerArn" is the arm64 layer, but functionArchitecture is x86_64: use the layer without the -Arm64 suffix',
    );
  });

  it('allows turning the direct-invoke fallback off once every event goes by the API', () => {
    expect(from({ enableDirectInvokeFallback: 'false', executionApiPercentage: '100' }).enableDirectInvokeFallback).toBe(false);
    expect(from({ enableDirectInvokeFallback: 'false', useApiGateway: 'true' }).enableDirectInvokeFallback).toBe(false);
  });

  it('refuses turning the direct-invoke fallback off while some events still go direct', () => {
    expect(() => from({ enableDirectInvokeFallback: 'false', executionApiPercentage: '50' })).toThrow(
      'Context "enableDirectInvokeFallback" can be false only when every event goes by the execution API (useApiGateway=true or executionApiPercentage=100); executionApiPercentage is 50, so the other events still need the direct invoke',
    );
  });

  it('throws a ContextError that names the key', () => {
    let caught: unknown;
    try {
      from({ useApiGateway: 'maybe' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContextError);
    expect((caught as ContextError).key).toBe('useApiGateway');
    expect((caught as ContextError).name).toBe('ContextError');
  });
});

describe('readDeploymentSettings', () => {
  it('reads the app context', () => {
    const app = newApp({ executionApiPercentage: '10', alarmEmail: 'ops@example.com' });
    expect(readDeploymentSettings(app.node)).toEqual({ ...DEFAULT_SETTINGS, executionApiPercentage: 10, alarmEmail: 'ops@example.com' });
  });
});
