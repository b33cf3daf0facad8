import { MAX_TEXT_LENGTH } from '@slack-ai-app/payload-schemas';
import { codePointLength, EMPTY_TEXT_NOTICE, prepareText, stripBotMentions, textTooLongNotice } from '../src/message-text';

describe('stripBotMentions', () => {
  it.each([
    ['<@U0BOT> what is the weather?', 'what is the weather?'],
    ['<@U0BOT|assistant> hi', 'hi'],
    ['hey <@U0BOT> summarise this', 'hey summarise this'],
    ['  <@U0BOT>  ', ''],
    ['ask <@U0OTHER> about it <@U0BOT>', 'ask <@U0OTHER> about it'],
    ['line one\n<@U0BOT>\nline two', 'line one\n\nline two'],
  ])('strips the bot from %j', (text, expected) => {
    expect(stripBotMentions(text, 'U0BOT')).toBe(expected);
  });

  it('strips every user mention when the bot id is unknown', () => {
    expect(stripBotMentions('<@U0BOT> ask <@W123ABC> now', undefined)).toBe('ask now');
  });

  it('treats the bot id literally, not as a pattern', () => {
    expect(stripBotMentions('<@U.> keep <@UX>', 'U.')).toBe('keep <@UX>');
  });
});

describe('prepareText', () => {
  it('passes ordinary text through, mention stripped', () => {
    expect(prepareText('<@U0BOT> hello', 'U0BOT', MAX_TEXT_LENGTH)).toEqual({ ok: true, text: 'hello' });
  });

  it('answers a bare mention with the empty-text notice', () => {
    expect(prepareText('<@U0BOT>', 'U0BOT', MAX_TEXT_LENGTH)).toEqual({
      ok: false,
      notice: { kind: 'empty_text', text: EMPTY_TEXT_NOTICE },
      textLength: 0,
    });
  });

  it('accepts exactly 4,000 characters and refuses 4,001 with the too-long notice', () => {
    expect(prepareText('a'.repeat(4000), undefined, MAX_TEXT_LENGTH)).toEqual({ ok: true, text: 'a'.repeat(4000) });
    expect(prepareText('a'.repeat(4001), undefined, MAX_TEXT_LENGTH)).toEqual({
      ok: false,
      notice: { kind: 'text_too_long', text: textTooLongNotice(4000) },
      textLength: 4001,
    });
    expect(textTooLongNotice(4000)).toContain('4,000 characters');
  });

  it('counts an emoji once, as the ExecutionRequest schema does', () => {
    expect(codePointLength('😀a')).toBe(2);
    expect(prepareText('😀'.repeat(4000), undefined, MAX_TEXT_LENGTH).ok).toBe(true);
    expect(prepareText('😀'.repeat(4001), undefined, MAX_TEXT_LENGTH).ok).toBe(false);
  });
});
