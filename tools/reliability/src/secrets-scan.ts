import type { GatheredLine } from './collector';

/**
 * The secrets scan: every gathered log line is checked for the exact secret values in use (signing secret, bot token,
 * every local principal's secret key and session token, every Authorization and Slack signature value the suite's
 * clients sent) and for the generic shapes of such values, wherever they come from.
 */

/** A secret to look for, by exact value. */
export interface KnownSecret {
  /** What it is, e.g. `slack signing secret`, `session token (verification)`; printed, never the value. */
  readonly kind: string;
  readonly value: string;
}

/** A generic shape of a secret. */
export interface SecretPattern {
  readonly kind: string;
  readonly pattern: RegExp;
}

/**
 * Shapes that no log line may contain, whatever the value: a Slack token, a SigV4 `Authorization` value (its
 * credential or its signature), a Slack request signature.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { kind: 'Slack token (xox?-…)', pattern: /xox[abposr]-[A-Za-z0-9-]{6,}/ },
  { kind: 'SigV4 Authorization value', pattern: /AWS4-HMAC-SHA256\s+Credential=\S+/ },
  { kind: 'SigV4 signature', pattern: /Signature=[0-9a-f]{64}/ },
  { kind: 'Slack request signature', pattern: /v0=[0-9a-f]{64}/ },
];

/** One finding: where, and what kind (never the value). */
export interface Finding {
  readonly suite: string;
  readonly source: string;
  readonly kind: string;
  /** The line with every secret found in it replaced by `<kind>`, cut to 200 characters. */
  readonly excerpt: string;
}

/** Secrets shorter than this are not searched by value (they would match by chance); none of ours is. */
const MIN_SECRET_LENGTH = 8;

/**
 * Scans lines.
 *
 * @param lines - the gathered lines
 * @param secrets - exact values to look for
 * @param patterns - shapes to look for (default {@link SECRET_PATTERNS})
 * @returns every finding, one per line and kind
 */
export function scanLines(lines: readonly GatheredLine[], secrets: readonly KnownSecret[], patterns: readonly SecretPattern[] = SECRET_PATTERNS): Finding[] {
  const exact = secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH);
  const findings: Finding[] = [];
  for (const entry of lines) {
    const kinds = new Set<string>();
    for (const secret of exact) if (entry.line.includes(secret.value)) kinds.add(secret.kind);
    for (const { kind, pattern } of patterns) if (pattern.test(entry.line)) kinds.add(kind);
    if (kinds.size === 0) continue;
    let excerpt = entry.line;
    for (const secret of exact) excerpt = excerpt.split(secret.value).join(`<${secret.kind}>`);
    for (const { kind, pattern } of patterns) excerpt = excerpt.replace(new RegExp(pattern.source, 'g'), `<${kind}>`);
    for (const kind of kinds) findings.push({ suite: entry.suite, source: entry.source, kind, excerpt: excerpt.slice(0, 200) });
  }
  return findings;
}
