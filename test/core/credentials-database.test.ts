// Issue 13 item 7: with database sessions, an authorize() that returns a user the adapter does not hold fails the sign-in (CredentialsSignin) and says why in the log, on memory and SQLite.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import Credentials from '../../src/providers/credentials.js';
import type { Adapter } from '../../src/types.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-i13-creds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ADAPTERS: Array<[name: string, make: () => Promise<Adapter & { createUser: NonNullable<Adapter['createUser']> }>]> = [
  ['memory', async () => memoryAdapter()],
  [
    'SQLite',
    async () => {
      const adapter = sqliteAdapter(join(dir, 'auth.sqlite'));
      await adapter.migrate();
      return adapter;
    },
  ],
];

const MESSAGE = 'authorize() returned a user that is not in the adapter';

for (const [name, make] of ADAPTERS) {
  describe(`issue 13 item 7: credentials sign-in with database sessions (${name})`, () => {
    async function serve(authorizeId: () => string) {
      const adapter = await make();
      const logged: Array<{ level: string; code: string; metadata: unknown }> = [];
      const log = (level: string) => (code: string, metadata?: unknown) => void logged.push({ level, code, metadata });
      const server = await startServer({
        secret: SECRET,
        adapter,
        session: { strategy: 'database' },
        logger: { error: log('error'), warn: log('warn'), debug: log('debug') },
        providers: [
          Credentials({
            credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } },
            authorize: ({ password }) => (password === 'pw' ? { id: authorizeId(), name: 'Ann', email: 'ann@example.com' } : null),
          }),
        ],
      });
      return { adapter, server, logged };
    }

    test('a user id the adapter does not hold: 401 CredentialsSignin, no session cookie, the reason logged', async () => {
      const { server, logged } = await serve(() => 'no-such-user');
      try {
        const browser = new Browser();
        const response = await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
        assert.equal(response.status, 401);
        assert.deepEqual(await response.json(), { url: `${server.base}/error?error=CredentialsSignin&provider=credentials` });
        assert.ok(![...browser.jar.keys()].some((cookie) => cookie.includes('session-token')), 'no session cookie');
        assert.deepEqual(await (await browser.fetch(`${server.base}/session`)).json(), {});
        const why = logged.find((entry) => JSON.stringify(entry.metadata ?? '').includes(MESSAGE) || String((entry.metadata as { error?: Error } | undefined)?.error?.message).includes(MESSAGE));
        assert.ok(why, `logged: ${JSON.stringify(logged.map((entry) => entry.code))}`);
      } finally {
        await server.close();
      }
    });

    test('the same form post without json=true: 302 to the CredentialsSignin error, not a 500', async () => {
      const { server } = await serve(() => 'no-such-user');
      try {
        const browser = new Browser();
        const csrfToken = await browser.csrfToken(server.base);
        const response = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', form: { csrfToken, username: 'ann', password: 'pw' } });
        assert.equal(response.status, 302);
        assert.equal(response.headers.get('location'), `${server.base}/error?error=CredentialsSignin&provider=credentials`);
      } finally {
        await server.close();
      }
    });

    test('a user the adapter holds signs in and GET session has them (control)', async () => {
      let id = '';
      const { adapter, server } = await serve(() => id);
      try {
        id = (await adapter.createUser({ email: `ann-${Date.now()}@example.com`, name: 'Ann', emailVerified: null })).id;
        const browser = new Browser();
        const response = await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
        assert.equal(response.status, 200);
        const session = (await (await browser.fetch(`${server.base}/session`)).json()) as { user?: { name: string } };
        assert.equal(session.user?.name, 'Ann');
      } finally {
        await server.close();
      }
    });
  });
}
