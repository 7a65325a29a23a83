// The shared route suite through gatehouse-auth/next's NextAuth, called the way Next's Pages and App Routers call it (the real Next build is in nextjs.test.ts).
import { createServer } from 'node:http';
import NextAuth, { getServerSession } from '../../src/integrations/next.js';
import type { AuthConfig } from '../../src/types.js';
import { listen } from './listen.js';
import { asPagesApiRequest, catchAll, toFetchRequest, writeFetchResponse } from './next-like.js';
import { integrationSuite } from './suite.js';

function nextLikeServer(config: AuthConfig, router: 'pages' | 'app') {
  const handler = NextAuth(config);
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const segments = catchAll(url);
      if (segments && router === 'pages') return handler(await asPagesApiRequest(req, url, segments), res);
      if (segments) {
        const request = await toFetchRequest(req);
        return writeFetchResponse(await handler(request, { params: Promise.resolve({ nextauth: segments }) }), res);
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

integrationSuite({ name: 'gatehouse-auth/next NextAuth (Pages Router calling convention)', start: (_auth, config) => listen(nextLikeServer(config, 'pages')) });
integrationSuite({
  name: 'gatehouse-auth/next NextAuth (App Router calling convention)',
  start: (_auth, config) => listen(nextLikeServer(config, 'app')),
  noClientAddress: "Next's route handlers get no socket address (NextRequest.ip is gone since Next 15); per-IP limits there need rateLimit.ipHeader",
});
