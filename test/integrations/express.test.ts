// The shared route suite through gatehouse-auth/express on real Express 5: bare, behind express.json/urlencoded, and mounted.
import { createServer } from 'node:http';
import express from 'express';
import { authHandler, getSession, sessionMiddleware } from '../../src/integrations/express.js';
import { listen } from './listen.js';
import { integrationSuite } from './suite.js';

integrationSuite({
  name: 'gatehouse-auth/express (Express 5, no body parsers)',
  start: (auth) => {
    const app = express();
    app.use(authHandler(auth));
    app.get('/me', async (req, res) => void res.json({ session: await getSession(auth, req) }));
    app.get('/hello', (_req, res) => void res.send('hello'));
    return listen(createServer(app));
  },
});

integrationSuite({
  name: 'gatehouse-auth/express (Express 5, express.json and express.urlencoded applied first, mounted at /api/auth)',
  start: (auth) => {
    const app = express();
    // Parsers the app already uses everywhere: the integration must re-encode what they consumed.
    app.use(express.json(), express.urlencoded({ extended: false }));
    app.use('/api/auth', authHandler(auth));
    app.use(sessionMiddleware(auth));
    app.get('/me', (_req, res) => void res.json({ session: res.locals.session as unknown }));
    app.get('/hello', (_req, res) => void res.send('hello'));
    return listen(createServer(app));
  },
});
