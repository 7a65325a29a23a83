// The shared route suite through gatehouse-auth/fastify on real Fastify 5, plus the app's own body parsing left intact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAuth, type Auth } from '../../src/index.js';
import { authPlugin, getSession } from '../../src/integrations/fastify.js';
import { credentialsConfig } from '../helpers/config.js';
import { integrationSuite, type RunningApp } from './suite.js';

function build(auth: Auth): FastifyInstance {
  const app = Fastify();
  void app.register(authPlugin(auth));
  app.get('/me', async (request) => ({ session: await getSession(auth, request) }));
  app.get('/hello', async (_request, reply) => reply.type('text/plain').send('hello'));
  app.post('/echo', async (request) => ({ parsed: request.body }));
  return app;
}

async function start(auth: Auth): Promise<RunningApp> {
  const app = build(auth);
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { origin, close: () => app.close() };
}

integrationSuite({ name: 'gatehouse-auth/fastify (Fastify 5)', start });

test("gatehouse-auth/fastify: the plugin's raw-body parser stays inside the plugin; the app's JSON routes still parse", async () => {
  const app = await start(createAuth(credentialsConfig()));
  try {
    const response = await fetch(`${app.origin}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.deepEqual(await response.json(), { parsed: { a: 1 } });
  } finally {
    await app.close();
  }
});
