/**
 * Making a model's answer safe and readable as Slack `text`.
 *
 * Slack gives `<`, `>` and `&` a meaning (`<!channel>`, `<@U123>`, `<url|label>`), so a model's answer is escaped
 * before it is posted: a prompt-injected `<!channel>` can never ping a whole channel. Models also tend to write
 * Markdown, which Slack's mrkdwn reads differently; the most common constructs are converted outside code.
 */

const CODE_SEGMENT = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

function convertProse(prose: string): string {
  return (
    prose
      // Headings "## Title" -> "*Title*"
      .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm, '*$1*')
      // Bold "**x**" / "__x__" -> "*x*"
      .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '*$1*')
      .replace(/__(?=\S)([^_\n]*?\S)__/g, '*$1*')
      // Strikethrough "~~x~~" -> "~x~"
      .replace(/~~(?=\S)([^~\n]*?\S)~~/g, '~$1~')
      // Links "[label](https://…)" -> "label (https://…)"
      .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, '$1 ($2)')
  );
}

/**
 * Convert common Markdown (headings, `**bold**`, `~~strike~~`, `[label](url)`) to Slack mrkdwn, leaving code spans
 * and code blocks untouched.
 */
export function markdownToMrkdwn(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(CODE_SEGMENT)) {
    const start = match.index ?? 0;
    out += convertProse(text.slice(last, start)) + match[0];
    last = start + match[0].length;
  }
  return out + convertProse(text.slice(last));
}

/** Escape the three characters Slack treats as control characters (`&`, `<`, `>`), everywhere in the text. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Format a model answer for `chat.postMessage` `text`: Markdown to mrkdwn, then escaping. */
export function formatModelAnswer(text: string): string {
  return escapeSlackText(markdownToMrkdwn(text));
}
