import { CONSOLE_TOKEN_HEADER } from '../src/console/api-types';

/** Thrown when the console's API answers with an error status; carries the server's message. */
export class ConsoleApiError extends Error {
  override readonly name = 'ConsoleApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The session token the server wrote into the page; control requests carry it. */
function sessionToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="console-token"]')?.content ?? '';
}

/**
 * Calls the console's JSON API on its own origin.
 *
 * @param method - HTTP method; anything but GET is a control request and carries the session token
 * @param path - e.g. `/api/state`
 * @param body - JSON body
 * @throws {@link ConsoleApiError} with the server's message on a 4xx or 5xx
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers[CONSOLE_TOKEN_HEADER] = sessionToken();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const parsed = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new ConsoleApiError(parsed.message ?? `HTTP ${response.status}`, response.status);
  return parsed;
}
