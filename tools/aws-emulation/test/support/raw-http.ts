/** A raw HTTP/1.1 request as written in the AWS suite's `*.txt` files. */
export interface RawHttpRequest {
  method: string;
  /** The request target, verbatim (may contain spaces and raw UTF-8, as the suite's files do). */
  target: string;
  /** Header lines in order, names as written, values verbatim after the `:` (folded lines kept with their `\n`). */
  headers: Array<[string, string]>;
  body: string;
}

/**
 * Parses a raw request: request line (the target is everything between the first and the last space), header lines
 * until a blank line (a line starting with whitespace continues the previous value), then the body.
 */
export function parseRawHttp(text: string): RawHttpRequest {
  const lines = text.split('\n');
  const requestLine = lines[0] ?? '';
  const firstSpace = requestLine.indexOf(' ');
  const lastSpace = requestLine.lastIndexOf(' ');
  const headers: Array<[string, string]> = [];
  let index = 1;
  for (; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line === '') break;
    const previous = headers[headers.length - 1];
    if (/^\s/.test(line) && previous) {
      previous[1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return {
    method: requestLine.slice(0, firstSpace),
    target: requestLine.slice(firstSpace + 1, lastSpace),
    headers,
    body: lines.slice(index + 1).join('\n'),
  };
}

/** Headers as node's `headersDistinct` would give them: lower-case names, every occurrence kept. */
export function distinctHeaders(headers: ReadonlyArray<[string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of headers) (out[name.toLowerCase()] ??= []).push(value);
  return out;
}

/** Headers for a signer: names as written, repeated headers joined with `,` as SigV4 joins them. */
export function joinedHeaders(headers: ReadonlyArray<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const [name, value] of headers) {
    const existing = names.get(name.toLowerCase());
    if (existing === undefined) {
      names.set(name.toLowerCase(), name);
      out[name] = value;
    } else {
      out[existing] = `${out[existing]},${value}`;
    }
  }
  return out;
}
