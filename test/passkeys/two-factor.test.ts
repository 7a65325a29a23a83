// A passkey on the code page of a pending TOTP sign-in: that user's passkey completes it (two factors), another user's is refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { PASSKEY_SCRIPT } from '../../src/pages/passkey-script.js';
import Passkey from '../../src/providers/passkey.js';
import { Browser, type TestServer } from '../helpers/server.js';
import { addUser, ADAPTERS, answerUrl, emailPassword, enrolTotp, passkeyAnswer, passkeyOptions, sessionEmail as emailOf, tempAdapter, twoFactorServer, type TempAdapter } from '../helpers/two-factor.js';
import { SoftAuthenticator } from './soft-authenticator.js';

describe('a passkey and a pending two-factor sign-in (database sessions, SQLite)', () => {
  let db: TempAdapter<GatehouseAdapter>;
  let adapter: GatehouseAdapter;
  let server: TestServer;
  let base: string;
  let origin: string;
  let ann: AdapterUser;
  let bob: AdapterUser;
  const users = new Map<string, AdapterUser>();

  before(async () => {
    db = await tempAdapter('gatehouse-passkeys-2fa-', ADAPTERS.SQLite);
    adapter = db.adapter;
    ann = await addUser(adapter, users, 'ann@example.com', 'Ann');
    bob = await addUser(adapter, users, 'bob@example.com', 'Bob');
    server = await twoFactorServer({
      adapter,
      strategy: 'database',
      users,
      config: { url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`, providers: [emailPassword(users), Passkey()] },
    });
    base = server.base.replace('localhost', '127.0.0.1');
    origin = new URL(server.base).origin;
  });
  after(async () => {
    await server.close();
    await db.dispose();
  });

  const sessionEmail = (browser: Browser) => emailOf(browser, base);
  const answer = (browser: Browser, action: string, data: unknown, extra: Record<string, string> = {}) => passkeyAnswer(browser, base, action, data, extra);
  const options = async (browser: Browser, action: string) => (await passkeyOptions(browser, base, action)).body.options;
  const passwordStep = async (email: string) => {
    const browser = new Browser();
    const url = await answerUrl(await browser.signInWithCredentials(base, { email, password: 'pw' }));
    return { browser, url };
  };

  test('the pending user’s passkey completes the sign-in; another user’s passkey does not', async () => {
    const key = new SoftAuthenticator(origin, 'localhost');
    // Ann: a passkey, then TOTP.
    const setup = (await passwordStep(ann.email)).browser;
    const registered = await answer(setup, 'register', key.register(await options(setup, 'register')));
    assert.equal(registered.status, 200);
    await enrolTotp(setup, base);

    const { browser, url } = await passwordStep(ann.email);
    assert.equal(url.searchParams.get('error'), 'TwoFactorRequired');
    assert.equal(await sessionEmail(browser), null);
    const done = await answer(browser, 'authenticate', key.authenticate(await options(browser, 'authenticate')), { callbackUrl: `${origin}/after` });
    assert.equal(done.status, 200);
    assert.equal(((await done.json()) as { url: string }).url, `${origin}/after`);
    assert.equal(await sessionEmail(browser), ann.email);
    assert.equal([...browser.jar.keys()].includes('next-auth.two-factor'), false, 'the pending sign-in is cleared');

    // Bob's pending sign-in (bob has no factor: give him one the same way) is not Ann's to complete.
    const bobSetup = (await passwordStep(bob.email)).browser;
    await enrolTotp(bobSetup, base);
    const bobPending = await passwordStep(bob.email);
    assert.equal(bobPending.url.searchParams.get('error'), 'TwoFactorRequired');
    const refused = await answer(bobPending.browser, 'authenticate', key.authenticate(await options(bobPending.browser, 'authenticate')));
    assert.equal(refused.status, 401);
    assert.equal(await sessionEmail(bobPending.browser), null);
  });

  test('the built-in code page offers the passkey, and its form (as the page script submits it) completes the sign-in', async () => {
    const key = new SoftAuthenticator(origin, 'localhost');
    const carol = await addUser(adapter, users, 'carol@example.com', 'Carol');
    const setup = (await passwordStep(carol.email)).browser;
    assert.equal((await answer(setup, 'register', key.register(await options(setup, 'register')))).status, 200);
    await enrolTotp(setup, base);

    const { browser, url } = await passwordStep(carol.email);
    const page = await browser.fetch(url.href.replace('localhost', '127.0.0.1'));
    assert.equal(page.status, 200);
    const body = await page.text();
    const form = /<form action="([^"]+\/callback\/passkey)" method="POST">(.*?)<\/form>/s.exec(body);
    assert.ok(form, 'the code page has a passkey form');
    assert.match(form[2]!, /id="passkey-signin" data-options="[^"]+\/webauthn-options\/passkey\?action=authenticate" hidden/);
    const scriptHash = `'sha256-${createHash('sha256').update(PASSKEY_SCRIPT).digest('base64')}'`;
    assert.ok(page.headers.get('content-security-policy')!.includes(scriptHash), 'the page CSP allows its passkey script');
    // What the script does on click: the form's own fields, `data` filled with the assertion, submitted.
    const fields = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
    assert.equal(fields.action, 'authenticate');
    fields.data = JSON.stringify(key.authenticate(await options(browser, 'authenticate')));
    const done = await browser.fetch(form[1]!.replace('localhost', '127.0.0.1'), { method: 'POST', form: fields });
    assert.equal(done.status, 302);
    assert.equal(await sessionEmail(browser), carol.email);
  });
});
