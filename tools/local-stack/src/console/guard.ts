import { timingSafeEqual } from 'node:crypto';

/** Why the guard refused a request. */
export type GuardRefusal = 'foreign_host' | 'foreign_origin' | 'missing_token' | 'wrong_token';

/** What the guard needs to know about a request. */
export interface GuardInput {
  readonly method: string;
  /** The `Host` header. */
  readonly host: string | undefined;
  /** The `Origin` header (browsers send it on every POST/PUT/DELETE and on cross-origin GETs). */
  readonly origin: string | undefined;
  /** The session token header, on control requests. */
  readonly token: string | undefined;
  /** True for routes that change the stack (post, redeploy, faults, model). */
  readonly control: boolean;
}

/**
 * Decides whether the console answers a request. The console is loopback only: a `Host` other than its own
 * `127.0.0.1:<port>` (or `localhost:<port>`) is refused, which closes DNS rebinding (a hostile name resolving to
 * 127.0.0.1 still sends its own name as `Host`); an `Origin` other than the console's own is refused (another page
 * in the same browser); and every control request must carry the page's per-session token, which a foreign page
 * cannot read.
 *
 * @param input - the request's method, headers and kind
 * @param port - the port the console listens on
 * @param sessionToken - the token the page was given
 * @returns `undefined` to serve it, or why it is refused
 */
export function guardRequest(input: GuardInput, port: number, sessionToken: string): GuardRefusal | undefined {
  const own = ownHosts(port);
  if (input.host === undefined || !own.has(input.host.toLowerCase())) return 'foreign_host';
  if (input.origin !== undefined && !own.has(originHost(input.origin))) return 'foreign_origin';
  if (!input.control) return undefined;
  if (input.token === undefined || input.token === '') return 'missing_token';
  return sameSecret(input.token, sessionToken) ? undefined : 'wrong_token';
}

/** The message a refused request gets (never echoes the token). */
export function refusalMessage(refusal: GuardRefusal): string {
  switch (refusal) {
    case 'foreign_host':
      return 'the console answers only requests for its own loopback address (Host header refused)';
    case 'foreign_origin':
      return 'the console answers only its own page (Origin header refused)';
    case 'missing_token':
      return 'control requests need the session token of the console page';
    case 'wrong_token':
      return 'the session token is not this console\u2019s';
  }
}

function ownHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** `http://127.0.0.1:3002` → `127.0.0.1:3002`; anything else (`null`, other schemes, a path) matches nothing. */
function originHost(origin: string): string {
  const match = /^http:\/\/([^/]+)$/.exec(origin.trim().toLowerCase());
  return match?.[1] ?? '';
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
