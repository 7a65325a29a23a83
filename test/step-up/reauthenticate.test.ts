// POST `reauthenticate` over HTTP (JWT and database sessions, memory and SQLite): re-proving a password or a TOTP code refreshes auth_time in the same session, and requireRecentAuth then passes; wrong, replayed or someone else's factors are refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import memoryAdapter from '../../src/adapters/memory.js';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { totpStep } from '../../src/core/totp.js';
import Credentials from '../../src/providers/credentials.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

const codeOf = (secret: string, offset = 0) => generateHOTP(decodeBase32IgnorePadding(secret), BigInt(totpStep(Date.now()) + offset), 6);
const TEN_MINUTES = 600_000;

const adapters: Record<string, (dir: string) => GatehouseAdapter> = {
  memory: () => memoryAdapter(),
  SQLite: (dir) => sqliteAdapter(join(dir, 'auth.sqlite')),
};

for (const [adapterName, makeAdapter] of Object.entries(adapters)) {
  for (const strategy of ['jwt', 'database'] as const) {
    describe(`reauthenticate (${strategy} sessions, ${adapterName})`, () => {
      let dir: string;
      let adapter: GatehouseAdapter;
      let server: TestServer;
      let base: string;
      const users = new Map<string, AdapterUser>();

      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'gatehouse-reauth-'));
        adapter = makeAdapter(dir);
        await adapter.migrate?.();
        server = await startServer({
          secret: SECRET,
          adapter,
          session: { strategy },
          rateLimit: false,
          twoFactor: { issuer: 'Acme' },
          providers: [
            Credentials({
              credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
              authorize: async ({ email, password }) => (password === `pw-${String(email)}` ? (users.get(String(email)) ?? null) : null),
            }),
          ],
        });
        base = server.base;
      });
      after(async () => {
        await server.close();
        await (adapter as { close?: () => Promise<void> }).close?.();
        rmSync(dir, { recursive: true, force: true });
      });

      async function newUser(name: string): Promise<AdapterUser> {
        const user = await adapter.createUser({ email: `${name}-${strategy}@example.com`, name, emailVerified: null });
        users.set(user.email, user);
        return user;
      }
      const signIn = async (browser: Browser, user: AdapterUser) => {
        const response = await browser.signInWithCredentials(base, { email: user.email, password: `pw-${user.email}` });
        return new URL(((await response.json()) as { url: string }).url);
      };
      const post = async (browser: Browser, path: string, fields: Record<string, string> = {}) => browser.fetch(`${base}/${path}`, { method: 'POST', json: { ...fields, csrfToken: await browser.csrfToken(base) } });
      const recent = (browser: Browser, options: Parameters<TestServer['auth']['requireRecentAuth']>[1]) =>
        server.auth.requireRecentAuth(new Request(`${base}/session`, { headers: { cookie: browser.cookieHeader() } }), options);
      const errorOf = async (response: Response) => ((await response.json()) as { error?: string }).error;
      const sessionIds = async (browser: Browser) => (await server.auth.listSessions(new Request(`${base}/session`, { headers: { cookie: browser.cookieHeader() } }))).map((s) => s.id);

      async function enrol(user: AdapterUser): Promise<string> {
        const browser = new Browser();
        await signIn(browser, user);
        const { secret } = (await (await post(browser, 'two-factor/enable')).json()) as { secret: string };
        assert.equal((await post(browser, 'two-factor/verify', { code: codeOf(secret) })).status, 200);
        return secret;
      }

      test('ten minutes on, the password again makes the same session recent; a wrong one does not', async () => {
        const user = await newUser('ann');
        const browser = new Browser();
        await signIn(browser, user);
        const ids = await sessionIds(browser);
        await later(TEN_MINUTES, async () => {
          const stale = await recent(browser, { maxAge: 300 });
          assert.equal(stale.ok === false && stale.error, 'RecentSignInRequired');

          const wrong = await post(browser, 'reauthenticate', { password: 'nope' });
          assert.equal(wrong.status, 400);
          assert.equal(await errorOf(wrong), 'CredentialsSignin');
          assert.equal((await recent(browser, { maxAge: 300 })).ok, false, 'a wrong password changes nothing');

          const done = await post(browser, 'reauthenticate', { password: `pw-${user.email}` });
          assert.equal(done.status, 200);
          const body = (await done.json()) as { authTime: number; amr: string[] };
          assert.equal(body.authTime, Math.floor(Date.now() / 1000));
          assert.deepEqual(body.amr, ['pwd']);
          const fresh = await recent(browser, { maxAge: 300 });
          assert.equal(fresh.ok, true);
          assert.equal(fresh.ok && fresh.signedInAt.valueOf(), body.authTime * 1000);
          const second = await recent(browser, { maxAge: 300, factors: 2 });
          assert.equal(second.ok === false && second.error, 'StepUpRequired', 'one factor re-proved is one factor');
          assert.deepEqual(await sessionIds(browser), ids, 'the same session: no sign-out, no new session');
        });
      });

      test("someone else's password is refused, even a correct one", async () => {
        const ann = await newUser('ann2');
        const bob = await newUser('bob2');
        const browser = new Browser();
        await signIn(browser, ann);
        await later(TEN_MINUTES, async () => {
          const other = await post(browser, 'reauthenticate', { email: bob.email, password: `pw-${bob.email}` });
          assert.equal(other.status, 400);
          assert.equal(await errorOf(other), 'CredentialsSignin');
          assert.equal((await recent(browser, { maxAge: 300 })).ok, false);
        });
      });

      test('password and TOTP code together are two factors; a replayed code is refused; the two-factor routes see the fresh sign-in', async () => {
        const user = await newUser('cat');
        const secret = await enrol(user);
        const browser = new Browser();
        await signIn(browser, user);
        const done = await browser.fetch(`${base}/callback/two-factor`, { method: 'POST', form: { code: codeOf(secret, 1), csrfToken: await browser.csrfToken(base), json: 'true' } });
        assert.equal(new URL(((await done.json()) as { url: string }).url).searchParams.get('error'), null);
        await later(3600_000, async () => {
          assert.equal((await post(browser, 'two-factor/backup-codes', { code: codeOf(secret) })).status, 403, 'an hour on, changing the factor needs a fresh sign-in');
          const code = codeOf(secret);
          const both = await post(browser, 'reauthenticate', { password: `pw-${user.email}`, code });
          assert.equal(both.status, 200);
          assert.deepEqual(((await both.json()) as { amr: string[] }).amr, ['pwd', 'otp', 'mfa']);
          assert.equal((await recent(browser, { maxAge: 60, factors: 2 })).ok, true);
          const replay = await post(browser, 'reauthenticate', { code });
          assert.equal(replay.status, 400);
          assert.equal(await errorOf(replay), 'InvalidTwoFactorCode');
          assert.equal((await post(browser, 'two-factor/backup-codes', { code: codeOf(secret, 1) })).status, 200, 'recent again');
        });
      });

      test('refused: no CSRF token (403), signed out (401), no factor (400), a code without an enrolment (400)', async () => {
        const user = await newUser('dan');
        const browser = new Browser();
        await signIn(browser, user);
        const noCsrf = await browser.fetch(`${base}/reauthenticate`, { method: 'POST', json: { password: `pw-${user.email}` } });
        assert.equal(noCsrf.status, 403);
        assert.equal((await post(new Browser(), 'reauthenticate', { password: 'x' })).status, 401);
        const none = await post(browser, 'reauthenticate');
        assert.equal(none.status, 400);
        assert.equal(await errorOf(none), 'FactorRequired');
        const code = await post(browser, 'reauthenticate', { code: '123456' });
        assert.equal(code.status, 400);
        assert.equal(await errorOf(code), 'InvalidTwoFactorCode');
      });
    });
  }
}
