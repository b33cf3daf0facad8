import { parseConfig } from '../src/config';

const NEW_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:slack-ai-app-execution';
const OLD_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:old-name';

describe('the direct-path target (EXECUTION_FUNCTION_ARN, alias BEDROCK_PROCESSOR_ARN)', () => {
  it('takes EXECUTION_FUNCTION_ARN alone', () => {
    expect(parseConfig({ SLACK_SIGNING_SECRET: 's', EXECUTION_FUNCTION_ARN: NEW_ARN }).handoff.bedrockProcessorArn).toBe(NEW_ARN);
  });

  it('prefers EXECUTION_FUNCTION_ARN when infra sets both during the migration', () => {
    const config = parseConfig({ SLACK_SIGNING_SECRET: 's', EXECUTION_FUNCTION_ARN: NEW_ARN, BEDROCK_PROCESSOR_ARN: OLD_ARN });
    expect(config.handoff.bedrockProcessorArn).toBe(NEW_ARN);
  });

  it('still takes the alias alone (a function deployed before the rename)', () => {
    expect(parseConfig({ SLACK_SIGNING_SECRET: 's', BEDROCK_PROCESSOR_ARN: OLD_ARN }).handoff.bedrockProcessorArn).toBe(OLD_ARN);
  });

  it('names both variables when neither is set', () => {
    expect(() => parseConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(
      'EXECUTION_FUNCTION_ARN or BEDROCK_PROCESSOR_ARN is required for the direct hand-off (API Gateway is not enabled)',
    );
  });
});
