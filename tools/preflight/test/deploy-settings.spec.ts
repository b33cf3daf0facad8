import * as path from 'node:path';
import { resolveDeploySettings } from '../src/deploy-settings';
import { UsageError } from '../src/errors';

const NONE = { modelId: undefined, architecture: undefined, layerArn: undefined };
const WITH_CONTEXT = path.join(__dirname, 'fixtures', 'workspace');

describe('resolveDeploySettings', () => {
  it('uses the infra app defaults when cdk.json sets nothing', () => {
    expect(resolveDeploySettings(path.join(__dirname, 'no-such-workspace'), NONE)).toEqual({
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      architecture: 'arm64',
      layerArn: undefined,
    });
  });

  it('reads bedrockModelId and functionArchitecture from the context of apps/infra/cdk.json', () => {
    expect(resolveDeploySettings(WITH_CONTEXT, NONE)).toEqual({
      modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      architecture: 'x86_64',
      layerArn: undefined,
    });
  });

  it('lets the flags win over the context', () => {
    const layerArn = 'arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:12';
    expect(resolveDeploySettings(WITH_CONTEXT, { modelId: 'amazon.nova-lite-v1:0', architecture: 'arm64', layerArn })).toEqual({
      modelId: 'amazon.nova-lite-v1:0',
      architecture: 'arm64',
      layerArn,
    });
  });

  it('refuses another architecture, naming the flag', () => {
    expect(() => resolveDeploySettings(WITH_CONTEXT, { ...NONE, architecture: 'mips' })).toThrow(
      new UsageError('--architecture must be arm64 or x86_64, got "mips"'),
    );
  });
});
