import { escapeSlackText, formatModelAnswer, markdownToMrkdwn } from '../src/slack-format';

describe('escapeSlackText', () => {
  it('escapes &, < and > so that no mention or link can be injected', () => {
    expect(escapeSlackText('<!channel> a & b <@U123> <https://x|y>')).toBe(
      '&lt;!channel&gt; a &amp; b &lt;@U123&gt; &lt;https://x|y&gt;',
    );
  });
});

describe('markdownToMrkdwn', () => {
  it('converts headings, bold, strikethrough and links', () => {
    expect(markdownToMrkdwn('## Title\nSome **bold** and ~~old~~ text, see [the docs](https://example.com/a).')).toBe(
      '*Title*\nSome *bold* and ~old~ text, see the docs (https://example.com/a).',
    );
  });

  it('leaves code blocks and code spans untouched', () => {
    const text = 'Use `**kwargs` here:\n```\n# comment\nprint(**d)\n```\nand **this**.';
    expect(markdownToMrkdwn(text)).toBe('Use `**kwargs` here:\n```\n# comment\nprint(**d)\n```\nand *this*.');
  });
});

describe('formatModelAnswer', () => {
  it('converts then escapes', () => {
    expect(formatModelAnswer('**a < b**')).toBe('*a &lt; b*');
  });
});
