// Passkey sign-up in Chromium through the built-in pages (issue 18), with a CDP virtual authenticator and real SMTP: the sign-up page's passkey form, the mailed link's page
// creating the passkey and the account, sign out, sign in with that passkey alone; JWT and database sessions on SQLite. And the refusals a person sees: an address that has an account.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Passkey from '../../src/providers/passkey.js';
import Password from '../../src/providers/password.js';
import { appWithScript, bundleClientAndWebauthn } from '../helpers/browser-bundle.js';
import { cspViolations, launchChromium, pageWithAuthenticator } from '../helpers/chromium.js';
import { SECRET, startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, transportFor, type SmtpSink } from '../helpers/smtp.js';
import { mailedLink, mailTo, TEST_SCRYPT } from '../password/helpers.js';

for (const strategy of ['jwt', 'database'] as const) {
  describe(`passkey sign-up in Chromium (${strategy} sessions, SQLite, SMTP)`, () => {
    let dir: string;
    let adapter: GatehouseAdapter;
    let smtp: SmtpSink;
    let server: TestServer;
    let script: string;
    let browser: Browser | undefined;
    let ann: AdapterUser;
    let origin: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gatehouse-passkey-signup-browser-'));
      adapter = sqliteAdapter(join(dir, 'auth.sqlite'));
      await adapter.migrate();
      smtp = await startSmtp();
      ann = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: new Date() });
      server = await startServer(
        {
          secret: SECRET,
          adapter,
          session: { strategy },
          rateLimit: false,
          // WebAuthn needs a secure context: http://localhost is one, and the RP ID is the configured URL's host.
          url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`,
          providers: [Password({ server: transportFor(smtp), from: 'Gatehouse <auth@example.com>', scrypt: TEST_SCRYPT }), Passkey({ rpName: 'Acme' })],
        },
        appWithScript(() => script),
      );
      origin = new URL(server.base).origin;
      script = await bundleClientAndWebauthn();
    });
    after(async () => {
      await browser?.close();
      await server.close();
      await smtp.close();
      await adapter.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function open(t: TestContext) {
      browser ??= await launchChromium(t, { args: ['--host-resolver-rules=MAP localhost 127.0.0.1'] });
      if (!browser) return undefined;
      const { page, cdp, authenticatorId } = await pageWithAuthenticator(browser);
      const violations = cspViolations(page);
      const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
      return { page, credentials, violations };
    }

    /** Fills the sign-up page's passkey form and submits it: the page lands on "check your email". */
    async function submitPasskeyForm(page: Page, email: string, name = ''): Promise<number> {
      const before = smtp.mails.length;
      await page.goto(`${server.base}/signup?${new URLSearchParams({ callbackUrl: `${origin}/app` })}`);
      await page.locator('#signup-passkey-email').fill(email);
      if (name) await page.locator('#signup-passkey-name').fill(name);
      await page.getByRole('button', { name: 'Sign up with a passkey' }).click();
      await page.waitForURL(/\/verify-request\?provider=password&type=signup$/);
      return before;
    }

    const sessionEmail = async (page: Page) => {
      await page.waitForFunction(() => (window as any).gh !== undefined);
      return ((await page.evaluate(() => (window as any).gh.getSession())) as { user?: { email?: string } } | null)?.user?.email ?? null;
    };

    test('sign up with a passkey on the built-in pages, sign out, sign in with that passkey alone', async (t) => {
      const opened = await open(t);
      if (!opened) return;
      const { page, credentials, violations } = opened;
      const email = `chromium-${strategy}@example.com`;
      const before = await submitPasskeyForm(page, email, 'Chrome User');
      const link = mailedLink(mailTo(smtp, email, before), 'signup/passkey');

      await page.goto(link.href);
      assert.equal(await page.locator('#passkey-unsupported').isVisible(), false, 'this browser can create passkeys: the note is hidden');
      const create = page.getByRole('button', { name: 'Create passkey' });
      await create.waitFor({ state: 'visible' });
      await create.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${origin}/app`);
      assert.equal(await sessionEmail(page), email);
      const stored = await credentials();
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.isResidentCredential, true, 'a discoverable credential');
      assert.equal(stored[0]!.rpId, 'localhost');
      const user = await adapter.getUserByEmail(email);
      assert.equal(user?.name, 'Chrome User');
      assert.ok(user?.emailVerified instanceof Date);
      assert.deepEqual(
        (await adapter.authenticatorStore!().listAuthenticators(user.id)).map((record) => record.credentialID),
        [Buffer.from(stored[0]!.credentialId, 'base64').toString('base64url')],
      );

      await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));
      assert.equal(await sessionEmail(page), null);
      await page.goto(`${server.base}/signin?${new URLSearchParams({ callbackUrl: `${origin}/app` })}`);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL(`${origin}/app`);
      assert.equal(await sessionEmail(page), email);
      assert.deepEqual(violations, []);
      await page.context().close();
    });

    test('an app’s own page finishes the sign-up with signUpWithPasskey({ token }); the spent link then answers Verification', async (t) => {
      const opened = await open(t);
      if (!opened) return;
      const { page, credentials } = opened;
      const email = `own-page-${strategy}@example.com`;
      const before = await submitPasskeyForm(page, email);
      const token = mailedLink(mailTo(smtp, email, before), 'signup/passkey').searchParams.get('token')!;
      await page.goto(`${origin}/app`);
      await page.waitForFunction(() => (window as any).wa !== undefined);
      const done = (await page.evaluate((value) => (window as any).wa.signUpWithPasskey({ token: value, redirect: false, name: 'Laptop' }), token)) as { ok: boolean; url: string; error: string | null };
      assert.deepEqual(done, { ok: true, status: 200, url: `${origin}/app`, error: null });
      assert.equal(await sessionEmail(page), email);
      assert.equal((await credentials()).length, 1);
      const listed = (await page.evaluate(() => (window as any).wa.listPasskeys())) as Array<{ name: string }>;
      assert.deepEqual(
        listed.map((passkey) => passkey.name),
        ['Laptop'],
      );
      const again = (await page.evaluate((value) => (window as any).wa.signUpWithPasskey({ token: value, redirect: false }), token)) as { ok: boolean; error: string | null };
      assert.deepEqual([again.ok, again.error], [false, 'Verification']);
      assert.equal((await credentials()).length, 1, 'the authenticator is not asked for a spent link');
      await page.context().close();
    });

    test('an address that has an account: the same page, a mail that says so, and no passkey made or attached', async (t) => {
      const opened = await open(t);
      if (!opened) return;
      const { page, credentials } = opened;
      const before = await submitPasskeyForm(page, ann.email);
      const mail = mailTo(smtp, ann.email, before);
      assert.match(mail.decoded, /already has one/);
      assert.doesNotMatch(mail.decoded, /signup\/passkey/);
      assert.deepEqual(await credentials(), []);
      assert.deepEqual(await adapter.authenticatorStore!().listAuthenticators(ann.id), []);

      // The address gets an account between the mail and the click: the page says so, and the authenticator is never asked.
      const late = `late-chromium-${strategy}@example.com`;
      const sent = await submitPasskeyForm(page, late);
      const link = mailedLink(mailTo(smtp, late, sent), 'signup/passkey');
      const taken = await adapter.createUser({ email: late, name: null, emailVerified: null });
      await page.goto(link.href);
      await page.getByRole('button', { name: 'Create passkey' }).click();
      await page.waitForURL(/\/signup\?error=EmailInUse/);
      assert.match((await page.getByRole('alert').textContent()) ?? '', /An account with this email already exists/);
      assert.deepEqual(await credentials(), []);
      assert.deepEqual(await adapter.authenticatorStore!().listAuthenticators(taken.id), []);
      await page.context().close();
    });
  });
}
