// The shared route suite through gatehouse/next's NextAuth, called the way Next's Pages and App Routers call it (the real Next build is in nextjs.test.ts).
import { createServer, type IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import NextAuth, { getServerSession, type NextApiRequestLike } from '../../src/integrations/next.js';
import { sendWebResponse, toWebRequest } from '../../src/integrations/node.js';
import type { AuthConfig } from '../../src/types.js';
import { listen } from './listen.js';
import { integrationSuite } from './suite.js';

/** Next's API body parser: JSON and forms become objects, anything else a string; the stream is consumed. */
async function nextParsedBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return text ? (JSON.parse(text) as unknown) : {};
  if (type.includes('application/x-www-form-urlencoded')) return { ...parseQuery(text) };
  return text;
}

/** `/api/auth/a/b?x=1` → the catch-all segments `['a', 'b']`, or undefined outside the route. */
function catchAll(url: URL): string[] | undefined {
  if (url.pathname !== '/api/auth' && !url.pathname.startsWith('/api/auth/')) return undefined;
  return url.pathname.slice('/api/auth'.length).split('/').filter(Boolean);
}

function nextLikeServer(config: AuthConfig, router: 'pages' | 'app') {
  const handler = NextAuth(config);
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const segments = catchAll(url);
      if (segments && router === 'pages') {
        const apiReq = req as NextApiRequestLike;
        if (req.method !== 'GET' && req.method !== 'HEAD') apiReq.body = await nextParsedBody(req);
        apiReq.query = { ...Object.fromEntries(url.searchParams), nextauth: segments };
        return handler(apiReq, res);
      }
      if (segments) {
        const request = await toWebRequest(req);
        if (request === 'too-large') return void res.writeHead(413).end();
        return sendWebResponse(await handler(request, { params: Promise.resolve({ nextauth: segments }) }), res);
      }
      if (url.pathname === '/me') {
        const session = await getServerSession(req, res, config);
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ session }));
      }
      if (url.pathname === '/hello') return void res.end('hello');
      res.writeHead(404).end();
    })();
  });
}

integrationSuite({ name: 'gatehouse/next NextAuth (Pages Router calling convention)', start: (_auth, config) => listen(nextLikeServer(config, 'pages')) });
integrationSuite({
  name: 'gatehouse/next NextAuth (App Router calling convention)',
  start: (_auth, config) => listen(nextLikeServer(config, 'app')),
  noClientAddress: "Next's route handlers get no socket address (NextRequest.ip is gone since Next 15); per-IP limits there need rateLimit.ipHeader",
});
