// POST `reauthenticate` with a passkey over HTTP (JWT and database sessions, SQLite): the options of a signed-in user list only their passkeys and bind the challenge to the session; the assertion, verified by @simplewebauthn/server, records hwk+user+mfa now in the same session; replays, other sessions' or browsers' challenges and other users' passkeys are refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Passkey from '../../src/providers/passkey.js';
import { later } from '../helpers/clock.js';
import { Browser, type TestServer } from '../helpers/server.js';
import { addUser, ADAPTERS, emailPassword, passkeyAnswer, passkeyOptions, postJson, recentAuth, tempAdapter, twoFactorServer, type TempAdapter } from '../helpers/two-factor.js';
import { SoftAuthenticator } from '../passkeys/soft-authenticator.js';

const TEN_MINUTES = 600_000;

for (const strategy of ['jwt', 'database'] as const) {
  describe(`reauthenticate with a passkey (${strategy} sessions, SQLite)`, () => {
    let db: TempAdapter<GatehouseAdapter>;
    let adapter: GatehouseAdapter;
    let server: TestServer;
    let base: string;
    let origin: string;
    const users = new Map<string, AdapterUser>();

    before(async () => {
      db = await tempAdapter('gatehouse-reauth-passkey-', ADAPTERS.SQLite);
      adapter = db.adapter;
      server = await twoFactorServer({
        adapter,
        strategy,
        users,
        // The RP ID is the configured URL's host: localhost.
        config: { url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`, providers: [emailPassword(users), Passkey({ rpName: 'Acme' })] },
      });
      base = server.base.replace('localhost', '127.0.0.1');
      origin = new URL(server.base).origin;
    });
    after(async () => {
      await server.close();
      await db.dispose();
    });

    const signIn = async (user: AdapterUser) => {
      const browser = new Browser();
      assert.equal((await browser.signInWithCredentials(base, { email: user.email, password: 'pw' })).status, 200);
      return browser;
    };
    /** A signed-in user with a passkey on `key`; its credential id. */
    async function withPasskey(name: string, key: SoftAuthenticator): Promise<{ user: AdapterUser; browser: Browser; id: string }> {
      const user = await addUser(adapter, users, `${name}-${strategy}@example.com`, name);
      const browser = await signIn(user);
      const { body } = await passkeyOptions(browser, base, 'register');
      const registered = await passkeyAnswer(browser, base, 'register', key.register(body.options));
      assert.equal(registered.status, 200);
      return { user, browser, id: ((await registered.json()) as { passkey: { id: string } }).passkey.id };
    }
    const reauth = (browser: Browser, fields: Record<string, unknown>) => postJson(browser, base, 'reauthenticate', fields);
    const errorOf = async (response: Response) => ((await response.json()) as { error?: string }).error;
    const sessionIds = async (browser: Browser) => (await server.auth.listSessions(new Request(`${base}/session`, { headers: { cookie: browser.cookieHeader() } }))).map((s) => s.id);

    test('ten minutes on, the user’s passkey makes the same session recent as hwk+user+mfa; the options list only their passkeys', async () => {
      const key = new SoftAuthenticator(origin, 'localhost');
      const { browser, id } = await withPasskey('ann', key);
      await withPasskey('bob', key);
      const ids = await sessionIds(browser);
      await later(TEN_MINUTES, async () => {
        assert.equal((await recentAuth(server, browser, { maxAge: 300 })).ok, false);
        const { status, body } = await passkeyOptions(browser, base, 'authenticate');
        assert.equal(status, 200);
        assert.deepEqual(
          body.options.allowCredentials.map((c: { id: string }) => c.id),
          [id],
          'signed in: only this user’s passkeys',
        );
        const done = await reauth(browser, { passkey: JSON.stringify(key.authenticate(body.options, 0)) });
        assert.equal(done.status, 200, await done.clone().text());
        const result = (await done.json()) as { authTime: number; amr: string[] };
        assert.equal(result.authTime, Math.floor(Date.now() / 1000));
        assert.deepEqual(result.amr, ['hwk', 'user', 'mfa']);
        const fresh = await recentAuth(server, browser, { maxAge: 300, factors: ['hwk'] });
        assert.equal(fresh.ok && fresh.signedInAt.valueOf(), result.authTime * 1000);
        assert.equal((await recentAuth(server, browser, { maxAge: 300, factors: 2 })).ok, true);
        assert.deepEqual(await sessionIds(browser), ids, 'the same session');
      });
      assert.deepEqual((await passkeyOptions(new Browser(), base, 'authenticate')).body.options.allowCredentials, [], 'signed out: discoverable, as before');
    });

    test('refused: a replayed assertion, another user’s passkey, a challenge of another session or of a signed-out browser', async () => {
      const annKey = new SoftAuthenticator(origin, 'localhost');
      const bobKey = new SoftAuthenticator(origin, 'localhost');
      const { browser, user: ann } = await withPasskey('cat', annKey);
      const { browser: bobBrowser } = await withPasskey('dan', bobKey);
      await later(TEN_MINUTES, async () => {
        const first = (await passkeyOptions(browser, base, 'authenticate')).body.options;
        const assertion = annKey.authenticate(first);
        assert.equal((await reauth(browser, { passkey: JSON.stringify(assertion) })).status, 200);
        const replay = await reauth(browser, { passkey: JSON.stringify(assertion) });
        assert.equal(replay.status, 400);
        assert.equal(await errorOf(replay), 'PasskeySignin');

        // Bob's passkey answering Ann's session's challenge: verified by nobody, Bob's counter untouched.
        const before = (await (await bobBrowser.fetch(`${base}/passkeys`)).json()) as { passkeys: Array<{ lastUsedAt: string | null }> };
        const foreign = await reauth(browser, { passkey: JSON.stringify(bobKey.authenticate((await passkeyOptions(browser, base, 'authenticate')).body.options)) });
        assert.equal(foreign.status, 400);
        assert.equal(await errorOf(foreign), 'PasskeySignin');
        assert.deepEqual(await (await bobBrowser.fetch(`${base}/passkeys`)).json(), before, 'another user’s passkey is not used');

        // A challenge Ann's other session asked for, and one a signed-out browser asked for.
        const other = await signIn(ann);
        const othersChallenge = annKey.authenticate((await passkeyOptions(other, base, 'authenticate')).body.options);
        assert.equal(await errorOf(await reauth(browser, { passkey: JSON.stringify(othersChallenge) })), 'PasskeySignin');
        const signedOut = new Browser();
        const anonymous = annKey.authenticate((await passkeyOptions(signedOut, base, 'authenticate')).body.options);
        assert.equal(await errorOf(await reauth(browser, { passkey: JSON.stringify(anonymous) })), 'PasskeySignin');
        // Refused challenges stay with their owners: the other session re-authenticates with its own.
        assert.equal((await reauth(other, { passkey: JSON.stringify(othersChallenge) })).status, 200);
        assert.equal(await errorOf(await reauth(browser, { passkey: '{not json' })), 'PasskeySignin');
        assert.equal((await reauth(new Browser(), { passkey: JSON.stringify(anonymous) })).status, 401, 'signed out');
      });
    });

    test('password and passkey together are pwd+hwk+user+mfa; a challenge asked for while signed in still signs in at callback/passkey', async () => {
      const key = new SoftAuthenticator(origin, 'localhost');
      const { browser, user } = await withPasskey('eve', key);
      const options = (await passkeyOptions(browser, base, 'authenticate')).body.options;
      const both = await reauth(browser, { password: 'pw', passkey: JSON.stringify(key.authenticate(options)) });
      assert.equal(both.status, 200);
      assert.deepEqual(((await both.json()) as { amr: string[] }).amr, ['pwd', 'hwk', 'user', 'mfa']);
      const wrongPassword = await reauth(browser, { password: 'nope', passkey: JSON.stringify(key.authenticate((await passkeyOptions(browser, base, 'authenticate')).body.options)) });
      assert.equal(await errorOf(wrongPassword), 'CredentialsSignin', 'every factor given must pass');

      const again = await passkeyAnswer(browser, base, 'authenticate', key.authenticate((await passkeyOptions(browser, base, 'authenticate')).body.options));
      assert.equal(again.status, 200, 'the browser nonce still binds the challenge for a sign-in');
      assert.equal(((await (await browser.fetch(`${base}/session`)).json()) as { user?: { email?: string } }).user?.email, user.email);
    });
  });
}
