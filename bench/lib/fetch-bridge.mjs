// The node:http → Fetch bridge every Fetch-door target runs behind: @hono/node-server's request listener,
// what Hono apps on Node use (it builds the Request lazily and writes the Response back).
import { getRequestListener } from '@hono/node-server';

/** A node:http handler that calls `fetch(request)`, with the socket's address for rate limits. */
export function fetchDoor(fetch) {
  return getRequestListener((request, env) => fetch(request, env?.incoming?.socket?.remoteAddress));
}
