// TOTP second factor over HTTP, JWT and database sessions on SQLite: enrol, the second step of a sign-in, backup codes, replays, brute force, recent sign-in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { deriveKeys, encryptToken } from '../../src/core/jwt.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, type TestServer } from '../helpers/server.js';
import { addUser, ADAPTERS, codeOf, postJson, secondStep, SESSION, sessionEmail as emailOf, tempAdapter, twoFactorServer, type TempAdapter } from '../helpers/two-factor.js';

const PENDING = 'next-auth.two-factor';

for (const strategy of ['jwt', 'database'] as const) {
  describe(`two-factor over HTTP (${strategy} sessions, SQLite)`, () => {
    let db: TempAdapter<GatehouseAdapter>;
    let adapter: GatehouseAdapter;
    let server: TestServer;
    let ann: AdapterUser;
    let bob: AdapterUser;
    let base: string;
    const users = new Map<string, AdapterUser>();

    before(async () => {
      db = await tempAdapter('gatehouse-2fa-', ADAPTERS.SQLite);
      adapter = db.adapter;
      ann = await addUser(adapter, users, 'ann@example.com', 'Ann');
      bob = await addUser(adapter, users, 'bob@example.com', 'Bob');
      server = await twoFactorServer({ adapter, strategy, users });
      base = server.base;
    });
    after(async () => {
      await server.close();
      await db.dispose();
    });

    const signIn = async (browser: Browser, email: string) => {
      const response = await browser.signInWithCredentials(base, { email, password: 'pw' });
      assert.equal(response.status, 200);
      return ((await response.json()) as { url: string }).url;
    };
    const sessionEmail = (browser: Browser) => emailOf(browser, base);
    const post = (browser: Browser, path: string, fields: Record<string, string> = {}) => postJson(browser, base, path, fields);
    const second = (browser: Browser, fields: Record<string, string>) => secondStep(browser, base, fields);

    /** Signs `user` in (no factor yet), enrols TOTP, and returns the key and the backup codes. */
    async function enrol(user: AdapterUser): Promise<{ secret: string; backupCodes: string[]; confirmation: string }> {
      const browser = new Browser();
      await signIn(browser, user.email);
      assert.equal(await sessionEmail(browser), user.email, 'without a factor a sign-in gives a session at once');
      const enabled = await post(browser, 'two-factor/enable');
      assert.equal(enabled.status, 200);
      const { secret, otpauthUrl, qrSvg } = (await enabled.json()) as { secret: string; otpauthUrl: string; qrSvg: string };
      assert.match(secret, /^[A-Z2-7]{32}$/);
      assert.ok(otpauthUrl.startsWith(`otpauth://totp/Acme:${encodeURIComponent(user.email)}?`));
      assert.match(qrSvg, /^<svg/);
      assert.deepEqual(await (await browser.fetch(`${base}/two-factor/status`)).json(), { enabled: false, backupCodesLeft: 0 }, 'not active before the first code');

      assert.equal((await post(browser, 'two-factor/verify', { code: codeOf(secret, 3) })).status, 400, 'a code outside the window');
      const confirmation = codeOf(secret);
      const verified = await post(browser, 'two-factor/verify', { code: confirmation });
      assert.equal(verified.status, 200);
      const { backupCodes } = (await verified.json()) as { backupCodes: string[] };
      assert.equal(backupCodes.length, 10);
      assert.deepEqual(await (await browser.fetch(`${base}/two-factor/status`)).json(), { enabled: true, backupCodesLeft: 10 });
      const stored = await adapter.twoFactorStore().getTwoFactor(user.id);
      assert.ok(stored && !stored.secret.includes(secret), 'the key is sealed at rest');
      return { secret, backupCodes, confirmation };
    }

    test('enrol, then a sign-in asks for the code: no session until it; a replayed code, another user’s code, a wrong one refused', async () => {
      const { secret, confirmation } = await enrol(ann);
      const browser = new Browser();
      const url = new URL(await signIn(browser, 'ann@example.com'));
      assert.equal(url.pathname, '/api/auth/two-factor');
      assert.equal(url.searchParams.get('error'), 'TwoFactorRequired', 'what signIn(…, { redirect: false }) reports');
      assert.ok(browser.jar.has(PENDING), 'a pending sign-in cookie');
      assert.ok(!browser.jar.has(SESSION), 'no session cookie');
      assert.equal(await sessionEmail(browser), null);
      const page = await browser.fetch(`${base}/two-factor?callbackUrl=${encodeURIComponent(server.origin)}`);
      assert.match(await page.text(), /autocomplete="one-time-code"/);

      // The code just used to confirm enrolment is spent (its step, even if the clock has moved on into the next): a replay.
      assert.equal((await second(browser, { code: confirmation })).searchParams.get('error'), 'InvalidTwoFactorCode');
      const { secret: bobSecret } = await enrol(bob);
      assert.equal((await second(browser, { code: codeOf(bobSecret, 1) })).searchParams.get('error'), 'InvalidTwoFactorCode', 'bob’s code is no code for ann');
      assert.equal((await second(browser, { code: codeOf(secret, 1) === '000000' ? '111111' : '000000' })).searchParams.get('error'), 'InvalidTwoFactorCode');
      assert.equal(await sessionEmail(browser), null);

      const copied = browser.jar.get(PENDING)!;
      const done = await second(browser, { code: codeOf(secret, 1) });
      assert.equal(done.searchParams.get('error'), null);
      assert.equal(done.href, `${server.origin}/`);
      assert.ok(!browser.jar.has(PENDING), 'the pending cookie is cleared');
      assert.equal(await sessionEmail(browser), 'ann@example.com');

      // The same pending cookie again: its step is spent, and so is the pending sign-in itself.
      const thief = new Browser();
      thief.jar.set(PENDING, copied);
      assert.notEqual((await second(thief, { code: codeOf(secret, 1) })).searchParams.get('error'), null);
      assert.equal(await sessionEmail(thief), null);
    });

    test('a backup code works once; a copied pending cookie completes nothing after its sign-in', async () => {
      const { backupCodes } = await enrol(await newUser('carol'));
      const user = users.get(`carol-${strategy}@example.com`)!;
      const first = new Browser();
      await signIn(first, user.email);
      const copy = first.jar.get(PENDING)!;
      assert.equal((await second(first, { backupCode: backupCodes[0]!.toUpperCase() })).searchParams.get('error'), null, 'any case');
      assert.equal(await sessionEmail(first), user.email);

      const replay = new Browser();
      replay.jar.set(PENDING, copy);
      assert.equal((await second(replay, { backupCode: backupCodes[1]! })).pathname, '/api/auth/signin', 'the copied pending sign-in is spent');
      assert.equal(await sessionEmail(replay), null);

      const again = new Browser();
      await signIn(again, user.email);
      assert.equal((await second(again, { backupCode: backupCodes[0]! })).searchParams.get('error'), 'InvalidTwoFactorCode', 'a used backup code');
      assert.equal((await second(again, { backupCode: backupCodes[1]! })).searchParams.get('error'), null);
      assert.equal(await sessionEmail(again), user.email);
    });

    test('no pending sign-in, a tampered one, or an expired one: back to the sign-in page with TwoFactorExpired', async () => {
      const nobody = new Browser();
      assert.equal((await second(nobody, { code: '123456' })).searchParams.get('error'), 'TwoFactorExpired');
      const tampered = new Browser();
      await signIn(tampered, 'ann@example.com');
      tampered.jar.set(PENDING, `${tampered.jar.get(PENDING)!.slice(0, -4)}AAAA`);
      assert.equal((await second(tampered, { code: '123456' })).searchParams.get('error'), 'TwoFactorExpired');
      // Sealed as gatehouse seals it, but six minutes ago: past its five.
      const pending = { jti: 'x'.repeat(22), userId: ann.id, provider: 'credentials', user: ann, account: null, isNewUser: false, target: server.origin };
      const expired = new Browser();
      expired.jar.set(PENDING, await encryptToken({ pending }, deriveKeys([SECRET], 'gatehouse-auth two-factor pending'), 300, Math.floor(Date.now() / 1000) - 360));
      assert.equal((await second(expired, { code: '123456' })).searchParams.get('error'), 'TwoFactorExpired');
    });

    test('guessing codes is limited per user: the sixth wrong code in five minutes is a 429, whichever pending sign-in it comes from', async () => {
      const user = await newUser('dan');
      const { secret } = await enrol(user);
      const wrong = () => (codeOf(secret, 1) === '000000' ? '999999' : '000000');
      for (let i = 0; i < 5; i++) {
        const browser = new Browser();
        await signIn(browser, user.email);
        assert.equal((await second(browser, { code: wrong() })).searchParams.get('error'), 'InvalidTwoFactorCode');
      }
      const browser = new Browser();
      await signIn(browser, user.email);
      const limited = await browser.fetch(`${base}/callback/two-factor`, { method: 'POST', form: { code: codeOf(secret, 1), csrfToken: await browser.csrfToken(base), json: 'true' } });
      assert.equal(limited.status, 429, 'even the right code, once the limit is reached');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(await sessionEmail(browser), null);
    });

    test('disabling needs a fresh code and a recent sign-in; a POST without CSRF is refused; signed out is a 401', async () => {
      const user = await newUser('erin');
      const { secret, backupCodes: initial } = await enrol(user);
      const browser = new Browser();
      await signIn(browser, user.email);
      assert.equal((await second(browser, { code: codeOf(secret, 1) })).searchParams.get('error'), null);
      assert.equal((await post(browser, 'two-factor/disable')).status, 400, 'no code');
      const noCsrf = await browser.fetch(`${base}/two-factor/disable`, { method: 'POST', json: { backupCode: initial[0] } });
      assert.equal(noCsrf.status, 403);

      // The same session an hour later (the clock moved, frozen: no waiting).
      await later(3600_000, async () => {
        const stale = await post(browser, 'two-factor/disable', { backupCode: initial[0]! });
        assert.equal(stale.status, 403);
        assert.equal(((await stale.json()) as { error: string }).error, 'RecentSignInRequired');
        assert.equal((await post(browser, 'two-factor/enable')).status, 403, 'nor a new key');
      });

      // Every code of the window is at or before the step already used: backup codes from here on.
      const fresh = new Browser();
      await signIn(fresh, user.email);
      assert.equal((await second(fresh, { backupCode: initial[0]! })).searchParams.get('error'), null, 'the refused disable did not spend it');
      assert.equal((await post(fresh, 'two-factor/disable', { backupCode: 'zzzzz-zzzzz' })).status, 400, 'no such backup code');
      const regenerated = await post(fresh, 'two-factor/backup-codes', { backupCode: initial[1]! });
      assert.equal(regenerated.status, 200);
      const { backupCodes } = (await regenerated.json()) as { backupCodes: string[] };
      assert.equal(backupCodes.length, 10);
      assert.equal((await post(fresh, 'two-factor/disable', { backupCode: initial[2]! })).status, 400, 'the old codes are void');
      assert.equal((await post(fresh, 'two-factor/disable', { backupCode: backupCodes[0]! })).status, 200);
      assert.equal(await adapter.twoFactorStore().getTwoFactor(user.id), null);
      const plain = new Browser();
      await signIn(plain, user.email);
      assert.equal(await sessionEmail(plain), user.email, 'no second step once disabled');

      assert.equal((await post(new Browser(), 'two-factor/enable')).status, 401);
    });

    test('auth.requireRecentAuth: ok right after sign-in, RecentSignInRequired once the sign-in is older than maxAge, SessionRequired signed out', async () => {
      const user = await newUser('fay');
      const browser = new Browser();
      await signIn(browser, user.email);
      const request = () => new Request(`${base}/session`, { headers: { cookie: browser.cookieHeader() } });
      const fresh = await server.auth.requireRecentAuth(request(), { maxAge: 300 });
      assert.equal(fresh.ok, true);
      assert.equal(fresh.ok && fresh.userId, user.id);
      await later(600_000, async () => {
        const stale = await server.auth.requireRecentAuth(request(), { maxAge: 300 });
        assert.equal(stale.ok === false && stale.error, 'RecentSignInRequired');
        assert.equal((await server.auth.requireRecentAuth(request(), { maxAge: 900 })).ok, true);
      });
      assert.deepEqual(await server.auth.requireRecentAuth(new Request(`${base}/session`), { maxAge: 300 }), { ok: false, error: 'SessionRequired' });
      await assert.rejects(server.auth.requireRecentAuth(request(), { maxAge: 0 }), TypeError);
    });

    /** A user in the adapter whom the credentials provider signs in with `pw`. */
    const newUser = (name: string) => addUser(adapter, users, `${name}-${strategy}@example.com`, name);
  });
}
