// Two gatehouse instances on one PostgreSQL share sign-ins and sign-outs; a database outage fails closed and heals without a restart.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import postgresAdapter from '../../src/adapters/postgres.js';
import Credentials from '../../src/providers/credentials.js';
import { createPgFixture, type PgFixture } from '../adapters/pg-fixture.js';
import { POSTGRES, serviceSkipReason } from '../adapters/services.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';

/** A loopback TCP relay to PostgreSQL that the test can cut and restore, standing in for an outage. */
async function relay(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = new net.Socket();
        upstream.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => s.destroy());
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    async down() {
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const s of sockets) s.destroy();
    },
    up: listen,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server!.listening ? server!.close(() => resolve()) : resolve()));
    },
  };
}

describe('database sessions on PostgreSQL', async () => {
  const skip = await serviceSkipReason('PostgreSQL', async () => {
    const client = new pg.Client(POSTGRES);
    await client.connect();
    await client.end();
  });
  let fixture: PgFixture;
  before(async () => {
    if (!skip) fixture = await createPgFixture();
  });
  after(async () => {
    if (!skip) await fixture.drop();
  });

  const config = (adapter: ReturnType<typeof postgresAdapter>) => ({
    secret: SECRET,
    adapter,
    session: { strategy: 'database' as const },
    logger: { error: () => {} },
    providers: [Credentials({ authorize: async ({ email }) => (email ? await adapter.getUserByEmail(email) : null) })],
  });

  test('two instances share sign-ins and sign-outs', { skip }, async () => {
    const a = postgresAdapter({ ...fixture.connection });
    const b = postgresAdapter({ ...fixture.connection });
    await a.migrate();
    await a.createUser({ email: 'shared@example.com', emailVerified: null });
    const one = await startServer(config(a));
    const two = await startServer(config(b));
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(one.base, { email: 'shared@example.com' });
      const cookie = browser.cookieHeader();
      const fromTwo = await fetch(`${two.base}/session`, { headers: { cookie } });
      assert.equal(((await fromTwo.json()) as { user: { email: string } }).user.email, 'shared@example.com');
      const csrfToken = await browser.csrfToken(two.base);
      await browser.fetch(`${two.base}/signout`, { method: 'POST', form: { csrfToken } });
      assert.deepEqual(await (await fetch(`${one.base}/session`, { headers: { cookie } })).json(), {}, 'signed out on one, gone on the other');
    } finally {
      await one.close();
      await two.close();
      await a.close();
      await b.close();
    }
  });

  test('an outage fails closed (error page, error status, nobody signed out) and heals without a restart', { skip }, async () => {
    const proxy = await relay({ host: POSTGRES.host, port: POSTGRES.port });
    const adapter = postgresAdapter({ ...fixture.connection, host: '127.0.0.1', port: proxy.port, connectionTimeoutMillis: 2000 });
    await adapter.migrate();
    await adapter.createUser({ email: 'outage@example.com', emailVerified: null }).catch(() => undefined);
    const server = await startServer(config(adapter));
    try {
      const signedIn = new Browser();
      await signedIn.signInWithCredentials(server.base, { email: 'outage@example.com' });
      const cookie = signedIn.cookieHeader();
      assert.ok(((await (await fetch(`${server.base}/session`, { headers: { cookie } })).json()) as { user?: unknown }).user);

      await proxy.down();
      const during = await fetch(`${server.base}/session`, { headers: { cookie } });
      assert.ok(during.status >= 500, `GET session answers an error status, got ${during.status}`);
      assert.ok(!during.headers.getSetCookie().some((c) => c.includes('session-token=;')), 'the cookie is not cleared');
      const attempt = await new Browser().signInWithCredentials(server.base, { email: 'outage@example.com' });
      assert.ok(attempt.status >= 400, 'sign-in fails closed');
      assert.ok(!attempt.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=')));

      await proxy.up();
      let healed: Response | undefined;
      for (let i = 0; i < 20 && healed?.status !== 200; i++) {
        healed = await fetch(`${server.base}/session`, { headers: { cookie } });
        if (healed.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(healed!.status, 200);
      assert.equal(((await healed!.json()) as { user: { email: string } }).user.email, 'outage@example.com', 'the same session works again');
    } finally {
      await server.close();
      await adapter.close();
      await proxy.close();
    }
  });
});
