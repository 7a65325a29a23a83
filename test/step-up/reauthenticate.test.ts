// POST `reauthenticate` over HTTP (JWT and database sessions, memory and SQLite): re-proving a password or a TOTP code refreshes auth_time in the same session, and requireRecentAuth then passes; wrong, replayed or someone else's factors are refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { later } from '../helpers/clock.js';
import { Browser, type TestServer } from '../helpers/server.js';
import { addUser, ADAPTERS, answerUrl, codeOf, enrolTotp, postJson, recentAuth, secondStep, tempAdapter, twoFactorServer, type TempAdapter } from '../helpers/two-factor.js';

const TEN_MINUTES = 600_000;

for (const [adapterName, makeAdapter] of Object.entries(ADAPTERS)) {
  for (const strategy of ['jwt', 'database'] as const) {
    describe(`reauthenticate (${strategy} sessions, ${adapterName})`, () => {
      let db: TempAdapter<GatehouseAdapter>;
      let adapter: GatehouseAdapter;
      let server: TestServer;
      let base: string;
      const users = new Map<string, AdapterUser>();

      before(async () => {
        db = await tempAdapter('gatehouse-reauth-', makeAdapter);
        adapter = db.adapter;
        server = await twoFactorServer({ adapter, strategy, users, passwordOf: (email) => `pw-${email}` });
        base = server.base;
      });
      after(async () => {
        await server.close();
        await db.dispose();
      });

      const newUser = (name: string) => addUser(adapter, users, `${name}-${strategy}@example.com`, name);
      const signIn = async (browser: Browser, user: AdapterUser) => answerUrl(await browser.signInWithCredentials(base, { email: user.email, password: `pw-${user.email}` }));
      const post = (browser: Browser, path: string, fields: Record<string, string> = {}) => postJson(browser, base, path, fields);
      const recent = (browser: Browser, options: Parameters<typeof recentAuth>[2]) => recentAuth(server, browser, options);
      const errorOf = async (response: Response) => ((await response.json()) as { error?: string }).error;
      const sessionIds = async (browser: Browser) => (await server.auth.listSessions(new Request(`${base}/session`, { headers: { cookie: browser.cookieHeader() } }))).map((s) => s.id);

      async function enrol(user: AdapterUser): Promise<string> {
        const browser = new Browser();
        await signIn(browser, user);
        return (await enrolTotp(browser, base)).secret;
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
        assert.equal((await secondStep(browser, base, { code: codeOf(secret, 1) })).searchParams.get('error'), null);
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
