/** An `Authorization` header split into its algorithm and `key=value` parameters. */
export interface AuthorizationParts {
  /** The first token, e.g. `AWS4-HMAC-SHA256` or `Bearer`. */
  algorithm: string;
  /** Parameters by exact name (`Credential`, `SignedHeaders`, `Signature`); the first occurrence wins. */
  parameters: ReadonlyMap<string, string>;
}

/** The result of {@link parseAuthorizationHeader}. */
export type AuthorizationParseResult =
  | { ok: true; value: AuthorizationParts }
  | { ok: false; tokenWithoutEqualSign: string };

/**
 * Splits an `Authorization` value the way the AWS authentication stack does: the first whitespace-delimited token is
 * the algorithm; the rest is split on commas and whitespace into `key=value` tokens (the value is everything after the
 * first `=`). Never throws.
 *
 * @param authorization - the raw header value
 * @returns the parts, or the first token that has no `=` (e.g. the JWT of `Bearer <jwt>`)
 */
export function parseAuthorizationHeader(authorization: string): AuthorizationParseResult {
  const trimmed = authorization.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  const rest = space === -1 ? '' : trimmed.slice(space + 1);
  const parameters = new Map<string, string>();
  for (const token of rest.split(/[,\s]+/)) {
    if (token === '') continue;
    const equals = token.indexOf('=');
    if (equals === -1) return { ok: false, tokenWithoutEqualSign: token };
    const name = token.slice(0, equals);
    if (!parameters.has(name)) parameters.set(name, token.slice(equals + 1));
  }
  return { ok: true, value: { algorithm, parameters } };
}
