// The shared route suite through gatehouse-auth/hono on real Hono 4, served by @hono/node-server.
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { authHandler, sessionMiddleware, type SessionVariables } from '../../src/integrations/hono.js';
import { listen } from './listen.js';
import { integrationSuite } from './suite.js';

integrationSuite({
  name: 'gatehouse-auth/hono (Hono 4 on @hono/node-server)',
  start: (auth) => {
    const app = new Hono<{ Variables: SessionVariables }>();
    app.all('/api/auth/*', authHandler(auth));
    app.use('/me', sessionMiddleware(auth));
    app.get('/me', (c) => c.json({ session: c.get('session') }));
    app.get('/hello', (c) => c.text('hello'));
    // The adaptor server is a node:http server that is not listening yet.
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server);
  },
});
