import { DEFAULT_SETTINGS, parseDeploymentSettings, readDeploymentSettings } from '../src/config';
import { ContextError } from '../src/errors';
import { newApp } from './helpers';

const from = (context: Record<string, unknown>) => parseDeploymentSettings((key) => context[key]);

describe('parseDeploymentSettings', () => {
  it('fills every unset key with its default', () => {
    expect(from({})).toEqual({
      executionApiPercentage: 0,
      useApiGateway: false,
      enableDirectInvokeFallback: true,
      bedrockModelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      alarmEmail: undefined,
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
