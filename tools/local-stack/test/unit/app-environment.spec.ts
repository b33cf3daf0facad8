import { localEnvironment } from '../../src/app-environment';
import type { DeployedFunction } from '../../src/assembly/deployment';

describe('localEnvironment', () => {
  const fn = {
    environment: {
      SLACK_SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:signing-Abc123',
      USE_API_GATEWAY_PERCENTAGE: '0',
      EXECUTION_API_URL: 'https://localapi.execute-api.us-east-1.amazonaws.com/prod/',
      OTHER_URL: 'https://otherapi.execute-api.us-east-1.amazonaws.com/prod/',
      EXECUTION_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:Stack-Execution-X',
      BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:Stack-Execution-X',
    },
  } as unknown as DeployedFunction;
  const input = {
    awsOrigin: 'http://127.0.0.1:4566',
    apiId: 'localapi',
    region: 'us-east-1',
    slackApiUrl: 'http://127.0.0.1:3001/api/',
    localWorkspace: true,
    apiGatewayPercentage: 50,
    directInvokeFallback: true,
  };

  it('keeps the template environment, points the API URL at the local endpoint and adds the local workspace to the ingress function', () => {
    expect(localEnvironment(fn, 'verification', input)).toEqual({
      SLACK_SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:signing-Abc123',
      USE_API_GATEWAY_PERCENTAGE: '50',
      EXECUTION_API_URL: 'http://127.0.0.1:4566/prod/',
      OTHER_URL: 'https://otherapi.execute-api.us-east-1.amazonaws.com/prod/',
      EXECUTION_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:Stack-Execution-X',
      BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:Stack-Execution-X',
      ALLOWED_TEAM_IDS: 'T0LOCAL0001',
      SLACK_BOT_USER_ID: 'U0LOCALBOT1',
    });
  });

  it('gives the execution function the Slack endpoint only', () => {
    expect(localEnvironment(fn, 'execution', input)).toEqual({ ...fn.environment, EXECUTION_API_URL: 'http://127.0.0.1:4566/prod/', SLACK_API_URL: 'http://127.0.0.1:3001/api/' });
  });

  it('keeps the template percentage when no override is given, and leaves out the fallback and the local workspace ids when asked', () => {
    const env = localEnvironment(fn, 'verification', { ...input, apiGatewayPercentage: undefined, localWorkspace: false, directInvokeFallback: false });
    expect(env['USE_API_GATEWAY_PERCENTAGE']).toBe('0');
    expect(env).not.toHaveProperty('BEDROCK_PROCESSOR_ARN');
    expect(env).not.toHaveProperty('EXECUTION_FUNCTION_ARN');
    expect(env).not.toHaveProperty('ALLOWED_TEAM_IDS');
    expect(env).not.toHaveProperty('SLACK_BOT_USER_ID');
  });
});
