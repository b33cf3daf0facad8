import { randomBytes } from 'node:crypto';
import { GENERATED_PLACEHOLDER_LENGTH, isGeneratedPlaceholder, parseBedrockModelId } from '../src';

describe('parseBedrockModelId', () => {
  it.each([
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0', true],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0', true],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', false],
    ['amazon.nova-lite-v1:0', 'amazon.nova-lite-v1:0', false],
  ])('parses %s', (modelId, foundationModelId, isInferenceProfile) => {
    expect(parseBedrockModelId(modelId)).toEqual({ modelId, foundationModelId, isInferenceProfile });
  });

  it.each(['', 'claude', 'us.', 'us.claude', 'a b.c', `anthropic.${'x'.repeat(260)}`])('refuses %j', (modelId) => {
    expect(parseBedrockModelId(modelId)).toBeUndefined();
  });
});

describe('isGeneratedPlaceholder', () => {
  it('recognises values of the shape CloudFormation generates by default', () => {
    expect(isGeneratedPlaceholder('aB3$dEfGhIjKlMnOpQrStUvWxYz01234')).toBe(true);
    expect(isGeneratedPlaceholder('^Zq8,w!Vt0k`N~p2J{r;Y5x&L3m=H7c[')).toBe(true);
  });

  it('never mistakes a real Slack signing secret (32 lower-case hex) or bot token for one', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(isGeneratedPlaceholder(randomBytes(16).toString('hex'))).toBe(false);
    }
    expect(isGeneratedPlaceholder('xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx')).toBe(false);
    expect(isGeneratedPlaceholder('local-signing-secret-not-a-real-secret')).toBe(false);
  });

  it('needs every character type and exactly the generated length', () => {
    expect(GENERATED_PLACEHOLDER_LENGTH).toBe(32);
    expect(isGeneratedPlaceholder('aB3$dEfGhIjKlMnOpQrStUvWxYz0123')).toBe(false); // 31
    expect(isGeneratedPlaceholder('ab3$defghijklmnopqrstuvwxyz01234')).toBe(false); // no upper case
    expect(isGeneratedPlaceholder('aB3xdEfGhIjKlMnOpQrStUvWxYz01234')).toBe(false); // no punctuation
    expect(isGeneratedPlaceholder('aB3$dEfGhIjKlMnOpQrStUvWxYz 1234')).toBe(false); // a space
  });
});
