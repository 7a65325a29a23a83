// Database sessions end to end on SQLite: credentials sign-in, hashed tokens, updateAge, expiry, sign-out, listing and revoking.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import Credentials from '../../src/providers/credentials.js';
import type { Adapter, AdapterUser } from '../../src/types.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

describe('database sessions (SQLite)', () => {
  let dir: string;
  let file: string;
  let adapter: ReturnType<typeof sqliteAdapter>;
  let ann: AdapterUser;
  let bob: AdapterUser;
  const calls = { updateSession: 0, getSessionAndUser: 0 };

  function counting(base: Adapter): Adapter {
    return {
      ...base,
      getSessionAndUser: (token) => (calls.getSessionAndUser++, base.getSessionAndUser!(token)),
      updateSession: (session) => (calls.updateSession++, base.updateSession!(session)),
    };
  }

  async function serve(extra: { updateAge?: number; maxAge?: number } = {}): Promise<TestServer> {
    return startServer({
      secret: SECRET,
      adapter: counting(adapter),
      session: { strategy: 'database', ...extra },
      providers: [
        Credentials({
          credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
          authorize: async ({ email, password }) => (password === 'pw' && email ? await adapter.getUserByEmail(email) : null),
        }),
      ],
    });
  }

  const raw = () => new Database(file, { readonly: true });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-db-'));
    file = join(dir, 'auth.sqlite');
    adapter = sqliteAdapter(file);
    await adapter.migrate();
    ann = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: null });
    bob = await adapter.createUser({ email: 'bob@example.com', name: 'Bob', emailVerified: null });
  });
  after(async () => {
    await adapter.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('credentials sign-in creates a row holding only the token’s hash; GET session reads without writing', async () => {
    const server = await serve();
    try {
      const browser = new Browser();
      const response = await browser.signInWithCredentials(server.base, { email: 'ann@example.com', password: 'pw' });
      assert.equal(response.status, 200);
      const token = browser.jar.get('next-auth.session-token')!;
      assert.match(token, /^[0-9a-f]{64}$/, 'a 256-bit random token, not a JWE');
      const db = raw();
      const rows = db.prepare('SELECT "sessionToken", "userId" FROM sessions WHERE "userId" = ?').all(ann.id) as Array<{ sessionToken: string }>;
      db.close();
      assert.equal(rows.length, 1);
      assert.ok(!rows[0]!.sessionToken.includes(token), 'the raw token is not stored');

      calls.updateSession = 0;
      calls.getSessionAndUser = 0;
      for (let i = 0; i < 5; i++) {
        const session = await browser.fetch(`${server.base}/session`);
        assert.equal(((await session.json()) as { user: { email: string } }).user.email, 'ann@example.com');
        assert.deepEqual(session.headers.getSetCookie(), [], 'no cookie re-sent while the row is fresh');
      }
      assert.equal(calls.getSessionAndUser, 5, 'one read per request');
      assert.equal(calls.updateSession, 0, 'no write while younger than updateAge');
    } finally {
      await server.close();
    }
  });

  test('updateAge 0 extends the row (and re-sends the cookie) on each read', async () => {
    const server = await serve({ updateAge: 0 });
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(server.base, { email: 'ann@example.com', password: 'pw' });
      calls.updateSession = 0;
      const session = await browser.fetch(`${server.base}/session`);
      assert.equal(calls.updateSession, 1);
      assert.ok(session.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=') && c.includes('Expires=')));
    } finally {
      await server.close();
    }
  });

  test('an expired row is no session and is removed', async () => {
    const server = await serve();
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(server.base, { email: 'bob@example.com', password: 'pw' });
      await adapter.updateSession({ sessionToken: browser.jar.get('next-auth.session-token')!, expires: new Date(Date.now() - 1000) });
      const response = await browser.fetch(`${server.base}/session`);
      assert.deepEqual(await response.json(), {});
      assert.ok(response.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=;')));
      const db = raw();
      assert.equal((db.prepare('SELECT count(*) AS n FROM sessions WHERE "userId" = ?').get(bob.id) as { n: number }).n, 0);
      db.close();
    } finally {
      await server.close();
    }
  });

  test('sign-out deletes the row', async () => {
    const server = await serve();
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(server.base, { email: 'bob@example.com', password: 'pw' });
      const csrfToken = await browser.csrfToken(server.base);
      await browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken } });
      const db = raw();
      assert.equal((db.prepare('SELECT count(*) AS n FROM sessions WHERE "userId" = ?').get(bob.id) as { n: number }).n, 0);
      db.close();
    } finally {
      await server.close();
    }
  });

  test('list and revoke own sessions; ids are not usable tokens; other users’ sessions are out of reach', async () => {
    const server = await serve();
    try {
      const laptop = new Browser();
      const phone = new Browser();
      const other = new Browser();
      await laptop.signInWithCredentials(server.base, { email: 'ann@example.com', password: 'pw' });
      await phone.signInWithCredentials(server.base, { email: 'ann@example.com', password: 'pw' });
      await other.signInWithCredentials(server.base, { email: 'bob@example.com', password: 'pw' });
      const headers = (browser: Browser) => new Headers({ cookie: browser.cookieHeader() });

      const listed = await server.auth.listSessions(headers(laptop));
      assert.ok(listed.length >= 2);
      assert.equal(listed.filter((s) => s.current).length, 1);
      const phoneToken = phone.jar.get('next-auth.session-token')!;
      assert.ok(
        listed.every((s) => !s.id.includes(phoneToken)),
        'ids are not tokens',
      );
      const bobs = await server.auth.listSessions(headers(other));
      assert.equal(await server.auth.revokeSession(headers(laptop), bobs[0]!.id), false, 'cannot revoke another user’s session');

      const phoneId = (await server.auth.listSessions(headers(phone))).find((s) => s.current)!.id;
      assert.equal(await server.auth.revokeSession(headers(laptop), phoneId), true);
      assert.deepEqual(await (await phone.fetch(`${server.base}/session`)).json(), {});

      const tablet = new Browser();
      await tablet.signInWithCredentials(server.base, { email: 'ann@example.com', password: 'pw' });
      assert.ok((await server.auth.revokeOtherSessions(headers(laptop))) >= 1);
      assert.deepEqual(await (await tablet.fetch(`${server.base}/session`)).json(), {});
      assert.equal(((await (await laptop.fetch(`${server.base}/session`)).json()) as { user: { email: string } }).user.email, 'ann@example.com');
      assert.ok(((await (await other.fetch(`${server.base}/session`)).json()) as { user?: unknown }).user, 'Bob is untouched');
      assert.deepEqual(await server.auth.listSessions(new Headers()), []);
    } finally {
      await server.close();
    }
  });

  test('deleteUser removes the user’s sessions', async () => {
    const server = await serve();
    try {
      const carol = await adapter.createUser({ email: 'carol@example.com', emailVerified: null });
      const browser = new Browser();
      await browser.signInWithCredentials(server.base, { email: 'carol@example.com', password: 'pw' });
      await adapter.deleteUser(carol.id);
      assert.deepEqual(await (await browser.fetch(`${server.base}/session`)).json(), {});
    } finally {
      await server.close();
    }
  });
});
