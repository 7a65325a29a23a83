// The shared route suite through gatehouse/node on a plain node:http server.
import { createServer } from 'node:http';
import { getSession, toNodeHandler } from '../../src/integrations/node.js';
import { listen } from './listen.js';
import { integrationSuite } from './suite.js';

integrationSuite({
  name: 'gatehouse/node (node:http)',
  start: (auth) => {
    const api = toNodeHandler(auth);
    return listen(
      createServer((req, res) => {
        const path = req.url?.split('?')[0] ?? '/';
        if (path.startsWith('/api/auth')) return void api(req, res);
        if (path === '/me') {
          return void getSession(auth, req).then((session) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ session })));
        }
        if (path === '/hello') return void res.end('hello');
        res.writeHead(404).end();
      }),
    );
  },
});
