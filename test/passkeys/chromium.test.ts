// Passkeys in Chromium with a CDP virtual authenticator (resident keys, user verification): register while signed in through
// gatehouse-auth/webauthn, sign out, sign in with the passkey alone (the client, and the built-in page's button by keyboard); JWT and database sessions on SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Credentials from '../../src/providers/credentials.js';
import Passkey from '../../src/providers/passkey.js';
import { appWithScript, bundleClientAndWebauthn } from '../helpers/browser-bundle.js';
import { cspViolations, launchChromium, pageWithAuthenticator } from '../helpers/chromium.js';
import { SECRET, startServer, type TestServer } from '../helpers/server.js';
import { ADAPTERS, codeOf, tempAdapter, type TempAdapter } from '../helpers/two-factor.js';

for (const strategy of ['jwt', 'database'] as const) {
  describe(`passkeys in Chromium (${strategy} sessions, SQLite)`, () => {
    let db: TempAdapter<GatehouseAdapter>;
    let adapter: GatehouseAdapter;
    let server: TestServer;
    let script: string;
    let browser: Browser | undefined;
    let ann: AdapterUser;
    let bob: AdapterUser;

    before(async () => {
      db = await tempAdapter('gatehouse-passkeys-browser-', ADAPTERS.SQLite);
      adapter = db.adapter;
      ann = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: null });
      bob = await adapter.createUser({ email: 'bob@example.com', name: 'Bob', emailVerified: null });
      server = await startServer(
        {
          secret: SECRET,
          adapter,
          session: { strategy },
          rateLimit: false,
          twoFactor: { issuer: 'Acme' },
          // WebAuthn needs a secure context: http://localhost is one, 127.0.0.1 is not for the RP ID.
          url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`,
          providers: [
            Credentials({
              credentials: { email: { label: 'Email' }, password: { type: 'password' } },
              authorize: async ({ email, password }) => (password !== 'pw' ? null : email === ann.email ? ann : email === bob.email ? bob : null),
            }),
            Passkey({ rpName: 'Acme' }),
          ],
        },
        appWithScript(() => script),
      );
      script = await bundleClientAndWebauthn();
    });
    after(async () => {
      await browser?.close();
      await server.close();
      await db.dispose();
    });

    test('register a passkey while signed in, sign out, sign in with the passkey alone', async (t) => {
      browser = await launchChromium(t, { args: ['--host-resolver-rules=MAP localhost 127.0.0.1'] });
      if (!browser) return;
      const origin = new URL(server.base).origin;
      const { page, cdp, authenticatorId } = await pageWithAuthenticator(browser);
      await page.goto(`${origin}/app`);
      await page.waitForFunction(() => (window as any).wa !== undefined);

      const signedIn = await page.evaluate(() => (window as any).gh.signIn('credentials', { email: 'ann@example.com', password: 'pw', redirect: false }));
      assert.equal((signedIn as { ok: boolean }).ok, true);
      const registered = (await page.evaluate(() => (window as any).wa.registerPasskey({ name: 'Chromium' }))) as { id: string; name: string };
      assert.equal(registered.name, 'Chromium');
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      assert.equal(credentials.length, 1);
      assert.equal(credentials[0]!.isResidentCredential, true, 'a discoverable credential');
      assert.equal(credentials[0]!.rpId, 'localhost');
      const listed = (await page.evaluate(() => (window as any).wa.listPasskeys())) as Array<{ id: string }>;
      assert.deepEqual(
        listed.map((p) => p.id),
        [registered.id],
      );

      await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));
      assert.equal(await page.evaluate(() => (window as any).gh.getSession()), null);

      const result = (await page.evaluate((target) => (window as any).wa.signInWithPasskey({ redirect: false, callbackUrl: target }), `${origin}/done`)) as { ok: boolean; url: string; error: string | null };
      assert.equal(result.error, null);
      assert.equal(result.ok, true);
      assert.equal(result.url, `${origin}/done`);
      const session = (await page.evaluate(() => (window as any).gh.getSession())) as { user: { email: string } };
      assert.equal(session.user.email, ann.email);
      const after = (await page.evaluate(() => (window as any).wa.listPasskeys())) as Array<{ lastUsedAt: string | null }>;
      assert.notEqual(after[0]!.lastUsedAt, null);

      // The built-in sign-in page's passkey button (its one script allowed by the page CSP's hash).
      await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));
      const violations = cspViolations(page);
      await page.goto(`${server.base}/signin?${new URLSearchParams({ callbackUrl: `${origin}/from-page` })}`);
      const button = page.getByRole('button', { name: 'Sign in with a passkey' });
      await button.waitFor({ state: 'visible' });
      await button.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${origin}/from-page`);
      assert.deepEqual(violations, []);
      await page.waitForFunction(() => (window as any).gh !== undefined);
      const fromPage = (await page.evaluate(() => (window as any).gh.getSession())) as { user: { email: string } };
      assert.equal(fromPage.user.email, ann.email);

      // The passkey removed (recent sign-in: just now), the authenticator's copy no longer signs in.
      const removed = (await page.evaluate((id) => (window as any).wa.deletePasskey(id), registered.id)) as { ok: boolean };
      assert.equal(removed.ok, true);
      await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));
      const refused = (await page.evaluate(() => (window as any).wa.signInWithPasskey({ redirect: false }))) as { ok: boolean; error: string | null };
      assert.equal(refused.ok, false);
      assert.equal(refused.error, 'PasskeySignin');
      assert.equal(await page.evaluate(() => (window as any).gh.getSession()), null);
      await page.close();
    });

    test('with TOTP enrolled, the password sign-in asks for the code; the code page’s passkey button completes it', async (t) => {
      browser ??= await launchChromium(t, { args: ['--host-resolver-rules=MAP localhost 127.0.0.1'] });
      if (!browser) return;
      const origin = new URL(server.base).origin;
      const { page } = await pageWithAuthenticator(browser);
      await page.goto(`${origin}/app`);
      await page.waitForFunction(() => (window as any).wa !== undefined);
      const password = () => page.evaluate((target) => (window as any).gh.signIn('credentials', { email: 'bob@example.com', password: 'pw', redirect: false, callbackUrl: target }), `${origin}/after-code`);

      assert.equal(((await password()) as { ok: boolean }).ok, true);
      await page.evaluate(() => (window as any).wa.registerPasskey({ name: 'Laptop' }));
      const enabled = (await page.evaluate(() => (window as any).gh.enableTwoFactor())) as { data: { secret: string } };
      const code = codeOf(enabled.data.secret);
      assert.equal(((await page.evaluate((c) => (window as any).gh.confirmTwoFactor(c), code)) as { ok: boolean }).ok, true);
      await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));

      const pending = (await password()) as { error: string | null };
      assert.equal(pending.error, 'TwoFactorRequired');
      assert.equal(await page.evaluate(() => (window as any).gh.getSession()), null, 'the password alone starts no session');
      // v4's client reports the error and no url; the built-in code page is where a browser would have gone.
      await page.goto(`${server.base}/two-factor?${new URLSearchParams({ callbackUrl: `${origin}/after-code` })}`);
      const button = page.getByRole('button', { name: 'Use a passkey instead' });
      await button.waitFor({ state: 'visible' });
      await button.click();
      await page.waitForURL(`${origin}/after-code`);
      await page.waitForFunction(() => (window as any).gh !== undefined);
      const session = (await page.evaluate(() => (window as any).gh.getSession())) as { user: { email: string } };
      assert.equal(session.user.email, bob.email);
      await page.close();
    });
  });
}
