import { textSummary } from '../src';

describe('textSummary', () => {
  it('gives the length of the text and nothing of its content', () => {
    expect(textSummary('hello world')).toEqual({ text_length: 11 });
  });

  it('gives 0 for an empty text', () => {
    expect(textSummary('')).toEqual({ text_length: 0 });
  });

  it('counts UTF-16 code units, the unit of MAX_TEXT_LENGTH', () => {
    expect(textSummary('日本')).toEqual({ text_length: 2 });
    expect(textSummary('👍')).toEqual({ text_length: 2 });
  });
});
