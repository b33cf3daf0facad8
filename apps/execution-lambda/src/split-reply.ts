/**
 * Splitting a long answer into Slack messages.
 *
 * Slack recommends at most 4,000 characters of `text` per `chat.postMessage` and truncates at 40,000. A long answer is
 * cut into parts of at most {@link SLACK_PART_LIMIT} characters, preferring (in this order) a paragraph break, a line
 * break, then a space, outside code blocks; before cutting into a code block it cuts just before it; a code block that
 * alone exceeds the limit is cut at a line break and closed/reopened with ``` so that each part renders correctly.
 */

/** Characters per message part: below Slack's 4,000 recommendation, with room for the reopened fence. */
export const SLACK_PART_LIMIT = 3_900;

const FENCE = '```';
const CLOSE = `\n${FENCE}`;
const REOPEN = `${FENCE}\n`;

interface Candidate {
  readonly pos: number;
  readonly inFence: boolean;
}

interface Cut {
  /** Where the part ends (exclusive). */
  readonly end: number;
  /** Where the rest starts. */
  readonly next: number;
  /** The cut falls inside a code block: close it in this part, reopen it in the next. */
  readonly inFence: boolean;
}

function lastBefore(candidates: readonly Candidate[], max: number, min: number, inFence: boolean): Candidate | undefined {
  for (let i = candidates.length - 1; i >= 0; i -= 1) {
    const c = candidates[i];
    if (c.pos <= max && c.pos >= min && c.inFence === inFence) return c;
  }
  return undefined;
}

function hardCutPosition(chunk: string, limit: number, floor: number): number {
  let pos = limit;
  // Never split a surrogate pair.
  const code = chunk.charCodeAt(pos - 1);
  if (code >= 0xd800 && code <= 0xdbff) pos -= 1;
  // Never split an HTML entity (&amp; &lt; &gt;) that escaping produced.
  const amp = chunk.lastIndexOf('&', pos - 1);
  if (amp >= 0 && pos - amp <= 5 && !chunk.slice(amp, pos).includes(';') && /^&(amp|lt|gt);/.test(chunk.slice(amp))) {
    pos = amp;
  }
  // Never split a ``` token.
  for (let k = 1; k <= 2; k += 1) {
    if (chunk.startsWith(FENCE, pos - k)) {
      pos -= k;
      break;
    }
  }
  return Math.max(pos, floor + 1);
}

function fenceStateAt(chunk: string, end: number): boolean {
  let inFence = false;
  for (let i = 0; i < end; ) {
    if (chunk.startsWith(FENCE, i)) {
      inFence = !inFence;
      i += FENCE.length;
    } else {
      i += 1;
    }
  }
  return inFence;
}

function chooseCut(chunk: string, limit: number, floor: number): Cut {
  const paragraphs: Candidate[] = [];
  const lines: Candidate[] = [];
  const words: Candidate[] = [];
  let inFence = false;
  const scanEnd = Math.min(chunk.length, limit + 1);
  for (let i = 0; i < scanEnd; ) {
    if (chunk.startsWith(FENCE, i)) {
      inFence = !inFence;
      i += FENCE.length;
      continue;
    }
    const ch = chunk[i];
    if (i > floor) {
      if (ch === '\n') {
        lines.push({ pos: i, inFence });
        if (chunk[i + 1] === '\n') paragraphs.push({ pos: i, inFence });
      } else if (ch === ' ') {
        words.push({ pos: i, inFence });
      }
    }
    i += 1;
  }

  const half = Math.floor(limit / 2);
  const outside =
    lastBefore(paragraphs, limit, half, false) ??
    lastBefore(lines, limit, half, false) ??
    lastBefore(words, limit, half, false) ??
    lastBefore(lines, limit, 0, false);
  if (outside !== undefined) return { end: outside.pos, next: outside.pos + 1, inFence: false };

  const insideLimit = limit - CLOSE.length;
  const inside = lastBefore(lines, insideLimit, 0, true);
  if (inside !== undefined) return { end: inside.pos, next: inside.pos + 1, inFence: true };

  const outsideWord = lastBefore(words, limit, 0, false);
  if (outsideWord !== undefined) return { end: outsideWord.pos, next: outsideWord.pos + 1, inFence: false };

  let pos = hardCutPosition(chunk, limit, floor);
  const fenced = fenceStateAt(chunk, pos);
  if (fenced && pos > insideLimit) pos = hardCutPosition(chunk, insideLimit, floor);
  return { end: pos, next: pos, inFence: fenceStateAt(chunk, pos) };
}

/**
 * Split a reply into Slack-sized parts, in order.
 *
 * @param text - the (already formatted and escaped) reply
 * @param maxLength - characters per part (UTF-16 code units), at least 16; default {@link SLACK_PART_LIMIT}
 * @returns one or more non-empty parts, each at most `maxLength` long; `[]` for a blank text
 * @throws RangeError when `maxLength` is below 16
 */
export function splitReply(text: string, maxLength: number = SLACK_PART_LIMIT): string[] {
  if (maxLength < 16) throw new RangeError('maxLength must be at least 16');
  const parts: string[] = [];
  let prefix = '';
  let rest = text.trim();
  while (rest.length > 0) {
    const chunk = prefix + rest;
    if (chunk.length <= maxLength) {
      parts.push(chunk);
      break;
    }
    const cut = chooseCut(chunk, maxLength, prefix.length);
    const head = chunk.slice(0, cut.end).trimEnd();
    if (head !== '' && head !== FENCE) parts.push(cut.inFence ? `${head}${CLOSE}` : head);
    const tail = chunk.slice(cut.next);
    if (cut.inFence && tail.trimStart().startsWith(FENCE)) {
      // The code block closes right at the cut: nothing to reopen.
      prefix = '';
      rest = tail.trimStart().slice(FENCE.length).replace(/^[ \n]+/, '');
    } else if (cut.inFence) {
      prefix = REOPEN;
      rest = tail;
    } else {
      prefix = '';
      rest = tail.replace(/^[ \n]+/, '');
    }
  }
  return parts;
}
