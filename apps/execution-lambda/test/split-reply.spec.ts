import fc from 'fast-check';
import { SLACK_PART_LIMIT, splitReply } from '../src/split-reply';

const strip = (s: string): string => s.replace(/\s+/g, '');

describe('splitReply', () => {
  it('keeps a short reply whole', () => {
    expect(splitReply('  Paris is the capital.  ')).toEqual(['Paris is the capital.']);
  });

  it('returns no part for a blank reply', () => {
    expect(splitReply(' \n ')).toEqual([]);
  });

  it('stays below Slack’s 4,000-character recommendation by default', () => {
    expect(SLACK_PART_LIMIT).toBe(3_900);
    const parts = splitReply('word '.repeat(3_000));
    expect(parts.length).toBe(4);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(3_900);
  });

  it('cuts at a paragraph break in preference to a line break or a space', () => {
    const first = `${'a'.repeat(30)}\n${'b'.repeat(10)}`;
    const second = `${'c'.repeat(20)} ${'d'.repeat(10)}`;
    expect(splitReply(`${first}\n\n${second}`, 60)).toEqual([first, second]);
  });

  it('cuts at a line break when there is no paragraph break', () => {
    expect(splitReply(`${'a'.repeat(40)}\n${'b'.repeat(40)}`, 60)).toEqual(['a'.repeat(40), 'b'.repeat(40)]);
  });

  it('cuts at a space inside a long paragraph', () => {
    expect(splitReply(`${'a'.repeat(40)} ${'b'.repeat(40)}`, 60)).toEqual(['a'.repeat(40), 'b'.repeat(40)]);
  });

  it('hard-cuts a long word, never splitting a surrogate pair or an escaped entity', () => {
    const emoji = '😀'.repeat(20); // 40 code units
    const parts = splitReply(emoji, 21);
    expect(parts.join('')).toBe(emoji);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(21);
    expect(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);

    const escaped = `${'x'.repeat(18)}&amp;${'y'.repeat(20)}`;
    const cut = splitReply(escaped, 20);
    expect(cut[0]).toBe('x'.repeat(18));
    expect(cut[1].startsWith('&amp;')).toBe(true);
  });

  it('cuts before a code block rather than inside it', () => {
    const prose = 'p'.repeat(20);
    const code = '```\nconst a = 1;\nconst b = 2;\n```';
    expect(splitReply(`${prose}\n${code}`, 50)).toEqual([prose, code]);
  });

  it('closes and reopens a code block that alone exceeds the limit', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line_${String(i).padStart(2, '0')}`);
    const text = `\`\`\`\n${lines.join('\n')}\n\`\`\``;
    const parts = splitReply(text, 40);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(40);
      expect(part.startsWith('```')).toBe(true);
      expect(part.endsWith('```')).toBe(true);
      expect((part.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(parts.join('\n').match(/line_\d\d/g)).toEqual(lines);
  });

  it('refuses a limit too small to hold a fence', () => {
    expect(() => splitReply('text', 15)).toThrow(RangeError);
  });

  it('property: parts are non-empty, within the limit, in order, and lose no visible character', () => {
    const chunk = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(' ', '\n', '\n\n', '```', '```\n', '&amp;', '😀', 'é'),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 80 }), fc.integer({ min: 16, max: 80 }), (pieces, limit) => {
        const text = pieces.join('');
        const parts = splitReply(text, limit);
        for (const part of parts) {
          expect(part.length).toBeGreaterThan(0);
          expect(part.length).toBeLessThanOrEqual(limit);
        }
        // Removing whitespace and the fences added at cuts, the parts spell the original text.
        const withoutFences = (s: string): string => strip(s).replace(/```/g, '');
        expect(withoutFences(parts.join(''))).toBe(withoutFences(text));
      }),
      { numRuns: 500 },
    );
  });

  it('property: text without code blocks is only ever cut at whitespace when whitespace is near', () => {
    const word = fc.string({ minLength: 1, maxLength: 8 }).filter((w) => !/[\s`]/.test(w));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 200 }), (words) => {
        const text = words.join(' ');
        expect(splitReply(text, 40).join(' ')).toBe(text);
      }),
    );
  });
});
