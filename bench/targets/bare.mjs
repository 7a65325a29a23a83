// Bare node:http: the ceiling every ratio is taken against; answers a fixed session-sized JSON to every request.
import { serve, USER } from '../lib/shared.mjs';

// About the size of a signed-in session answer, with the same no-store header the auth libraries send.
const BODY = JSON.stringify({ user: { name: USER.name, email: USER.email, image: null }, expires: '2030-01-01T00:00:00.000Z' });

await serve(() => ({
  handler(req, res) {
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, no-cache, no-store' });
      res.end(BODY);
    };
    // POSTs (the sign-in chain) read their body first, as every auth target must.
    if (req.method === 'GET' || req.method === 'HEAD') return answer();
    req.resume();
    req.on('end', answer);
  },
}));
