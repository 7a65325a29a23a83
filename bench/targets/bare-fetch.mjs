// The Fetch door's ceiling: a bare Fetch handler (the same fixed answer as bare.mjs) behind the same
// node:http bridge as gatehouse's auth.handler, so the bridge's own cost is in both.
import { fetchDoor } from '../lib/fetch-bridge.mjs';
import { serve, USER } from '../lib/shared.mjs';

const BODY = JSON.stringify({ user: { name: USER.name, email: USER.email, image: null }, expires: '2030-01-01T00:00:00.000Z' });
const HEADERS = { 'content-type': 'application/json', 'cache-control': 'private, no-cache, no-store' };

await serve(() => ({
  handler: fetchDoor(async (request) => {
    // POSTs (the sign-in chain) read their body first, as every auth target must.
    if (request.method !== 'GET' && request.method !== 'HEAD') await request.text();
    return new Response(BODY, { status: 200, headers: HEADERS });
  }),
}));
