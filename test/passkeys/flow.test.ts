// Passkeys over HTTP on SQLite with JWT and database sessions: register while signed in, sign in with the passkey alone, and every refusal (replay, foreign challenge, clone counter, deleted credential, CSRF, another user's passkey), verified by @simplewebauthn/server itself.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { createAuth } from '../../src/index.js';
import { PASSKEY_RECENT_MS } from '../../src/flows/passkey.js';
import Passkey from '../../src/providers/passkey.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { addUser, ADAPTERS, emailPassword, passkeyAnswer, passkeyOptions, postJson, sessionEmail as emailOf, tempAdapter, type TempAdapter } from '../helpers/two-factor.js';
import { SoftAuthenticator } from './soft-authenticator.js';

for (const strategy of ['jwt', 'database'] as const) {
  describe(`passkeys over HTTP (${strategy} sessions, SQLite)`, () => {
    let db: TempAdapter<GatehouseAdapter>;
    let adapter: GatehouseAdapter;
    let server: TestServer;
    let base: string;
    let origin: string;
    let ann: AdapterUser;
    let bob: AdapterUser;
    const users = new Map<string, AdapterUser>();

    before(async () => {
      db = await tempAdapter('gatehouse-passkeys-', ADAPTERS.SQLite);
      adapter = db.adapter;
      ann = await addUser(adapter, users, 'ann@example.com', 'Ann');
      bob = await addUser(adapter, users, 'bob@example.com', 'Bob');
      server = await startServer({
        secret: SECRET,
        adapter,
        session: { strategy },
        rateLimit: false,
        // The RP ID is the configured URL's host: localhost (a secure context for browsers).
        url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`,
        providers: [emailPassword(users), Passkey({ rpName: 'Acme' })],
      });
      base = server.base.replace('localhost', '127.0.0.1');
      origin = new URL(server.base).origin;
    });
    after(async () => {
      await server.close();
      await db.dispose();
    });

    const signIn = async (email: string) => {
      const browser = new Browser();
      assert.equal((await browser.signInWithCredentials(base, { email, password: 'pw' })).status, 200);
      return browser;
    };
    const sessionEmail = (browser: Browser) => emailOf(browser, base);
    const options = (browser: Browser, action: string) => passkeyOptions(browser, base, action);
    const answer = (browser: Browser, action: string, data: unknown, extra: Record<string, string> = {}) => passkeyAnswer(browser, base, action, data, extra);
    const post = (browser: Browser, path: string, fields: Record<string, string>) => postJson(browser, base, path, fields);
    const passkeysOf = async (browser: Browser) => ((await (await browser.fetch(`${base}/passkeys`)).json()) as { passkeys: unknown[] }).passkeys;

    async function registerFor(browser: Browser, key: SoftAuthenticator, name = 'Laptop'): Promise<string> {
      const { status, body } = await options(browser, 'register');
      assert.equal(status, 200);
      assert.equal(body.options.rp.id, 'localhost');
      assert.equal(body.options.authenticatorSelection.residentKey, 'required');
      assert.equal(body.options.authenticatorSelection.userVerification, 'required');
      const response = await answer(browser, 'register', key.register(body.options), { name });
      assert.equal(response.status, 200, await response.clone().text());
      const { passkey } = (await response.json()) as { passkey: Record<string, unknown> };
      assert.equal(passkey.name, name);
      assert.equal('publicKey' in passkey, false, 'the public key is never answered');
      return passkey.id as string;
    }

    test('register while signed in, then sign in with the passkey alone (discoverable)', async () => {
      const key = new SoftAuthenticator(origin, 'localhost');
      const annBrowser = await signIn(ann.email);
      assert.equal((await options(new Browser(), 'register')).status, 401, 'registering needs a session');
      const id = await registerFor(annBrowser, key);
      const again = await options(annBrowser, 'register');
      assert.deepEqual(
        again.body.options.excludeCredentials.map((c: { id: string }) => c.id),
        [id],
        'the user’s passkeys are excluded',
      );
      const listed = (await (await annBrowser.fetch(`${base}/passkeys`)).json()) as { passkeys: Array<Record<string, unknown>> };
      assert.deepEqual(
        listed.passkeys.map((p) => [p.id, p.name, p.deviceType, p.transports, p.lastUsedAt]),
        [[id, 'Laptop', 'singleDevice', ['internal'], null]],
      );

      const fresh = new Browser();
      const { body } = await options(fresh, 'authenticate');
      assert.deepEqual(body.options.allowCredentials, [], 'discoverable: no credential list');
      assert.equal(body.options.userVerification, 'required');
      const data = key.authenticate(body.options);
      const response = await answer(fresh, 'authenticate', data, { callbackUrl: `${origin}/done` });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { url: string }).url, `${origin}/done`);
      assert.equal(await sessionEmail(fresh), ann.email);

      const replayed = await answer(fresh, 'authenticate', data);
      assert.equal(replayed.status, 401, 'a spent challenge answers once');
      assert.equal(new URL(((await replayed.json()) as { url: string }).url).searchParams.get('error'), 'PasskeySignin');
      const after = (await (await annBrowser.fetch(`${base}/passkeys`)).json()) as { passkeys: Array<{ lastUsedAt: string | null }> };
      assert.notEqual(after.passkeys[0]!.lastUsedAt, null);
    });

    test('refused: another browser’s challenge, a counter that does not grow, a wrong origin, no CSRF token', async () => {
      const key = new SoftAuthenticator(origin, 'localhost');
      await registerFor(await signIn(ann.email), key, 'Phone');

      const asker = new Browser();
      const thief = new Browser();
      const { body } = await options(asker, 'authenticate');
      await options(thief, 'authenticate');
      const data = key.authenticate(body.options);
      assert.equal((await answer(thief, 'authenticate', data)).status, 401, 'a challenge is bound to the browser that asked');
      assert.equal(await sessionEmail(thief), null);
      const own = await answer(asker, 'authenticate', data);
      assert.equal(own.status, 200, 'and stays usable by its owner');

      key.countUp = false;
      const cloned = new Browser();
      const second = await options(cloned, 'authenticate');
      assert.equal((await answer(cloned, 'authenticate', key.authenticate(second.body.options))).status, 401, 'a counter that did not grow is a clone');
      assert.equal(await sessionEmail(cloned), null);
      key.countUp = true;

      const phished = new Browser();
      const third = await options(phished, 'authenticate');
      assert.equal((await answer(phished, 'authenticate', key.authenticate(third.body.options, undefined, 'http://evil.example'))).status, 401, 'another origin');

      const noCsrf = new Browser();
      const fourth = await options(noCsrf, 'authenticate');
      const response = await noCsrf.fetch(`${base}/callback/passkey`, { method: 'POST', form: { action: 'authenticate', data: JSON.stringify(key.authenticate(fourth.body.options)), json: 'true' } });
      assert.equal(response.status, 403);
      assert.equal(await sessionEmail(noCsrf), null);
    });

    test('a registration challenge is bound to its session', async () => {
      const key = new SoftAuthenticator(origin, 'localhost');
      const annBrowser = await signIn(ann.email);
      const bobBrowser = await signIn(bob.email);
      const { body } = await options(annBrowser, 'register');
      const response = await answer(bobBrowser, 'register', key.register(body.options));
      assert.equal(response.status, 400);
      assert.deepEqual(((await (await bobBrowser.fetch(`${base}/passkeys`)).json()) as { passkeys: unknown[] }).passkeys, []);
    });

    test('adding a passkey needs a recent sign-in (a stolen session cookie alone cannot plant one); re-authenticating allows it again', async () => {
      const key = new SoftAuthenticator(origin, 'localhost');
      const annBrowser = await signIn(ann.email);
      const before = await passkeysOf(annBrowser);
      // Options fetched inside the window, answered after it: the POST checks again.
      const { body } = await options(annBrowser, 'register');
      await later(PASSKEY_RECENT_MS + 60_000, async () => {
        const refusedOptions = await options(annBrowser, 'register');
        assert.deepEqual([refusedOptions.status, (refusedOptions.body as unknown as { error: string }).error], [403, 'RecentSignInRequired']);
        const late = await answer(annBrowser, 'register', key.register(body.options));
        assert.equal(late.status, 403);
        assert.equal(((await late.json()) as { error: string }).error, 'RecentSignInRequired');
        assert.equal((await passkeysOf(annBrowser)).length, before.length, 'nothing stored');
        const reauth = await post(annBrowser, 'reauthenticate', { password: 'pw' });
        assert.equal(reauth.status, 200, await reauth.clone().text());
        const fresh = await options(annBrowser, 'register');
        assert.equal(fresh.status, 200);
        assert.equal((await answer(annBrowser, 'register', key.register(fresh.body.options))).status, 200);
      });
      assert.equal((await passkeysOf(annBrowser)).length, before.length + 1);
    });

    test('rename and delete only one’s own passkeys; a deleted passkey signs in no more', async () => {
      const key = new SoftAuthenticator(origin, 'localhost');
      const bobBrowser = await signIn(bob.email);
      const id = await registerFor(bobBrowser, key, 'Key');
      const annBrowser = await signIn(ann.email);
      assert.equal((await post(annBrowser, 'passkeys/delete', { id })).status, 404, 'another user’s passkey');
      assert.equal((await post(annBrowser, 'passkeys/rename', { id, name: 'Mine' })).status, 404);
      assert.equal((await bobBrowser.fetch(`${base}/passkeys/delete`, { method: 'POST', json: { id } })).status, 403, 'no CSRF token');
      assert.equal((await post(bobBrowser, 'passkeys/rename', { id, name: 'Work key' })).status, 200);
      const listed = (await (await bobBrowser.fetch(`${base}/passkeys`)).json()) as { passkeys: Array<{ name: string }> };
      assert.equal(listed.passkeys[0]!.name, 'Work key');
      assert.equal((await post(bobBrowser, 'passkeys/delete', { id })).status, 200);

      const fresh = new Browser();
      const { body } = await options(fresh, 'authenticate');
      assert.equal((await answer(fresh, 'authenticate', key.authenticate(body.options))).status, 401, 'a deleted credential');
      assert.equal(await sessionEmail(fresh), null);
    });
  });
}

test('the passkey provider needs an adapter with authenticatorStore()', () => {
  assert.throws(() => createAuth({ secret: SECRET, url: 'http://localhost:3000/api/auth', providers: [Passkey()] }), /authenticatorStore.*passkey provider "passkey"/);
});
