import { DESCRIBE_ERROR_MAX_LENGTH, describeError, describeErrorLine, errorName } from '../src/index';

class ThrottlingException extends Error {
  override readonly name = 'ThrottlingException';
}

describe('errorName', () => {
  it('is the name of an Error and the type of anything else', () => {
    expect(errorName(new ThrottlingException('Rate exceeded'))).toBe('ThrottlingException');
    expect(errorName(new TypeError('x'))).toBe('TypeError');
    expect(errorName('boom')).toBe('string');
    expect(errorName(undefined)).toBe('undefined');
    expect(errorName(null)).toBe('object');
  });
});

describe('describeError', () => {
  it('is "Name: message", then up to two causes', () => {
    const root = new Error('socket hang up');
    const middle = new TypeError('fetch failed', { cause: root });
    const top = new ThrottlingException('Rate exceeded', { cause: middle });
    expect(describeError(top)).toBe('ThrottlingException: Rate exceeded <- TypeError: fetch failed <- Error: socket hang up');
    const deeper = new Error('outer', { cause: top });
    expect(describeError(deeper)).toBe('Error: outer <- ThrottlingException: Rate exceeded <- TypeError: fetch failed');
  });

  it('describes a thrown non-Error by its string form', () => {
    expect(describeError('plain text')).toBe('plain text');
    expect(describeError(42)).toBe('42');
  });

  it('caps the description with an ellipsis', () => {
    const text = describeError(new Error('x'.repeat(600)));
    expect(text).toBe(`Error: ${'x'.repeat(DESCRIBE_ERROR_MAX_LENGTH - 'Error: '.length)}…`);
    expect(text).toHaveLength(DESCRIBE_ERROR_MAX_LENGTH + 1);
  });
});

describe('describeErrorLine', () => {
  it('is one line without causes, whitespace collapsed', () => {
    const error = new ThrottlingException('Rate\n  exceeded\tfor GetMetricData ', { cause: new Error('socket hang up') });
    expect(describeErrorLine(error, 500)).toBe('ThrottlingException: Rate exceeded for GetMetricData');
    expect(describeErrorLine('  two\nlines ', 500)).toBe('two lines');
  });

  it('caps the line at the given length with an ellipsis', () => {
    expect(describeErrorLine(new Error('abcdefghij'), 10)).toBe('Error: abc…');
    expect(describeErrorLine(new Error('abc'), 10)).toBe('Error: abc');
  });
});
