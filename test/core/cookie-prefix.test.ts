// Issue 13 item 2: on https only the `__Secure-` session cookie counts, in every reader (the REST GET session, auth.getSession, each integration's getSession, the session-admin functions).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { createAuth, type Auth } from '../../src/index.js';
import { getSession as expressSession } from '../../src/integrations/express.js';
import { authPlugin, getSession as fastifySession } from '../../src/integrations/fastify.js';
import { getSession as honoSession } from '../../src/integrations/hono.js';
import { getServerSession } from '../../src/integrations/next.js';
import { getSession as nodeSession, toNodeHandler } from '../../src/integrations/node.js';
import type { AuthConfig } from '../../src/types.js';
import { credentialsConfig, USER } from '../helpers/config.js';
import { listen } from '../integrations/listen.js';
import type { RunningApp } from '../integrations/suite.js';
import { Browser } from '../helpers/server.js';

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };
const SECURE = '__Secure-next-auth.session-token';
const PLAIN = 'next-auth.session-token';

/** Every reader of one instance, each behind its own path on a node:http server (Express, Fastify and Hono apps on their own ports). */
interface Readers {
  api: RunningApp;
  /** name → URL answering `{ session }` (or `{ sessions }` / `{ revoked }` for the admin readers). */
  urls: Record<string, string>;
  close(): Promise<void>;
}

const json = (res: ServerResponse, body: unknown) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  return headers;
}

async function startReaders(auth: Auth, config: AuthConfig): Promise<Readers> {
  const api = toNodeHandler(auth);
  const main = await listen(
    createServer((req, res) => {
      const path = req.url?.split('?')[0] ?? '/';
      if (path.startsWith('/api/auth')) return void api(req, res);
      const headers = webHeaders(req);
      const run = async () => {
        switch (path) {
          case '/core/headers':
            return json(res, { session: await auth.getSession(headers) });
          case '/core/request':
            // The URL as a framework would build it behind a TLS-terminating proxy: the scheme comes from the configured URL or X-Forwarded-Proto, not from here.
            return json(res, { session: await auth.getSession(new Request(`http://${req.headers.host}${req.url}`, { headers })) });
          case '/node':
            return json(res, { session: await nodeSession(auth, req) });
          case '/next-pages':
            return json(res, { session: await getServerSession(req, res, config) });
          case '/admin/list':
            return json(res, { sessions: (await auth.listSessions(headers)).length });
          case '/admin/revoke-others':
            return json(res, { revoked: await auth.revokeOtherSessions(headers) });
        }
        res.writeHead(404).end();
      };
      run().catch((error: unknown) => res.writeHead(500).end(String(error)));
    }),
  );
  const ex = express();
  ex.get('/me', async (req, res) => void res.json({ session: await expressSession(auth, req) }));
  const exApp = await listen(createServer(ex));
  const fa = Fastify();
  void fa.register(authPlugin(auth));
  fa.get('/me', async (request) => ({ session: await fastifySession(auth, request) }));
  const faOrigin = await fa.listen({ port: 0, host: '127.0.0.1' });
  const ho = new Hono();
  ho.get('/me', async (c) => c.json({ session: await honoSession(auth, c) }));
  const hoApp = await listen(createAdaptorServer({ fetch: ho.fetch }) as import('node:http').Server);
  const urls: Record<string, string> = {
    'auth.getSession(headers)': `${main.origin}/core/headers`,
    'auth.getSession(request)': `${main.origin}/core/request`,
    'gatehouse-auth/node getSession': `${main.origin}/node`,
    'gatehouse-auth/next getServerSession(req, res)': `${main.origin}/next-pages`,
    'gatehouse-auth/express getSession': `${exApp.origin}/me`,
    'gatehouse-auth/fastify getSession': `${faOrigin}/me`,
    'gatehouse-auth/hono getSession': `${hoApp.origin}/me`,
  };
  return {
    api: main,
    urls,
    close: async () => {
      await Promise.all([main.close(), exApp.close(), fa.close(), hoApp.close()]);
    },
  };
}

async function readAll(readers: Readers, cookie: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, url] of Object.entries(readers.urls)) {
    const response = await fetch(url, { headers: { cookie, ...headers } });
    assert.equal(response.status, 200, `${name}: ${response.status}`);
    const body = (await response.json()) as { session: { user?: { email?: string } } | null };
    out[name] = body.session?.user?.email ?? null;
  }
  return out;
}

function everyReader(readers: Readers, value: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.keys(readers.urls).map((name) => [name, value]));
}

async function admin(readers: Readers, cookie: string, headers: Record<string, string> = {}): Promise<{ sessions: number; revoked: number }> {
  const list = (await (await fetch(`${readers.api.origin}/admin/list`, { headers: { cookie, ...headers } })).json()) as { sessions: number };
  const revoke = (await (await fetch(`${readers.api.origin}/admin/revoke-others`, { headers: { cookie, ...headers } })).json()) as { revoked: number };
  return { sessions: list.sessions, revoked: revoke.revoked };
}

describe('issue 13 item 2: an unprefixed session cookie on an https deployment is no session, in every reader', () => {
  describe('configured url https://…', () => {
    let readers: Readers;
    let token = '';
    before(async () => {
      const config = credentialsConfig({ logger: quiet, url: 'https://app.example.com/api/auth' });
      readers = await startReaders(createAuth(config), config);
      const browser = new Browser();
      const signIn = await browser.signInWithCredentials(`${readers.api.origin}/api/auth`, { username: 'ann', password: 'pw' });
      assert.equal(signIn.status, 200);
      token = browser.jar.get(SECURE)!;
      assert.ok(token, 'the https sign-in sets the __Secure- cookie');
    });
    after(() => readers.close());

    test('the __Secure- cookie is the session everywhere (control)', async () => {
      assert.deepEqual(await readAll(readers, `${SECURE}=${token}`), everyReader(readers, USER.email));
      assert.deepEqual(await admin(readers, `${SECURE}=${token}`), { sessions: 1, revoked: 0 });
    });

    test('the same token planted as next-auth.session-token: REST GET session {} and every server reader null', async () => {
      const rest = await fetch(`${readers.api.origin}/api/auth/session`, { headers: { cookie: `${PLAIN}=${token}` } });
      assert.deepEqual(await rest.json(), {});
      assert.deepEqual(await readAll(readers, `${PLAIN}=${token}`), everyReader(readers, null));
    });

    test('session-admin functions (listSessions, revokeOtherSessions) see no caller for the unprefixed cookie', async () => {
      assert.deepEqual(await admin(readers, `${PLAIN}=${token}`), { sessions: 0, revoked: 0 });
    });

    test('chunked: next-auth.session-token.0 is refused as well', async () => {
      assert.deepEqual(await readAll(readers, `${PLAIN}.0=${token}`), everyReader(readers, null));
    });
  });

  describe('no configured url, trustHost: the scheme the REST path takes from X-Forwarded-Proto', () => {
    let readers: Readers;
    let token = '';
    before(async () => {
      const config = credentialsConfig({ logger: quiet, trustHost: true });
      readers = await startReaders(createAuth(config), config);
      const browser = new Browser();
      const base = `${readers.api.origin}/api/auth`;
      const https = { 'x-forwarded-proto': 'https' };
      const csrfToken = ((await (await browser.fetch(`${base}/csrf`, { headers: https })).json()) as { csrfToken: string }).csrfToken;
      const signIn = await browser.fetch(`${base}/callback/credentials`, { method: 'POST', headers: https, form: { username: 'ann', password: 'pw', csrfToken, json: 'true' } });
      assert.equal(signIn.status, 200);
      token = browser.jar.get(SECURE)!;
      assert.ok(token);
    });
    after(() => readers.close());

    test('https request (X-Forwarded-Proto: https): the unprefixed cookie is refused by REST and every reader; the __Secure- one reads', async () => {
      const https = { 'x-forwarded-proto': 'https' };
      const rest = await fetch(`${readers.api.origin}/api/auth/session`, { headers: { cookie: `${PLAIN}=${token}`, ...https } });
      assert.deepEqual(await rest.json(), {});
      assert.deepEqual(await readAll(readers, `${PLAIN}=${token}`, https), everyReader(readers, null));
      assert.deepEqual(await admin(readers, `${PLAIN}=${token}`, https), { sessions: 0, revoked: 0 });
      assert.deepEqual(await readAll(readers, `${SECURE}=${token}`, https), everyReader(readers, USER.email));
    });

    test('http request: the unprefixed cookie is the session and the __Secure- one is not, as on the REST path', async () => {
      const rest = await fetch(`${readers.api.origin}/api/auth/session`, { headers: { cookie: `${PLAIN}=${token}` } });
      assert.equal(((await rest.json()) as { user: { email: string } }).user.email, USER.email);
      assert.deepEqual(await readAll(readers, `${PLAIN}=${token}`), everyReader(readers, USER.email));
      assert.deepEqual(await readAll(readers, `${SECURE}=${token}`), everyReader(readers, null));
    });
  });

  test('an http deployment reads next-auth.session-token (control)', async () => {
    const config = credentialsConfig({ logger: quiet });
    const readers = await startReaders(createAuth(config), config);
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(`${readers.api.origin}/api/auth`, { username: 'ann', password: 'pw' });
      const token = browser.jar.get(PLAIN)!;
      assert.deepEqual(await readAll(readers, `${PLAIN}=${token}`), everyReader(readers, USER.email));
    } finally {
      await readers.close();
    }
  });
});
