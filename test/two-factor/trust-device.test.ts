// "Trust this device" over HTTP (JWT and database sessions, memory and SQLite): a ticked box skips the second step on that browser; another user's cookie, a revoked user's and one from before a new enrolment are refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { Browser, type TestServer } from '../helpers/server.js';
import { addUser, ADAPTERS, answerUrl, enrolTotp, postJson, recentAuth, secondStep, SESSION, tempAdapter, twoFactorServer, type TempAdapter } from '../helpers/two-factor.js';

const TRUST = 'next-auth.two-factor-trust';

for (const [adapterName, makeAdapter] of Object.entries(ADAPTERS)) {
  for (const strategy of ['jwt', 'database'] as const) {
    describe(`trust this device (${strategy} sessions, ${adapterName})`, () => {
      let db: TempAdapter<GatehouseAdapter>;
      let adapter: GatehouseAdapter;
      let server: TestServer;
      let off: TestServer;
      const users = new Map<string, AdapterUser>();

      before(async () => {
        db = await tempAdapter('gatehouse-trust-', makeAdapter);
        adapter = db.adapter;
        server = await twoFactorServer({ adapter, strategy, users });
        off = await twoFactorServer({ adapter, strategy, users, config: { twoFactor: { issuer: 'Acme', trustDevice: false } } });
      });
      after(async () => {
        await server.close();
        await off.close();
        await db.dispose();
      });

      const signIn = async (browser: Browser, user: AdapterUser, on = server) => (await answerUrl(await browser.signInWithCredentials(on.base, { email: user.email, password: 'pw' }))).searchParams.get('error');
      const post = (browser: Browser, path: string, fields: Record<string, string> = {}) => postJson(browser, server.base, path, fields);
      const second = async (browser: Browser, fields: Record<string, string>, on = server) => (await secondStep(browser, on.base, fields)).searchParams.get('error');
      /** A browser that carries only the trust cookie of `from` (signed out, as after closing the session). */
      const withTrustOf = (from: Browser) => {
        const browser = new Browser();
        const cookie = from.jar.get(TRUST);
        if (cookie) browser.jar.set(TRUST, cookie);
        return browser;
      };

      const newUser = (name: string) => addUser(adapter, users, `${name}-${strategy}@example.com`, name);
      /** Enrols TOTP; the backup codes it returns complete the later second steps (a TOTP step is good once, so three per window). */
      async function enrol(user: AdapterUser, browser = new Browser()): Promise<string[]> {
        if (!browser.jar.has(SESSION)) assert.equal(await signIn(browser, user), null);
        return (await enrolTotp(browser, server.base)).backupCodes;
      }
      /** Signs in with a backup code and the box ticked: the browser then holds the trust cookie. */
      async function trusted(user: AdapterUser, backupCode: string): Promise<Browser> {
        const browser = new Browser();
        assert.equal(await signIn(browser, user), 'TwoFactorRequired');
        assert.equal(await second(browser, { backupCode, trustDevice: '1' }), null);
        assert.ok(browser.jar.get(TRUST), 'the trust cookie is set');
        return browser;
      }

      test('the page offers the box (not when turned off); ticked, the next sign-in on that browser skips the code — as one factor', async () => {
        const user = await newUser('ann');
        const codes = await enrol(user);
        const page = new Browser();
        assert.equal(await signIn(page, user), 'TwoFactorRequired');
        const html = await (await page.fetch(`${server.base}/two-factor`)).text();
        assert.match(html, /name="trustDevice"[^>]*type="checkbox"/);
        assert.match(html, /Trust this device for 30 days/);
        const offPage = new Browser();
        assert.equal(await signIn(offPage, user, off), 'TwoFactorRequired');
        assert.doesNotMatch(await (await offPage.fetch(`${off.base}/two-factor`)).text(), /trustDevice/);

        const unticked = new Browser();
        assert.equal(await signIn(unticked, user), 'TwoFactorRequired');
        assert.equal(await second(unticked, { backupCode: codes[0]! }), null);
        assert.equal(unticked.jar.get(TRUST), undefined, 'no box, no cookie');

        const first = await trusted(user, codes[1]!);
        const again = withTrustOf(first);
        assert.equal(await signIn(again, user), null, 'no second step');
        assert.ok(again.jar.get(SESSION));
        const auth = await recentAuth(server, again, { maxAge: 60 });
        assert.deepEqual(auth.ok && auth.amr, ['pwd'], 'a trusted device is not a second factor proven now');
        const factors = await recentAuth(server, again, { maxAge: 60, factors: 2 });
        assert.equal(factors.ok === false && factors.error, 'StepUpRequired');

        // An instance with trustDevice: false ignores the cookie.
        assert.equal(await signIn(withTrustOf(first), user, off), 'TwoFactorRequired');
      });

      test("refused: another user's cookie, a tampered one, one from before sign-out everywhere, one from before a new enrolment", async () => {
        const ann = await newUser('ann2');
        const bob = await newUser('bob2');
        const annCodes = await enrol(ann);
        const bobCodes = await enrol(bob);
        const bobs = await trusted(bob, bobCodes[0]!);
        assert.equal(await signIn(withTrustOf(bobs), ann), 'TwoFactorRequired', "bob's trust is not ann's");
        const tampered = new Browser();
        tampered.jar.set(TRUST, `${bobs.jar.get(TRUST)!.slice(0, -4)}AAAA`);
        assert.equal(await signIn(tampered, bob), 'TwoFactorRequired');

        const anns = await trusted(ann, annCodes[0]!);
        assert.equal(await signIn(withTrustOf(anns), ann), null);
        await server.auth.revokeUserSessions(ann.id);
        assert.equal(await signIn(withTrustOf(anns), ann), 'TwoFactorRequired', 'sign out everywhere voids it');
        assert.equal(await signIn(withTrustOf(bobs), bob), null, "bob's trust is untouched");

        // sessions/revoke-others from a session of bob's voids his trust too.
        const bobSession = withTrustOf(bobs);
        assert.equal(await signIn(bobSession, bob), null);
        assert.equal((await post(bobSession, 'sessions/revoke-others')).status, 200);
        assert.equal(await signIn(withTrustOf(bobs), bob), 'TwoFactorRequired', 'signing out the other devices voids it');

        // Enrolled again (disable, enable, verify): devices trusted under the old key ask again.
        const annAgain = await trusted(ann, annCodes[1]!);
        const settings = withTrustOf(annAgain);
        assert.equal(await signIn(settings, ann), null);
        assert.equal((await post(settings, 'two-factor/disable', { backupCode: annCodes[2]! })).status, 200);
        await enrol(ann, settings);
        assert.equal(await signIn(withTrustOf(annAgain), ann), 'TwoFactorRequired');
      });
    });
  }
}
