import { percentDecode } from './uri-encode';

/**
 * Splits a raw query string into decoded `[key, value]` pairs, in order, duplicates kept. Empty parts (`a=1&&b=2`,
 * a trailing `&`) are skipped; a part without `=` is a key with an empty value. Used by the signer to describe a URL's
 * query to smithy and by the verifier (tools/aws-emulation) to rebuild the canonical query, so both read a query the
 * same way.
 *
 * @param rawQuery - the query without the leading `?`, exactly as on the wire
 * @returns the decoded pairs
 */
export function parseRawQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    if (equals === -1) pairs.push([percentDecode(part), '']);
    else pairs.push([percentDecode(part.slice(0, equals)), percentDecode(part.slice(equals + 1))]);
  }
  return pairs;
}
