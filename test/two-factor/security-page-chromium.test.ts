// Issue 18 in Chromium, through the built-in pages only: a password user opens `security`, enrols TOTP by reading the key off the page, sees the backup codes once,
// signs out, signs in with the password and is asked for the code, uses a backup code once (a second use fails); then adds, renames and removes a passkey from the page, and, the sign-in
// grown old, re-authenticates with that passkey from the page. JWT and database sessions, SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { hashPassword } from '../../src/core/password.js';
import Passkey from '../../src/providers/passkey.js';
import Password from '../../src/providers/password.js';
import { cspViolations, launchChromium, pageWithAuthenticator } from '../helpers/chromium.js';
import { later } from '../helpers/clock.js';
import { SECRET, startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, transportFor, type SmtpSink } from '../helpers/smtp.js';
import { ADAPTERS, codeOf, tempAdapter, type TempAdapter } from '../helpers/two-factor.js';
import { axeViolations } from '../pages/axe.js';

const SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';

for (const strategy of ['jwt', 'database'] as const) {
  describe(`issue 18: the security page in Chromium (${strategy} sessions, Password provider, SQLite)`, () => {
    let temp: TempAdapter<GatehouseAdapter>;
    let adapter: GatehouseAdapter;
    let smtp: SmtpSink;
    let server: TestServer;
    let browser: Browser | undefined;
    let ann: AdapterUser;

    before(async () => {
      temp = await tempAdapter('gatehouse-security-browser-', ADAPTERS.SQLite);
      adapter = temp.adapter;
      ann = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: new Date() });
      await adapter.setPassword(ann.id, await hashPassword(PASSWORD, SCRYPT));
      const bea = await adapter.createUser({ email: 'bea@example.com', name: 'Bea', emailVerified: new Date() });
      await adapter.setPassword(bea.id, await hashPassword(PASSWORD, SCRYPT));
      const cy = await adapter.createUser({ email: 'cy@example.com', name: 'Cy', emailVerified: new Date() });
      await adapter.setPassword(cy.id, await hashPassword(PASSWORD, SCRYPT));
      smtp = await startSmtp();
      server = await startServer({
        secret: SECRET,
        adapter,
        session: { strategy },
        rateLimit: false,
        twoFactor: { issuer: 'Acme' },
        // WebAuthn needs a secure context: http://localhost is one (Chromium maps it to 127.0.0.1 below).
        url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`,
        providers: [Password({ server: transportFor(smtp), from: 'Acme <auth@example.com>', scrypt: SCRYPT }), Passkey({ rpName: 'Acme' })],
      });
    });
    after(async () => {
      await browser?.close();
      await server.close();
      await smtp.close();
      await temp.dispose();
    });

    const security = () => `${server.base}/security`;
    const noViolations = async (page: Page, what: string) => assert.deepEqual(await axeViolations(page), [], `axe on ${what}`);

    /** The built-in sign-in page, with the keyboard: email, password, Enter. */
    async function passwordSignIn(page: Page, email: string): Promise<void> {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Password').press('Enter');
    }
    async function signOut(page: Page): Promise<void> {
      await page.goto(`${server.base}/signout`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => !url.pathname.endsWith('/signout'));
    }
    /** Opens `security` signed out: the sign-in page first, then back to `security`. */
    async function openSignedOut(page: Page, email: string): Promise<void> {
      await page.goto(security());
      await page.waitForURL((url) => url.pathname === '/api/auth/signin');
      await passwordSignIn(page, email);
    }

    test('enrol on the page, sign out, the password sign-in asks for the code; a backup code works once', async (t) => {
      browser ??= await launchChromium(t, { args: ['--host-resolver-rules=MAP localhost 127.0.0.1'] });
      if (!browser) return;
      const page = await (await browser.newContext()).newPage();
      const csp = cspViolations(page);

      await openSignedOut(page, 'ann@example.com');
      await page.waitForURL(security());
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Account security');
      await noViolations(page, 'the page, factor off');

      // Keyboard only: focus the button, Enter.
      await page.getByRole('button', { name: 'Set up an authenticator app' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('Scan this QR code').waitFor();
      assert.equal(await page.locator('.qr svg').count(), 1, 'the QR code inline');
      const secret = (await page.locator('#totp-secret').innerText()).trim();
      assert.match(secret, /^[A-Z2-7]{32}$/);
      await noViolations(page, 'the enrolment');

      // A wrong first code: the same key again, the error said.
      const field = page.getByLabel('Code from your authenticator app');
      await field.fill(codeOf(secret, 0) === '000000' ? '111111' : '000000');
      await field.press('Enter');
      await page.getByRole('alert').waitFor();
      assert.match(await page.getByRole('alert').innerText(), /did not work/);
      assert.equal((await page.locator('#totp-secret').innerText()).trim(), secret);
      await noViolations(page, 'the enrolment with an error');

      await page.getByLabel('Code from your authenticator app').fill(codeOf(secret, 0));
      await page.getByLabel('Code from your authenticator app').press('Enter');
      await page.getByRole('heading', { name: 'Your backup codes' }).waitFor();
      const backupCodes = (await page.locator('.codes code').allInnerTexts()).map((text) => text.trim());
      assert.equal(backupCodes.length, 10);
      assert.match(await page.getByRole('status').innerText(), /Two-step verification is on/);
      assert.equal(new URL(page.url()).search, '', 'nothing one-time in the URL');
      await noViolations(page, 'the backup codes');
      await page.getByRole('link', { name: 'I have saved my codes' }).click();
      await page.waitForURL(security());
      assert.match(await page.locator('body').innerText(), /10 backup codes left/);
      assert.equal(await page.locator('.codes').count(), 0, 'shown once');
      await noViolations(page, 'the page, factor on');

      await signOut(page);
      // The password alone now leads to the code page.
      await openSignedOut(page, 'ann@example.com');
      await page.waitForURL((url) => url.pathname === '/api/auth/two-factor');
      await page.getByLabel('Or a backup code').fill(backupCodes[0]!);
      await page.getByRole('button', { name: 'Use backup code' }).click();
      await page.waitForURL(security());
      assert.match(await page.locator('body').innerText(), /9 backup codes left/);
      await signOut(page);

      // The same backup code again: refused, no session.
      await openSignedOut(page, 'ann@example.com');
      await page.waitForURL((url) => url.pathname === '/api/auth/two-factor');
      await page.getByLabel('Or a backup code').fill(backupCodes[0]!);
      await page.getByRole('button', { name: 'Use backup code' }).click();
      await page.waitForURL((url) => url.searchParams.get('error') === 'InvalidTwoFactorCode');
      assert.match(await page.getByRole('alert').innerText(), /did not work/);
      await page.goto(security());
      await page.waitForURL((url) => url.pathname === '/api/auth/signin', { timeout: 5000 });

      // The app's code still works; on the page the factor is turned off with a backup code (the app's next code is 30 s away).
      await passwordSignIn(page, 'ann@example.com');
      await page.waitForURL((url) => url.pathname === '/api/auth/two-factor');
      await page.getByLabel('Code', { exact: true }).fill(codeOf(secret, 1));
      await page.getByLabel('Code', { exact: true }).press('Enter');
      await page.waitForURL(security());
      await page.locator('#disable-backup').fill(backupCodes[1]!);
      await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
      await page.waitForURL((url) => url.searchParams.get('done') === 'disabled');
      assert.match(await page.getByRole('status').innerText(), /Two-step verification is off/);
      assert.equal((await adapter.twoFactorStore().getTwoFactor(ann.id)) === null, true, 'removed from storage');
      assert.deepEqual(csp, [], 'no CSP violation on any page');
    });

    test('add a passkey from the page (its script allowed by hash), rename it, remove it', async (t) => {
      browser ??= await launchChromium(t, { args: ['--host-resolver-rules=MAP localhost 127.0.0.1'] });
      if (!browser) return;
      const { page, cdp, authenticatorId } = await pageWithAuthenticator(browser);
      const csp = cspViolations(page);

      await openSignedOut(page, 'bea@example.com');
      await page.waitForURL(security());
      assert.match(await page.locator('body').innerText(), /You have no passkeys yet/);
      await page.getByLabel('Name for the new passkey (optional)').fill('Chromium');
      await page.getByLabel('Name for the new passkey (optional)').press('Enter');
      await page.waitForURL((url) => url.searchParams.get('done') === 'added');
      assert.match(await page.getByRole('status').innerText(), /Passkey added/);
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      assert.equal(credentials.length, 1);
      const stored = await adapter.authenticatorStore().listAuthenticators((await adapter.getUserByEmail('bea@example.com'))!.id);
      assert.deepEqual(
        stored.map((key) => key.name),
        ['Chromium'],
      );
      await noViolations(page, 'the page with a passkey');

      await page.getByLabel('New name for Chromium').fill('Work laptop');
      await page.getByLabel('New name for Chromium').press('Enter');
      await page.waitForURL((url) => url.searchParams.get('done') === 'renamed');
      assert.match(await page.locator('.passkeys').innerText(), /Work laptop/);

      await page.getByRole('button', { name: 'Remove Work laptop' }).click();
      await page.waitForURL((url) => url.searchParams.get('done') === 'deleted');
      assert.match(await page.locator('body').innerText(), /You have no passkeys yet/);
      assert.deepEqual(await adapter.authenticatorStore().listAuthenticators(stored[0]!.userId), []);
      assert.deepEqual(csp, [], 'no CSP violation');
    });

    test('the sign-in grown old: "Use a passkey" re-authenticates from the page (a refused dialog said in its alert), and the changes are offered again', async (t) => {
      browser ??= await launchChromium(t, { args: ['--host-resolver-rules=MAP localhost 127.0.0.1'] });
      if (!browser) return;
      const { page, cdp, authenticatorId } = await pageWithAuthenticator(browser);
      const csp = cspViolations(page);

      await openSignedOut(page, 'cy@example.com');
      await page.waitForURL(security());
      assert.equal(await page.getByRole('heading', { name: 'Confirm it is you' }).count(), 0, 'a fresh sign-in is asked nothing');
      await page.getByLabel('Name for the new passkey (optional)').press('Enter');
      await page.waitForURL((url) => url.searchParams.get('done') === 'added');

      // Eleven minutes on (the server's clock; the passkey routes' window is ten): the page asks first, and offers the passkey too.
      await later(11 * 60_000, async () => {
        await page.goto(security());
        await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Set up an authenticator app' }).count(), 0, 'no change offered while the sign-in is old');
        const usePasskey = page.getByRole('button', { name: 'Use a passkey' });
        await usePasskey.waitFor();
        assert.equal(await page.locator('#reauth-passkey-refused').isVisible(), false, 'no refusal before one');
        await noViolations(page, 'the re-authentication with a passkey');

        // The authenticator cannot verify the user: the browser refuses, the page says so and stays.
        await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
        await usePasskey.click();
        await page.getByRole('alert').waitFor();
        assert.match(await page.getByRole('alert').innerText(), /The passkey was not used/);
        assert.equal(await usePasskey.isEnabled(), true, 'the button works again');
        assert.equal(new URL(page.url()).search, '', 'nothing posted');

        await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
        await usePasskey.click();
        await page.waitForURL((url) => url.searchParams.get('done') === 'reauthenticated');
        assert.equal(await page.getByRole('heading', { name: 'Confirm it is you' }).count(), 0);
        await page.getByRole('button', { name: 'Set up an authenticator app' }).waitFor();
        await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
        await page.getByText('Scan this QR code').waitFor();
      });
      const cyId = (await adapter.getUserByEmail('cy@example.com'))!.id;
      assert.equal((await adapter.twoFactorStore().getTwoFactor(cyId))?.enabled, false, 'the enrolment started after re-authenticating');
      const [key] = await adapter.authenticatorStore().listAuthenticators(cyId);
      assert.notEqual(key?.lastUsedAt ?? null, null, 'the passkey was used');
      assert.deepEqual(csp, [], 'no CSP violation');
    });
  });
}
