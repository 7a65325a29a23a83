// Two-step sign-in in Chromium, through the built-in pages: a password user enrols TOTP (gatehouse-auth/client), signs out,
// signs in with the password and is asked for the code, then uses a backup code once (a second use fails); JWT and database sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { GatehouseAdapter } from '../../src/adapters/types.js';
import { hashPassword } from '../../src/core/password.js';
import Password from '../../src/providers/password.js';
import { appWithScript, bundleForBrowser } from '../helpers/browser-bundle.js';
import { launchChromium } from '../helpers/chromium.js';
import { SECRET, startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, transportFor, type SmtpSink } from '../helpers/smtp.js';
import { ADAPTERS, codeOf, tempAdapter, type TempAdapter } from '../helpers/two-factor.js';

const CLIENT = new URL('../../src/client/index.ts', import.meta.url).pathname;
const SCRYPT = { N: 2 ** 14, r: 8, p: 1 };

type Client = Record<string, (...args: unknown[]) => Promise<unknown>>;

for (const strategy of ['jwt', 'database'] as const) {
  describe(`two-step sign-in in Chromium (${strategy} sessions, Password provider, SQLite)`, () => {
    let db: TempAdapter<GatehouseAdapter>;
    let adapter: GatehouseAdapter;
    let smtp: SmtpSink;
    let server: TestServer;
    let script: string;
    let browser: Browser | undefined;

    before(async () => {
      db = await tempAdapter('gatehouse-2fa-browser-', ADAPTERS.SQLite);
      adapter = db.adapter;
      const user = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: new Date() });
      await adapter.setPassword(user.id, await hashPassword('correct horse battery', SCRYPT));
      smtp = await startSmtp();
      server = await startServer(
        {
          secret: SECRET,
          adapter,
          session: { strategy },
          rateLimit: false,
          twoFactor: { issuer: 'Acme' },
          providers: [Password({ server: transportFor(smtp), from: 'Acme <auth@example.com>', scrypt: SCRYPT })],
        },
        appWithScript(() => script),
      );
      script = await bundleForBrowser(`import * as client from ${JSON.stringify(CLIENT)}; (window as any).gh = client;`, process.cwd());
    });
    after(async () => {
      await browser?.close();
      await server.close();
      await smtp.close();
      await db.dispose();
    });

    const call = (page: Page, name: string, ...args: unknown[]) => page.evaluate(([fn, params]) => (window as unknown as { gh: Client }).gh[fn as string]!(...(params as unknown[])), [name, args] as const);
    const signedInAs = async (page: Page) => ((await call(page, 'getSession')) as { user?: { email?: string } } | null)?.user?.email ?? null;

    /** The built-in sign-in page, with the keyboard: email, password, Enter. */
    async function passwordSignIn(page: Page): Promise<void> {
      await page.goto(`${server.base}/signin?callbackUrl=${encodeURIComponent(`${server.origin}/app`)}`);
      await page.getByLabel('Email').fill('ann@example.com');
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByLabel('Password').press('Enter');
    }

    test('enrol, sign out, sign in with the password: the code page asks, the code signs in; a backup code works once', async (t) => {
      browser = await launchChromium(t);
      if (!browser) return;
      const page = await (await browser.newContext()).newPage();

      await passwordSignIn(page);
      await page.waitForURL(`${server.origin}/app`);
      await page.waitForFunction(() => 'gh' in window);
      assert.equal(await signedInAs(page), 'ann@example.com', 'no factor yet: signed in at once');

      const enabled = (await call(page, 'enableTwoFactor')) as { ok: boolean; data: { secret: string; qrSvg: string } };
      assert.equal(enabled.ok, true);
      assert.match(enabled.data.qrSvg, /^<svg/);
      const confirmed = (await call(page, 'confirmTwoFactor', codeOf(enabled.data.secret))) as { ok: boolean; data: { backupCodes: string[] } };
      assert.equal(confirmed.ok, true);
      const { backupCodes } = confirmed.data;
      assert.equal(backupCodes.length, 10);
      await call(page, 'signOut', { redirect: false });
      assert.equal(await signedInAs(page), null);

      // The password alone now leads to the code page, not into the app.
      await passwordSignIn(page);
      await page.waitForURL((url) => url.pathname === '/api/auth/two-factor');
      assert.equal(new URL(page.url()).searchParams.get('error'), 'TwoFactorRequired');
      const codeInput = page.getByLabel('Code', { exact: true });
      assert.equal(await codeInput.evaluate((el) => el === document.activeElement), true, 'the code field has focus');
      await codeInput.fill(codeOf(enabled.data.secret, 1));
      await codeInput.press('Enter');
      await page.waitForURL(`${server.origin}/app`);
      await page.waitForFunction(() => 'gh' in window);
      assert.equal(await signedInAs(page), 'ann@example.com');
      await call(page, 'signOut', { redirect: false });

      // A backup code instead of the app.
      await passwordSignIn(page);
      await page.waitForURL((url) => url.pathname === '/api/auth/two-factor');
      await page.getByLabel('Or a backup code').fill(backupCodes[0]!);
      await page.getByRole('button', { name: 'Use backup code' }).click();
      await page.waitForURL(`${server.origin}/app`);
      await page.waitForFunction(() => 'gh' in window);
      assert.equal(await signedInAs(page), 'ann@example.com');
      await call(page, 'signOut', { redirect: false });

      // The same backup code again: refused, with the page saying so.
      await passwordSignIn(page);
      await page.waitForURL((url) => url.pathname === '/api/auth/two-factor');
      await page.getByLabel('Or a backup code').fill(backupCodes[0]!);
      await page.getByRole('button', { name: 'Use backup code' }).click();
      await page.waitForURL((url) => url.searchParams.get('error') === 'InvalidTwoFactorCode');
      assert.match(await page.getByRole('alert').innerText(), /did not work/);
      await page.goto(`${server.origin}/app`);
      await page.waitForFunction(() => 'gh' in window);
      assert.equal(await signedInAs(page), null, 'no session from a used backup code');
    });
  });
}
