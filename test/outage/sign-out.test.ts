// Issue 22 item 4: a sign-out during an outage says so (503, cookie still cleared), is retried until the store takes it, and a cookie captured before it opens nothing afterwards, on PostgreSQL, MariaDB and Redis behind a relay.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Credentials from '../../src/providers/credentials.js';
import type { SessionStore } from '../../src/adapters/types.js';
import type { AuthConfig } from '../../src/types.js';
import { configOf } from '../../src/instance.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { eventually, STORE_TIMEOUT, STORES, type OutageStore } from './stores.js';

const quiet = { warn: () => {}, error: () => {}, debug: () => {} };
const TEST_TIMEOUT = { timeout: 60_000 };
const COOKIE = 'next-auth.session-token';

type Fault = 'refuse' | 'stall' | 'cut';

async function userOf(server: TestServer, cookie: string): Promise<{ status: number; email: string | undefined }> {
  const browser = new Browser();
  browser.jar.set(COOKIE, cookie);
  const response = await browser.fetch(`${server.base}/session`);
  const body = (await response.json()) as { user?: { email?: string } };
  return { status: response.status, email: body.user?.email };
}

/**
 * A retry whose earlier attempt landed late (the driver replayed it after reconnecting) is still
 * scheduled; closing the store under it would make it open a fresh connection. So the queue is
 * drained first: every pending sign-out has reached the store.
 */
async function drained(server: TestServer): Promise<void> {
  await eventually('the sign-out retries to finish', async () => configOf(server.auth).pendingSignOuts.size === 0);
}

/** Puts the store out, signs out, and gives back the answer; for `cut`, the connection drops while the sign-out is in flight. */
async function signOutDuring(store: OutageStore, server: TestServer, browser: Browser, fault: Fault): Promise<Response> {
  const csrfToken = await browser.csrfToken(server.base);
  const post = () => browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken, json: 'true' } });
  if (fault === 'refuse') {
    await store.relay.refuse();
    return post();
  }
  const swallowed = store.relay.swallowed;
  store.relay.stall();
  const pending = post();
  if (fault === 'cut') {
    await eventually('the sign-out to reach the relay', async () => store.relay.swallowed > swallowed);
    store.relay.cut();
    await store.relay.heal();
  }
  return pending;
}

function clearsCookie(response: Response): boolean {
  return response.headers.getSetCookie().some((line) => line.startsWith(`${COOKIE}=;`) && /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line));
}

/** What the answer may be: a 503 naming the failure, or, where the driver replayed the write after a cut, the sign-out's own redirect. */
async function checkAnswer(response: Response, fault: Fault): Promise<void> {
  assert.ok(clearsCookie(response), 'the cookie is cleared either way');
  const { url } = (await response.json()) as { url: string };
  if (fault === 'cut' && response.status === 200) {
    assert.equal(new URL(url).searchParams.get('error'), null);
    return;
  }
  assert.equal(response.status, 503, 'a sign-out the store did not take is not reported as done');
  assert.equal(new URL(url).searchParams.get('error'), 'ServiceUnavailable');
}

for (const kind of STORES) {
  const reason = await kind.skip();
  describe(`sign-out during an outage on ${kind.name}`, { ...(reason === undefined ? {} : { skip: reason }) }, () => {
    for (const fault of ['refuse', 'stall', 'cut'] as const) {
      test(`database sessions, ${fault}: the row is deleted once the store is back; a cookie from before opens nothing here, meanwhile, or on a fresh instance`, TEST_TIMEOUT, async () => {
        const store = await kind.open();
        const config = (adapter: OutageStore['adapter']): Omit<AuthConfig, 'url'> => ({ secret: SECRET, logger: quiet, adapter, storeTimeout: STORE_TIMEOUT, providers: [] });
        const server = await startServer(config(store.adapter));
        const fresh = await startServer(config(store.direct));
        try {
          const user = await store.direct.createUser!({ email: `${fault}@example.com`, emailVerified: null } as never);
          const captured = `tok-${crypto.randomUUID()}`;
          await store.direct.createSession!({ sessionToken: captured, userId: user.id, expires: new Date(Date.now() + 3600_000) });
          await eventually('the session before the outage', async () => (await userOf(server, captured)).email === `${fault}@example.com`);

          const browser = new Browser();
          browser.jar.set(COOKIE, captured);
          await checkAnswer(await signOutDuring(store, server, browser, fault), fault);
          // This instance knows at once, even with the store still out.
          assert.deepEqual(await userOf(server, captured), { status: 200, email: undefined }, 'the instance that signed out answers "no session", not the outage');

          await store.relay.heal();
          await eventually('the retried delete to land', async () => (await store.direct.getSessionAndUser!(captured)) === null);
          assert.equal((await userOf(fresh, captured)).email, undefined, 'a fresh instance found the session after recovery');
          assert.equal((await userOf(server, captured)).email, undefined);
          await drained(server);
        } finally {
          await server.close();
          await fresh.close();
          await store.close();
        }
      });
    }

    for (const fault of ['refuse', 'stall'] as const) {
      test(`JWT sessions with the shared index, ${fault}: the revocation reaches the store once it is back, and every instance refuses the cookie`, TEST_TIMEOUT, async () => {
        const store = await kind.open();
        const index = (adapter: OutageStore['adapter']) => (adapter as unknown as { sessionStore(): SessionStore }).sessionStore();
        const config = (sessions: SessionStore): Omit<AuthConfig, 'url'> => ({
          secret: SECRET,
          logger: quiet,
          storeTimeout: STORE_TIMEOUT,
          session: { strategy: 'jwt' },
          // Polled on every read, so "the other instance refuses it" needs no waiting for the lag.
          sessions: { store: sessions, revocationLag: 0 },
          providers: [Credentials({ credentials: { username: {} }, authorize: (input) => ({ id: `u-${input.username}`, email: `${input.username}@example.com` }) })],
        });
        const server = await startServer(config(index(store.adapter)));
        const other = await startServer(config(index(store.direct)));
        try {
          const browser = new Browser();
          await eventually('a sign-in before the outage', async () => (await browser.signInWithCredentials(server.base, { username: fault })).status === 200);
          const captured = browser.jar.get(COOKIE)!;
          assert.equal((await userOf(other, captured)).email, `${fault}@example.com`);

          await checkAnswer(await signOutDuring(store, server, browser, fault), fault);
          assert.deepEqual(await userOf(server, captured), { status: 200, email: undefined }, 'the instance that signed out refuses the cookie at once');

          await store.relay.heal();
          await eventually('the other instance to refuse the captured cookie', async () => (await userOf(other, captured)).email === undefined);
          await drained(server);
        } finally {
          await server.close();
          await other.close();
          await store.close();
        }
      });
    }
  });
}
