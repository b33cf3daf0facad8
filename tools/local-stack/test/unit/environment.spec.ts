import { EnvironmentError, settingsFromEnvironment } from '../../src/cli/environment';

describe('settingsFromEnvironment', () => {
  it('uses the documented defaults', () => {
    const settings = settingsFromEnvironment({});
    expect(settings.options).toMatchObject({
      ports: { slack: 3000, slackApi: 3001, aws: 4566 },
      useApiGatewayPercentage: 100,
      directInvokeFallback: true,
      modelLatencyMs: 300,
      modelStream: { ttftMs: 300, tokensPerSecond: 50 },
    });
    expect(settings.options.slack).toBeUndefined();
    expect(settings.options.bedrockUpstream).toBeUndefined();
    expect(settings).toMatchObject({ verbosity: 'events', consolePort: 3002, realSlack: false, realBedrock: false });
  });

  it('reads ports, routing, latency and verbosity', () => {
    const settings = settingsFromEnvironment({
      LOCAL_STACK_SLACK_PORT: '4000',
      LOCAL_STACK_SLACK_API_PORT: '4001',
      LOCAL_STACK_AWS_PORT: '0',
      USE_API_GATEWAY_PERCENTAGE: '50',
      LOCAL_STACK_DIRECT_FALLBACK: 'false',
      LOCAL_STACK_MODEL_LATENCY_MS: '0',
      LOCAL_STACK_LOG: 'all',
      LOCAL_STACK_CONSOLE_PORT: '48002',
    });
    expect(settings.options).toMatchObject({ ports: { slack: 4000, slackApi: 4001, aws: 0 }, useApiGatewayPercentage: 50, directInvokeFallback: false, modelLatencyMs: 0 });
    expect(settings.verbosity).toBe('all');
    expect(settings.consolePort).toBe(48_002);
  });

  it('reads the streaming model: time to first token, tokens per second, answer length', () => {
    const settings = settingsFromEnvironment({
      LOCAL_STACK_MODEL_TTFT_MS: '800',
      LOCAL_STACK_MODEL_TOKENS_PER_SECOND: '50',
      LOCAL_STACK_MODEL_ANSWER_TOKENS: '400',
    });
    expect(settings.options.modelStream).toEqual({ ttftMs: 800, tokensPerSecond: 50, answerTokens: 400 });
    expect(() => settingsFromEnvironment({ LOCAL_STACK_MODEL_ANSWER_TOKENS: '0' })).toThrow(EnvironmentError);
  });

  it('switches to a real Slack workspace with both secrets', () => {
    const settings = settingsFromEnvironment({ LOCAL_STACK_SLACK_SIGNING_SECRET: 'real-secret', LOCAL_STACK_SLACK_BOT_TOKEN: 'xoxb-real' });
    expect(settings.realSlack).toBe(true);
    expect(settings.options.slack).toEqual({ signingSecret: 'real-secret', botToken: 'xoxb-real', apiUrl: 'https://slack.com/api/' });
  });

  it('switches to real Bedrock in the chosen region, with a model id for the execution function', () => {
    const settings = settingsFromEnvironment({ LOCAL_STACK_BEDROCK: 'aws', LOCAL_STACK_BEDROCK_REGION: 'eu-west-1', LOCAL_STACK_BEDROCK_MODEL_ID: 'eu.anthropic.claude-x' });
    expect(settings.realBedrock).toBe(true);
    expect(settings.options.bedrockUpstream).toMatchObject({ endpoint: 'https://bedrock-runtime.eu-west-1.amazonaws.com', region: 'eu-west-1' });
    expect(settings.options.functions?.execution?.environment).toEqual({ BEDROCK_MODEL_ID: 'eu.anthropic.claude-x' });
  });

  it.each([
    [{ USE_API_GATEWAY_PERCENTAGE: '101' }, 'USE_API_GATEWAY_PERCENTAGE must be a whole number from 0 to 100, got "101"'],
    [{ LOCAL_STACK_AWS_PORT: 'http' }, 'LOCAL_STACK_AWS_PORT must be a whole number from 0 to 65535, got "http"'],
    [{ LOCAL_STACK_CONSOLE_PORT: '70000' }, 'LOCAL_STACK_CONSOLE_PORT must be a whole number from 0 to 65535, got "70000"'],
    [{ LOCAL_STACK_DIRECT_FALLBACK: 'yes' }, 'LOCAL_STACK_DIRECT_FALLBACK must be "true" or "false", got "yes"'],
    [{ LOCAL_STACK_LOG: 'loud' }, 'LOCAL_STACK_LOG must be one of quiet, events, all, got "loud"'],
    [{ LOCAL_STACK_SLACK_SIGNING_SECRET: 's' }, 'set both LOCAL_STACK_SLACK_SIGNING_SECRET and LOCAL_STACK_SLACK_BOT_TOKEN to use a real Slack workspace, or neither'],
    [{ LOCAL_STACK_SLACK_SIGNING_SECRET: 's', LOCAL_STACK_SLACK_BOT_TOKEN: 'xoxp-user' }, 'LOCAL_STACK_SLACK_BOT_TOKEN must be a bot token (xoxb-…)'],
  ])('refuses %j', (env, message) => {
    expect(() => settingsFromEnvironment(env)).toThrow(new EnvironmentError(message));
  });

  it('never echoes a secret in its errors', () => {
    expect(() => settingsFromEnvironment({ LOCAL_STACK_SLACK_SIGNING_SECRET: 'super-secret-value', LOCAL_STACK_SLACK_BOT_TOKEN: 'xoxp-secret-token' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-token') }),
    );
  });
});
