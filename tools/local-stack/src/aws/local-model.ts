/**
 * The deterministic local model behind the Bedrock Converse stand-in: it validates a Converse request with the rules
 * the real API enforces that matter to this app, and answers with an echo of the question plus a summary of the
 * conversation. The same request always gives the same answer.
 */

/** A content block of a Converse message (only `text` is read; other kinds are counted). */
export interface ConverseContentBlock {
  readonly text?: unknown;
  readonly [kind: string]: unknown;
}

/** The parts of a Converse request body the local model reads. */
export interface ConverseRequestBody {
  readonly messages?: unknown;
  readonly system?: unknown;
  readonly inferenceConfig?: unknown;
}

/** A successful Converse response body (the wire shape, `output.message.content[].text`). */
export interface ConverseResponseBody {
  readonly output: { readonly message: { readonly role: 'assistant'; readonly content: ReadonlyArray<{ readonly text: string }> } };
  readonly stopReason: 'end_turn' | 'max_tokens';
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number; readonly totalTokens: number };
  readonly metrics: { readonly latencyMs: number };
}

/** The outcome of {@link runLocalModel}. */
export type LocalModelResult = { readonly ok: true; readonly body: ConverseResponseBody } | { readonly ok: false; readonly message: string };

/** Messages of Bedrock's ValidationException for the rules enforced here (as reported by the real service). */
export const CONVERSE_VALIDATION_MESSAGES = {
  mustStartWithUser: 'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
  mustAlternate:
    'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
  emptyContent: (index: number) =>
    `The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`,
  blankText: (index: number, block: number) =>
    `The text field in the ContentBlock object at messages.${index}.content.${block} is blank. Add text to the text field, and try again.`,
  messagesNull: "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null",
  badRole: (value: string, index: number) =>
    `1 validation error detected: Value '${value}' at 'messages.${index + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
  maxTokens: (value: unknown) =>
    `1 validation error detected: Value '${String(value)}' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1`,
  temperature: (value: unknown) =>
    `1 validation error detected: Value '${String(value)}' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1`,
} as const;

/** Characters per token of the local token estimate. */
const CHARS_PER_TOKEN = 4;
/** The longest question echoed back, in characters. */
const MAX_ECHO_CHARS = 500;

/**
 * Validates a Converse request and computes the local answer.
 *
 * @param body - the parsed request body
 * @param latencyMs - the configured model latency, reported in `metrics.latencyMs`
 * @returns the response body, or a ValidationException message
 */
export function runLocalModel(body: ConverseRequestBody, latencyMs: number): LocalModelResult {
  const messages = body.messages;
  if (messages === undefined || messages === null) return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.messagesNull };
  if (!Array.isArray(messages) || messages.length === 0) return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.mustStartWithUser };

  const turns: Array<{ role: 'user' | 'assistant'; text: string }> = [];
  for (const [index, raw] of messages.entries()) {
    const message = (typeof raw === 'object' && raw !== null ? raw : {}) as { role?: unknown; content?: unknown };
    if (message.role !== 'user' && message.role !== 'assistant') return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.badRole(String(message.role), index) };
    if (index === 0 && message.role !== 'user') return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.mustStartWithUser };
    if (index > 0 && turns[index - 1]?.role === message.role) return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.mustAlternate };
    if (!Array.isArray(message.content) || message.content.length === 0) return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.emptyContent(index) };
    const texts: string[] = [];
    for (const [blockIndex, block] of (message.content as ConverseContentBlock[]).entries()) {
      if (typeof block !== 'object' || block === null) return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.emptyContent(index) };
      if ('text' in block) {
        if (typeof block.text !== 'string' || block.text.trim() === '') return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.blankText(index, blockIndex) };
        texts.push(block.text);
      }
    }
    turns.push({ role: message.role, text: texts.join('\n') });
  }

  const config = (typeof body.inferenceConfig === 'object' && body.inferenceConfig !== null ? body.inferenceConfig : {}) as {
    maxTokens?: unknown;
    temperature?: unknown;
  };
  if (config.maxTokens !== undefined && (typeof config.maxTokens !== 'number' || !Number.isInteger(config.maxTokens) || config.maxTokens < 1)) {
    return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.maxTokens(config.maxTokens) };
  }
  if (config.temperature !== undefined && (typeof config.temperature !== 'number' || config.temperature < 0 || config.temperature > 1)) {
    return { ok: false, message: CONVERSE_VALIDATION_MESSAGES.temperature(config.temperature) };
  }

  const systemText = Array.isArray(body.system)
    ? (body.system as ConverseContentBlock[]).map((b) => (typeof b?.text === 'string' ? b.text : '')).join('\n')
    : '';
  const answer = localAnswer(turns);
  const maxTokens = typeof config.maxTokens === 'number' ? config.maxTokens : undefined;
  const truncated = maxTokens !== undefined && tokens(answer) > maxTokens;
  const text = truncated ? answer.slice(0, maxTokens * CHARS_PER_TOKEN) : answer;
  const inputTokens = tokens(systemText) + turns.reduce((sum, t) => sum + tokens(t.text), 0);
  const outputTokens = tokens(text);
  return {
    ok: true,
    body: {
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason: truncated ? 'max_tokens' : 'end_turn',
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      metrics: { latencyMs: Math.round(latencyMs) },
    },
  };
}

/**
 * The local model's answer: the last user turn echoed, and a one-line summary of the earlier turns.
 *
 * @param turns - the validated conversation, oldest first, ending with any role
 */
export function localAnswer(turns: ReadonlyArray<{ role: 'user' | 'assistant'; text: string }>): string {
  const lastUser = [...turns].reverse().find((t) => t.role === 'user');
  const question = (lastUser?.text ?? '').trim().replace(/\s+/g, ' ');
  const echoed = question.length > MAX_ECHO_CHARS ? `${question.slice(0, MAX_ECHO_CHARS)}…` : question;
  const earlier = turns.slice(0, lastUser === undefined ? turns.length : turns.lastIndexOf(lastUser));
  const lines = [`(local model) You asked: "${echoed}"`];
  if (earlier.length > 0) {
    const fromUser = earlier.filter((t) => t.role === 'user').length;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    lines.push(
      `Earlier in this thread: ${plural(earlier.length, 'message')} (${plural(fromUser, 'user message')}, ${plural(earlier.length - fromUser, 'assistant message')}).`,
    );
  } else {
    lines.push('This is the start of the conversation.');
  }
  return lines.join('\n');
}

function tokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
