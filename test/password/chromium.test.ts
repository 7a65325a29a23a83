// The done-when walk in Chromium through the built-in pages only: create an account, confirm the mailed link, sign in, get locked, reset from the mail, and the old session gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { SqlAdapter } from '../../src/adapters/sqlite.js';
import Password from '../../src/providers/password.js';
import { appWithScript } from '../helpers/browser-bundle.js';
import { launchChromium } from '../helpers/chromium.js';
import { SECRET, startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, transportFor, type SmtpSink } from '../helpers/smtp.js';
import { ADAPTERS, tempAdapter, type TempAdapter } from '../helpers/two-factor.js';
import { mailedLink, TEST_SCRYPT, waitForMail } from './helpers.js';

for (const strategy of ['database', 'jwt'] as const) {
  describe(`the password lifecycle in Chromium (${strategy} sessions, SQLite, built-in pages)`, () => {
    let db: TempAdapter<SqlAdapter>;
    let adapter: SqlAdapter;
    let smtp: SmtpSink;
    let server: TestServer;
    let browser: Browser | undefined;

    before(async () => {
      db = await tempAdapter('gatehouse-password-browser-', ADAPTERS.SQLite);
      adapter = db.adapter;
      smtp = await startSmtp();
      server = await startServer(
        {
          secret: SECRET,
          adapter,
          session: { strategy },
          providers: [Password({ server: transportFor(smtp), from: 'Acme <auth@example.com>', scrypt: TEST_SCRYPT, lockout: { threshold: 3, lockSeconds: 60 } })],
        },
        appWithScript(() => ''),
      );
    });
    after(async () => {
      await browser?.close();
      await server.close();
      await smtp.close();
      await db.dispose();
    });

    // The browser context's own request API (its cookie jar): the built-in pages' CSP forbids a page's fetch.
    const sessionEmail = async (page: Page) => ((await (await page.context().request.get(`${server.base}/session`)).json()) as { user?: { email?: string } }).user?.email ?? null;

    async function signInWith(page: Page, email: string, password: string): Promise<void> {
      await page.goto(`${server.base}/signin?callbackUrl=${encodeURIComponent(`${server.origin}/app`)}`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByLabel('Password').press('Enter');
      await page.waitForLoadState();
    }

    test('sign-up → confirm → sign-in → locked → reset from the mail → old password refused, new accepted, old session gone', async (t) => {
      browser = await launchChromium(t);
      if (!browser) return;
      const email = `chromium-${strategy}@example.com`;
      const laptop = await (await browser.newContext()).newPage();

      // Create account from the sign-in page's link.
      await laptop.goto(`${server.base}/signin`);
      let sent = smtp.mails.length;
      await laptop.getByRole('link', { name: 'Create account' }).click();
      await laptop.getByLabel('Email').fill(email);
      await laptop.getByLabel('Name').fill('Chromium Walker');
      await laptop.getByLabel('Password').fill('first browser password');
      await laptop.getByRole('button', { name: 'Create account' }).click();
      await laptop.getByRole('heading', { name: 'Check your email' }).waitFor();

      // The mailed link opens a confirm page; the button verifies.
      const verify = mailedLink(await waitForMail(smtp, email, sent), 'verify-email');
      await laptop.goto(verify.href);
      await laptop.getByRole('button', { name: 'Confirm email' }).click();
      await laptop.getByText('Your email address is confirmed').waitFor();

      await signInWith(laptop, email, 'first browser password');
      assert.equal(new URL(laptop.url()).pathname, '/app');
      assert.equal(await sessionEmail(laptop), email);

      // Someone else guesses: the third wrong password locks; the page says so.
      const attacker = await (await browser.newContext()).newPage();
      for (let i = 1; i <= 2; i++) {
        await signInWith(attacker, email, `wrong guess ${i}`);
        await attacker.getByRole('alert').getByText('Check your email and password').waitFor();
      }
      await signInWith(attacker, email, 'wrong guess 3');
      await attacker.getByRole('alert').getByText('this account is locked').waitFor();
      assert.equal(await sessionEmail(attacker), null);

      // Forgot password from the sign-in page; the reset link from the mail; a new password signs in.
      const owner = await (await browser.newContext()).newPage();
      await owner.goto(`${server.base}/signin`);
      await owner.getByRole('link', { name: 'Forgot password?' }).click();
      sent = smtp.mails.length;
      await owner.getByLabel('Email').fill(email);
      await owner.getByRole('button', { name: 'Send reset link' }).click();
      await owner.getByRole('heading', { name: 'Check your email' }).waitFor();
      const reset = mailedLink(await waitForMail(smtp, email, sent), 'password/reset');
      await owner.goto(reset.href);
      await owner.getByLabel('New password').fill('aaaaaaaaaa'); // long enough for the form's minlength; the policy refuses it
      await owner.getByRole('button', { name: 'Set new password' }).click();
      await owner.getByRole('alert').getByText('not one character repeated').waitFor();
      await owner.getByLabel('New password').fill('second browser password');
      await owner.getByRole('button', { name: 'Set new password' }).click();
      await owner.waitForLoadState();
      assert.equal(await sessionEmail(owner), email);

      // The old password is refused, the new one accepted; the laptop's session from before is gone.
      const later = await (await browser.newContext()).newPage();
      await signInWith(later, email, 'first browser password');
      await later.getByRole('alert').getByText('Check your email and password').waitFor();
      await signInWith(later, email, 'second browser password');
      assert.equal(new URL(later.url()).pathname, '/app');
      assert.equal(await sessionEmail(later), email);
      await laptop.reload();
      assert.equal(await sessionEmail(laptop), null);
    });
  });
}
