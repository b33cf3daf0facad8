/**
 * Splits a request target (`/path?query`, as in node's `IncomingMessage.url`) into its raw path and raw query.
 *
 * @param rawPath - the request target as received
 * @returns the path (at least `/`) and the query without its `?` (`''` when there is none)
 */
export function splitRequestTarget(rawPath: string): { path: string; query: string } {
  const question = rawPath.indexOf('?');
  const path = question === -1 ? rawPath : rawPath.slice(0, question);
  const query = question === -1 ? '' : rawPath.slice(question + 1);
  return { path: path === '' ? '/' : path, query };
}
