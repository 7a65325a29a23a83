// A passkey on the code page of a pending TOTP sign-in: that user's passkey completes it (two factors), another user's is refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { totpStep } from '../../src/core/totp.js';
import { PASSKEY_SCRIPT } from '../../src/pages/passkey-script.js';
import Credentials from '../../src/providers/credentials.js';
import Passkey from '../../src/providers/passkey.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { SoftAuthenticator } from './soft-authenticator.js';

describe('a passkey and a pending two-factor sign-in (database sessions, SQLite)', () => {
  let dir: string;
  let adapter: GatehouseAdapter;
  let server: TestServer;
  let base: string;
  let origin: string;
  let ann: AdapterUser;
  let bob: AdapterUser;
  const users = new Map<string, AdapterUser>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-passkeys-2fa-'));
    adapter = sqliteAdapter(join(dir, 'auth.sqlite'));
    await adapter.migrate();
    ann = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: null });
    bob = await adapter.createUser({ email: 'bob@example.com', name: 'Bob', emailVerified: null });
    for (const user of [ann, bob]) users.set(user.email, user);
    server = await startServer({
      secret: SECRET,
      adapter,
      session: { strategy: 'database' },
      rateLimit: false,
      twoFactor: { issuer: 'Acme' },
      url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`,
      providers: [
        Credentials({ credentials: { email: { label: 'Email' }, password: { type: 'password' } }, authorize: async ({ email, password }) => (password === 'pw' ? (users.get(String(email)) ?? null) : null) }),
        Passkey(),
      ],
    });
    base = server.base.replace('localhost', '127.0.0.1');
    origin = new URL(server.base).origin;
  });
  after(async () => {
    await server.close();
    await adapter.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sessionEmail = async (browser: Browser) => ((await (await browser.fetch(`${base}/session`)).json()) as { user?: { email?: string } }).user?.email ?? null;
  const post = async (browser: Browser, path: string, fields: Record<string, string>) => browser.fetch(`${base}/${path}`, { method: 'POST', json: { ...fields, csrfToken: await browser.csrfToken(base) } });
  const answer = async (browser: Browser, action: string, data: unknown, extra: Record<string, string> = {}) =>
    browser.fetch(`${base}/callback/passkey`, { method: 'POST', form: { action, data: JSON.stringify(data), csrfToken: await browser.csrfToken(base), json: 'true', ...extra } });
  const options = async (browser: Browser, action: string) => ((await (await browser.fetch(`${base}/webauthn-options/passkey?action=${action}`)).json()) as { options: any }).options;
  const passwordStep = async (email: string) => {
    const browser = new Browser();
    const response = await browser.signInWithCredentials(base, { email, password: 'pw' });
    const url = new URL(((await response.json()) as { url: string }).url);
    return { browser, url };
  };

  test('the pending user’s passkey completes the sign-in; another user’s passkey does not', async () => {
    const key = new SoftAuthenticator(origin, 'localhost');
    // Ann: a passkey, then TOTP.
    const setup = (await passwordStep(ann.email)).browser;
    const registered = await answer(setup, 'register', key.register(await options(setup, 'register')));
    assert.equal(registered.status, 200);
    const { secret } = (await (await post(setup, 'two-factor/enable', {})).json()) as { secret: string };
    const code = generateHOTP(decodeBase32IgnorePadding(secret), BigInt(totpStep(Date.now())), 6);
    assert.equal((await post(setup, 'two-factor/verify', { code })).status, 200);

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
    const bobKey = (await (await post(bobSetup, 'two-factor/enable', {})).json()) as { secret: string };
    assert.equal((await post(bobSetup, 'two-factor/verify', { code: generateHOTP(decodeBase32IgnorePadding(bobKey.secret), BigInt(totpStep(Date.now())), 6) })).status, 200);
    const bobPending = await passwordStep(bob.email);
    assert.equal(bobPending.url.searchParams.get('error'), 'TwoFactorRequired');
    const refused = await answer(bobPending.browser, 'authenticate', key.authenticate(await options(bobPending.browser, 'authenticate')));
    assert.equal(refused.status, 401);
    assert.equal(await sessionEmail(bobPending.browser), null);
  });

  test('the built-in code page offers the passkey, and its form (as the page script submits it) completes the sign-in', async () => {
    const key = new SoftAuthenticator(origin, 'localhost');
    const carol = await adapter.createUser({ email: 'carol@example.com', name: 'Carol', emailVerified: null });
    users.set(carol.email, carol);
    const setup = (await passwordStep(carol.email)).browser;
    assert.equal((await answer(setup, 'register', key.register(await options(setup, 'register')))).status, 200);
    const { secret } = (await (await post(setup, 'two-factor/enable', {})).json()) as { secret: string };
    assert.equal((await post(setup, 'two-factor/verify', { code: generateHOTP(decodeBase32IgnorePadding(secret), BigInt(totpStep(Date.now())), 6) })).status, 200);

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
