/** One problem found in a payload: where it is and what is wrong, never the offending value. */
export interface PayloadIssue {
  /** Dotted path of the bad field (`notice.kind`, `authorizations[0].user_id`); `''` for the payload itself. */
  readonly path: string;
  /** What is wrong, e.g. `required`, `expected string, received number`, `must be at most 4000 characters`. */
  readonly message: string;
}

/** Most issues spelled out in {@link PayloadValidationError.message}; the rest are summarised by count. */
const MAX_ISSUES_IN_MESSAGE = 10;

/**
 * A payload did not match its schema.
 *
 * `message` names every bad field (up to ten, then a count), e.g.
 * `invalid ExecutionRequest: channel: expected string, received number; event_id: required`.
 * Neither `message` nor `issues` ever contains a value taken from the input, so the error is safe to log even
 * when the payload carries message text or a (deprecated) `bot_token`.
 */
export class PayloadValidationError extends Error {
  override readonly name = 'PayloadValidationError';
  /** What was being parsed, e.g. `ExecutionRequest` or `Slack envelope`. */
  readonly subject: string;
  /** Every problem found, in schema order. */
  readonly issues: PayloadIssue[];

  /**
   * @param subject - What was being parsed; it starts the message (`invalid <subject>: ...`).
   * @param issues - The problems found; at least one.
   */
  constructor(subject: string, issues: PayloadIssue[]) {
    super(formatMessage(subject, issues));
    this.subject = subject;
    this.issues = issues;
  }
}

/** The result of a parse: the parsed value, or the error that says which fields are wrong. Never throws. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: PayloadValidationError };

function formatMessage(subject: string, issues: readonly PayloadIssue[]): string {
  const shown = issues
    .slice(0, MAX_ISSUES_IN_MESSAGE)
    .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
  const hidden = issues.length - shown.length;
  if (hidden > 0) shown.push(`and ${hidden} more`);
  return `invalid ${subject}: ${shown.join('; ')}`;
}
