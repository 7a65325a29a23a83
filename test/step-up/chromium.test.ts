// Re-authentication with a passkey in Chromium (CDP virtual authenticator: resident keys, user verification), through gatehouse-auth/webauthn's
// reauthenticateWithPasskey: a password session becomes hwk+user+mfa in place; another user's passkey on the same authenticator is refused. JWT and database sessions on SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Passkey from '../../src/providers/passkey.js';
import { appWithScript, bundleClientAndWebauthn } from '../helpers/browser-bundle.js';
import { launchChromium, pageWithAuthenticator } from '../helpers/chromium.js';
import type { TestServer } from '../helpers/server.js';
import { addUser, ADAPTERS, emailPassword, tempAdapter, twoFactorServer, type TempAdapter } from '../helpers/two-factor.js';

for (const strategy of ['jwt', 'database'] as const) {
  describe(`reauthenticate with a passkey in Chromium (${strategy} sessions, SQLite)`, () => {
    let db: TempAdapter<GatehouseAdapter>;
    let server: TestServer;
    let script: string;
    let browser: Browser | undefined;
    let ann: AdapterUser;
    const users = new Map<string, AdapterUser>();

    before(async () => {
      db = await tempAdapter('gatehouse-reauth-browser-', ADAPTERS.SQLite);
      ann = await addUser(db.adapter, users, 'ann@example.com', 'Ann');
      await addUser(db.adapter, users, 'bob@example.com', 'Bob');
      server = await twoFactorServer(
        {
          adapter: db.adapter,
          strategy,
          users,
          // WebAuthn needs a secure context: http://localhost is one, 127.0.0.1 is not for the RP ID.
          config: { url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`, providers: [emailPassword(users), Passkey({ rpName: 'Acme' })] },
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

    test('a password session re-proved with the user’s passkey is hwk+user+mfa in the same session; another user’s passkey is refused', async (t) => {
      browser = await launchChromium(t, { args: ['--host-resolver-rules=MAP localhost 127.0.0.1'] });
      if (!browser) return;
      const origin = new URL(server.base).origin;
      const { page } = await pageWithAuthenticator(browser);
      await page.goto(`${origin}/app`);
      await page.waitForFunction(() => (window as any).wa !== undefined);
      const signIn = (email: string) => page.evaluate((e) => (window as any).gh.signIn('credentials', { email: e, password: 'pw', redirect: false }), email);
      const recent = async () => {
        const cookie = (await page.context().cookies(origin)).map((c) => `${c.name}=${c.value}`).join('; ');
        return server.auth.requireRecentAuth(new Request(`${server.base}/session`, { headers: { cookie } }), { maxAge: 300, factors: ['hwk'] });
      };

      // Bob's passkey on this authenticator, then Ann signed in with her password and a passkey of her own.
      assert.equal(((await signIn('bob@example.com')) as { ok: boolean }).ok, true);
      await page.evaluate(() => (window as any).wa.registerPasskey({ name: 'Bob’s' }));
      await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));
      assert.equal(((await signIn(ann.email)) as { ok: boolean }).ok, true);
      const before = await recent();
      assert.equal(before.ok === false && before.error, 'StepUpRequired', 'a password sign-in is no passkey');
      const sessionsBefore = (await page.evaluate(() => fetch('/api/auth/sessions').then((r) => r.json()))) as { sessions: Array<{ id: string }> };

      // No passkey of Ann's yet, so the options allow any: the authenticator answers with Bob's, which the server refuses.
      const foreign = (await page.evaluate(() => (window as any).wa.reauthenticateWithPasskey())) as { ok: boolean; error: string | null };
      assert.deepEqual(foreign, { ok: false, status: 400, error: 'PasskeySignin', data: null }, 'another user’s passkey');
      assert.equal((await recent()).ok, false);

      const mine = (await page.evaluate(() => (window as any).wa.registerPasskey({ name: 'Ann’s' }))) as { id: string };
      const result = (await page.evaluate(() => (window as any).wa.reauthenticateWithPasskey())) as { ok: boolean; error: string | null; data: { authTime: number; amr: string[] } };
      assert.equal(result.error, null);
      assert.equal(result.ok, true);
      assert.deepEqual(result.data.amr, ['hwk', 'user', 'mfa']);
      const after = await recent();
      assert.equal(after.ok, true);
      assert.equal(after.ok && after.signedInAt.valueOf(), result.data.authTime * 1000);
      const sessionsAfter = (await page.evaluate(() => fetch('/api/auth/sessions').then((r) => r.json()))) as { sessions: Array<{ id: string }> };
      assert.deepEqual(
        sessionsAfter.sessions.map((s) => s.id),
        sessionsBefore.sessions.map((s) => s.id),
        'the same session',
      );
      const listed = (await page.evaluate(() => (window as any).wa.listPasskeys())) as Array<{ id: string; lastUsedAt: string | null }>;
      assert.notEqual(listed.find((p) => p.id === mine.id)?.lastUsedAt, null, 'her passkey was the one used');
      await page.close();
    });
  });
}
