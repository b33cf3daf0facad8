import { ConfigError } from '../src/index';

describe('ConfigError', () => {
  it('names one variable, then the problem', () => {
    const error = new ConfigError('BEDROCK_MAX_TOKENS', 'must be a whole number between 1 and 65536');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.variables).toEqual(['BEDROCK_MAX_TOKENS']);
    expect(error.message).toBe('BEDROCK_MAX_TOKENS must be a whole number between 1 and 65536');
  });

  it('names alternatives with "or" and chains the cause', () => {
    const cause = new TypeError('Invalid URL');
    const error = new ConfigError(['SLACK_SIGNING_SECRET_ARN', 'SLACK_SIGNING_SECRET'], 'must be set (one of them)', { cause });
    expect(error.variables).toEqual(['SLACK_SIGNING_SECRET_ARN', 'SLACK_SIGNING_SECRET']);
    expect(error.message).toBe('SLACK_SIGNING_SECRET_ARN or SLACK_SIGNING_SECRET must be set (one of them)');
    expect(error.cause).toBe(cause);
  });

  it('combines several problems into one message naming every variable', () => {
    const first = new ConfigError('USE_API_GATEWAY', 'must be "true" or "false", got "yes"');
    const second = new ConfigError('EXECUTION_API_TIMEOUT_MS', 'must be an integer from 100 to 10000, got "0"');
    const combined = ConfigError.combine([first, second]);
    expect(combined.variables).toEqual(['USE_API_GATEWAY', 'EXECUTION_API_TIMEOUT_MS']);
    expect(combined.message).toBe(
      'USE_API_GATEWAY must be "true" or "false", got "yes"; EXECUTION_API_TIMEOUT_MS must be an integer from 100 to 10000, got "0"',
    );
    expect(combined.cause).toBe(first);
    expect(ConfigError.combine([first])).toBe(first);
  });

  it('refuses to combine nothing', () => {
    expect(() => ConfigError.combine([])).toThrow(new RangeError('ConfigError.combine needs at least one error'));
  });
});
