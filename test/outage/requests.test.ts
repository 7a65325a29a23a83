// Issue 22 items 2 and 3: with PostgreSQL, MariaDB and Redis behind a relay that is cut, refused or stalled, requests end (503, never a 500 or a hang), nothing counts against the user, and the service heals without a restart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Credentials from '../../src/providers/credentials.js';
import type { AuthConfig } from '../../src/types.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { eventually, STORE_TIMEOUT, STORES, type OutageStore } from './stores.js';

const quiet = { warn: () => {}, error: () => {}, debug: () => {} };
/** Generous: a test here waits for driver timeouts and reconnects, never for a wall-clock bound. */
const TEST_TIMEOUT = { timeout: 60_000 };

async function seedSession(store: OutageStore, email: string): Promise<Browser> {
  const user = await store.direct.createUser!({ email, emailVerified: null, name: email } as never);
  const sessionToken = `tok-${crypto.randomUUID()}`;
  await store.direct.createSession!({ sessionToken, userId: user.id, expires: new Date(Date.now() + 3600_000) });
  const browser = new Browser();
  browser.jar.set('next-auth.session-token', sessionToken);
  return browser;
}

async function sessionOf(server: TestServer, browser: Browser): Promise<{ status: number; email: string | undefined; retryAfter: string | null }> {
  const response = await browser.fetch(`${server.base}/session`);
  const body = (await response.json()) as { user?: { email?: string } };
  return { status: response.status, email: body.user?.email, retryAfter: response.headers.get('retry-after') };
}

/**
 * The first request opens the pool, which on a loaded machine can take longer than the tests'
 * small deadline: retried until served, so the fault is applied to a working service.
 */
async function warm(server: TestServer, browser: Browser): Promise<void> {
  await eventually('the first GET session', async () => (await sessionOf(server, browser)).status === 200);
}

function databaseConfig(store: OutageStore): Omit<AuthConfig, 'url'> {
  return { secret: SECRET, logger: quiet, adapter: store.adapter, storeTimeout: STORE_TIMEOUT, providers: [] };
}

for (const kind of STORES) {
  const reason = await kind.skip();
  describe(`store outages on ${kind.name}`, { ...(reason === undefined ? {} : { skip: reason }) }, () => {
    async function withServer(config: (store: OutageStore) => Omit<AuthConfig, 'url'>, run: (store: OutageStore, server: TestServer) => Promise<void>) {
      const store = await kind.open();
      const server = await startServer(config(store));
      try {
        await run(store, server);
      } finally {
        await server.close();
        await store.close();
      }
    }

    test('refused: GET session answers 503 with Retry-After, then the same session once the server is back', TEST_TIMEOUT, () =>
      withServer(databaseConfig, async (store, server) => {
        const browser = await seedSession(store, 'refused@example.com');
        await warm(server, browser);
        assert.deepEqual(await sessionOf(server, browser), { status: 200, email: 'refused@example.com', retryAfter: null });
        await store.relay.refuse();
        const during = await sessionOf(server, browser);
        assert.equal(during.status, 503);
        assert.ok(Number(during.retryAfter) > 0, 'Retry-After is a number of seconds');
        assert.ok(browser.jar.has('next-auth.session-token'), 'an outage does not sign anyone out');
        await store.relay.heal();
        await eventually('GET session after the server came back', async () => (await sessionOf(server, browser)).status === 200);
        assert.equal((await sessionOf(server, browser)).email, 'refused@example.com');
      }),
    );

    test('stalled: GET session ends with 503 within the deadline; after the stall the old silent connections are given up and new ones serve', TEST_TIMEOUT, () =>
      withServer(databaseConfig, async (store, server) => {
        const browser = await seedSession(store, 'stalled@example.com');
        await warm(server, browser);
        store.relay.stall();
        for (let i = 0; i < 3; i++) {
          const during = await sessionOf(server, browser);
          assert.equal(during.status, 503, `request ${i + 1} during the stall`);
        }
        const before = store.relay.accepted;
        await store.relay.heal();
        await eventually('GET session after the stall', async () => (await sessionOf(server, browser)).status === 200);
        assert.equal((await sessionOf(server, browser)).email, 'stalled@example.com');
        assert.ok(store.relay.accepted > before, 'the driver opened a new connection instead of waiting on the stalled one');
      }),
    );

    test('cut mid-request: the request in flight ends (503, or the right session where the driver replays a read), the next one is served on a new connection', TEST_TIMEOUT, () =>
      withServer(databaseConfig, async (store, server) => {
        const browser = await seedSession(store, 'cut@example.com');
        await warm(server, browser);
        const swallowed = store.relay.swallowed;
        store.relay.stall();
        const pending = sessionOf(server, browser);
        await eventually('the request to reach the relay', async () => store.relay.swallowed > swallowed);
        store.relay.cut();
        await store.relay.heal();
        const inFlight = await pending;
        // ioredis resends an unanswered command after reconnecting; a replayed read is harmless. The SQL drivers fail it.
        if (inFlight.status === 200) assert.equal(inFlight.email, 'cut@example.com');
        else assert.equal(inFlight.status, 503);
        await eventually('GET session after the cut', async () => (await sessionOf(server, browser)).status === 200);
        assert.equal((await sessionOf(server, browser)).email, 'cut@example.com');
      }),
    );

    test('a rate-limit store that is down answers 503, not 500, and is not bypassed', TEST_TIMEOUT, async () => {
      const store = await kind.open();
      let authorized = 0;
      const server = await startServer({
        secret: SECRET,
        logger: quiet,
        storeTimeout: STORE_TIMEOUT,
        rateLimit: { store: (store.adapter as unknown as { rateLimitStore(): never }).rateLimitStore() },
        providers: [Credentials({ credentials: { username: {}, password: { type: 'password' } }, authorize: (input) => (authorized++, input.password === 'pw' ? { id: 'u1' } : null) })],
      });
      try {
        for (const fault of ['refuse', 'stall'] as const) {
          if (fault === 'refuse') await store.relay.refuse();
          else store.relay.stall();
          const response = await new Browser().signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
          assert.equal(response.status, 503, `${fault}: a sign-in while the limiter's store is out`);
          const { url } = (await response.json()) as { url: string };
          assert.equal(new URL(url).searchParams.get('error'), 'ServiceUnavailable');
          await store.relay.heal();
        }
        assert.equal(authorized, 0, 'authorize() never ran unlimited');
        await eventually('a sign-in once the store is back', async () => (await new Browser().signInWithCredentials(server.base, { username: 'ann', password: 'pw' })).status === 200);
      } finally {
        await server.close();
        await store.close();
      }
    });

    test('sign-ins that fail because the store is down never count as wrong passwords: after recovery the user signs in, not 429', TEST_TIMEOUT, async () => {
      const store = await kind.open();
      await store.direct.createUser!({ email: 'ann@example.com', emailVerified: null } as never);
      const server = await startServer({
        secret: SECRET,
        logger: quiet,
        storeTimeout: STORE_TIMEOUT,
        // In memory, so only the user lookup inside authorize() meets the outage.
        rateLimit: { credentials: { perIdentifier: { limit: 2, window: 900 }, perIp: { limit: 2, window: 900 } } },
        providers: [
          Credentials({
            credentials: { email: {}, password: { type: 'password' } },
            // The app's own lookup, straight on the adapter (no deadline of gatehouse's): its driver error is what reaches gatehouse.
            async authorize(input) {
              const found = await store.adapter.getUserByEmail!(String(input.email));
              return found && input.password === 'pw' ? { id: found.id, email: found.email } : null;
            },
          }),
        ],
      });
      try {
        await store.relay.refuse();
        for (let i = 0; i < 4; i++) {
          const response = await new Browser().signInWithCredentials(server.base, { email: 'ann@example.com', password: 'pw' });
          assert.equal(response.status, 503, `attempt ${i + 1} during the outage`);
        }
        await store.relay.heal();
        let last = 0;
        await eventually('the right password after recovery', async () => {
          last = (await new Browser().signInWithCredentials(server.base, { email: 'ann@example.com', password: 'pw' })).status;
          assert.notEqual(last, 429, 'the outage counted against the user');
          return last === 200;
        });
      } finally {
        await server.close();
        await store.close();
      }
    });
  });
}
