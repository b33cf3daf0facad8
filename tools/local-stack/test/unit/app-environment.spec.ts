import { appEnvironments } from '../../src/app-environment';

describe('appEnvironments', () => {
  const input = {
    stageUrl: 'http://127.0.0.1:4566/prod',
    slackApiUrl: 'http://127.0.0.1:3001/api/',
    localWorkspace: true,
    signingSecretArn: 'arn:signing',
    botTokenArn: 'arn:bot',
    apiGatewayPercentage: 50,
    directInvokeFallback: true,
  };

  it('sets the variables of docs/contracts.md as apps/infra does', () => {
    expect(appEnvironments(input)).toEqual({
      verification: {
        SLACK_SIGNING_SECRET_ARN: 'arn:signing',
        USE_API_GATEWAY: 'false',
        USE_API_GATEWAY_PERCENTAGE: '50',
        EXECUTION_API_URL: 'http://127.0.0.1:4566/prod/',
        EXECUTION_API_TIMEOUT_MS: '2000',
        LOG_LEVEL: 'info',
        ALLOWED_TEAM_IDS: 'T0LOCAL0001',
        SLACK_BOT_USER_ID: 'U0LOCALBOT1',
        BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:slack-ai-app-execution',
      },
      execution: {
        SLACK_BOT_TOKEN_ARN: 'arn:bot',
        IDEMPOTENCY_TABLE_NAME: 'slack-ai-app-idempotency',
        SLACK_API_URL: 'http://127.0.0.1:3001/api/',
        LOG_LEVEL: 'info',
      },
    });
  });

  it('leaves out the fallback and the local workspace ids when asked', () => {
    const { verification } = appEnvironments({ ...input, localWorkspace: false, directInvokeFallback: false });
    expect(verification).not.toHaveProperty('BEDROCK_PROCESSOR_ARN');
    expect(verification).not.toHaveProperty('ALLOWED_TEAM_IDS');
    expect(verification).not.toHaveProperty('SLACK_BOT_USER_ID');
  });
});
