// Passkey sign-in refusals in Chromium with CDP virtual authenticators (issue 18): a challenge another browser asked for, another user's passkey on a pending sign-in's code page, a challenge answered twice, a page on another
// origin (another port: the server refuses the origin; another host: the browser refuses the RP ID), and an authenticator without user verification when the provider requires it.
// Each refusal is matched to its logged reason, so a refusal for another cause does not pass. (A deleted passkey is refused in chromium.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { totpStep } from '../../src/core/totp.js';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Credentials from '../../src/providers/credentials.js';
import Passkey from '../../src/providers/passkey.js';
import type { AuthConfig } from '../../src/types.js';
import { appWithScript, bundleClientAndWebauthn } from '../helpers/browser-bundle.js';
import { launchChromium, pageWithAuthenticator } from '../helpers/chromium.js';
import { SECRET, startServer, type TestServer } from '../helpers/server.js';

const UV_AUTHENTICATOR = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } as const;

/** The words of a logged refusal: its code and its cause's message. */
function words(code: string, metadata: unknown): string {
  const seen = (value: unknown): string =>
    value instanceof Error ? `${value.message} ${seen(value.cause)}` : value && typeof value === 'object' ? Object.values(value).map(seen).join(' ') : value === undefined ? '' : String(value);
  return `${code} ${seen(metadata)}`;
}

/** In the page: a passkey assertion over `options` (JSON), its toJSON() as text; `override` replaces members of the options (what a tampering client asks for). */
const assertion = (page: Page, options: unknown, override: Record<string, unknown> = {}) =>
  page.evaluate(
    async ([json, changes]) => {
      const P = PublicKeyCredential as unknown as { parseRequestOptionsFromJSON(o: unknown): PublicKeyCredentialRequestOptions };
      const credential = (await navigator.credentials.get({ publicKey: P.parseRequestOptionsFromJSON({ ...(json as object), ...changes }) })) as PublicKeyCredential & { toJSON(): unknown };
      return JSON.stringify(credential.toJSON());
    },
    [options, override] as const,
  );

/** In the page: POST callback/passkey with `data` as the built-in form would, in JSON mode; the answered URL. */
const answer = (page: Page, data: string) =>
  page.evaluate(async (body) => {
    const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
    const response = await fetch('/api/auth/callback/passkey', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Auth-Return-Redirect': '1' },
      body: new URLSearchParams({ action: 'authenticate', data: body, csrfToken, callbackUrl: `${location.origin}/done` }),
    });
    return ((await response.json()) as { url: string }).url;
  }, data);

const requestOptions = (page: Page) => page.evaluate(async () => ((await (await fetch('/api/auth/webauthn-options/passkey?action=authenticate')).json()) as { options: unknown }).options);
const sessionEmail = async (page: Page) => ((await page.evaluate(() => (window as any).gh.getSession())) as { user?: { email?: string } } | null)?.user?.email ?? null;

describe('passkey refusals in Chromium (SQLite, JWT sessions)', () => {
  let dir: string;
  let adapter: GatehouseAdapter;
  let server: TestServer;
  let elsewhere: TestServer;
  let script: string;
  let browser: Browser | undefined;
  let ann: AdapterUser;
  let bob: AdapterUser;
  let origin: string;
  const logs: string[] = [];
  const logsSince = (mark: number) => logs.slice(mark).join('\n');

  const config = (url: string | ((o: string) => string)): Omit<AuthConfig, 'url'> & { url: string | ((o: string) => string) } => ({
    secret: SECRET,
    adapter,
    rateLimit: false,
    twoFactor: { issuer: 'Acme' },
    url,
    logger: { warn: (code, metadata) => void logs.push(words(code, metadata)), error: (code, metadata) => void logs.push(words(code, metadata)), debug: () => {} },
    providers: [
      Credentials({
        credentials: { email: { label: 'Email' }, password: { type: 'password' } },
        authorize: async ({ email, password }) => (password !== 'pw' ? null : email === ann.email ? ann : email === bob.email ? bob : null),
      }),
      Passkey({ rpName: 'Acme' }),
    ],
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-passkey-refusals-'));
    adapter = sqliteAdapter(join(dir, 'auth.sqlite'));
    await adapter.migrate();
    ann = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: null });
    bob = await adapter.createUser({ email: 'bob@example.com', name: 'Bob', emailVerified: null });
    // WebAuthn needs a secure context: http://localhost is one, and the RP ID is the configured URL's host.
    server = await startServer(
      config((o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`),
      appWithScript(() => script),
    );
    origin = new URL(server.base).origin;
    // The same app on another port, configured with the first one's URL: a page there is another origin of the same RP ID.
    elsewhere = await startServer(
      config(server.base),
      appWithScript(() => script),
    );
    script = await bundleClientAndWebauthn();
  });
  after(async () => {
    await browser?.close();
    await elsewhere.close();
    await server.close();
    await adapter.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A page in its own context (its own cookies) at `url`, with a virtual authenticator. */
  async function openPage(t: TestContext, url: string, authenticator: Record<string, unknown> = UV_AUTHENTICATOR): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string } | undefined> {
    browser ??= await launchChromium(t, { args: ['--host-resolver-rules=MAP localhost 127.0.0.1'] });
    if (!browser) return undefined;
    const { page, cdp, authenticatorId } = await pageWithAuthenticator(browser, authenticator);
    await page.goto(url);
    await page.waitForFunction(() => (window as any).wa !== undefined);
    return { page, cdp, authenticatorId };
  }

  /** Ann's passkey on this page's authenticator, registered while signed in with her password; signed out after. */
  async function withPasskey(page: Page): Promise<void> {
    assert.equal(((await page.evaluate(() => (window as any).gh.signIn('credentials', { email: 'ann@example.com', password: 'pw', redirect: false }))) as { ok: boolean }).ok, true);
    await page.evaluate(() => (window as any).wa.registerPasskey({ name: 'Chromium' }));
    await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));
  }

  test('a challenge another browser asked for is refused; the same passkey over its own challenge signs in', async (t) => {
    const mine = await openPage(t, `${origin}/app`);
    if (!mine) return;
    await withPasskey(mine.page);
    const other = await openPage(t, `${origin}/app`);
    const foreignOptions = await requestOptions(other!.page);

    const mark = logs.length;
    const refused = await answer(mine.page, await assertion(mine.page, foreignOptions));
    assert.equal(new URL(refused).searchParams.get('error'), 'PasskeySignin');
    assert.match(logsSince(mark), /foreign challenge/);
    assert.equal(await sessionEmail(mine.page), null);

    const accepted = await answer(mine.page, await assertion(mine.page, await requestOptions(mine.page)));
    assert.equal(accepted, `${origin}/done`);
    assert.equal(await sessionEmail(mine.page), ann.email);
    await mine.page.context().close();
    await other!.page.context().close();
  });

  test('on the code page of a pending sign-in, another user’s passkey is refused and starts no session', async (t) => {
    const opened = await openPage(t, `${origin}/app`);
    if (!opened) return;
    const { page } = opened;
    await withPasskey(page);
    const bobSignsIn = () => page.evaluate(() => (window as any).gh.signIn('credentials', { email: 'bob@example.com', password: 'pw', redirect: false }));
    assert.equal(((await bobSignsIn()) as { ok: boolean }).ok, true);
    const enabled = (await page.evaluate(() => (window as any).gh.enableTwoFactor())) as { data: { secret: string } };
    const code = generateHOTP(decodeBase32IgnorePadding(enabled.data.secret), BigInt(totpStep(Date.now())), 6);
    assert.equal(((await page.evaluate((c) => (window as any).gh.confirmTwoFactor(c), code)) as { ok: boolean }).ok, true);
    await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));

    assert.equal(((await bobSignsIn()) as { error: string | null }).error, 'TwoFactorRequired');
    await page.goto(`${server.base}/two-factor?${new URLSearchParams({ callbackUrl: `${origin}/app` })}`);
    const mark = logs.length;
    // The authenticator holds Ann's passkey only: a valid assertion, of the wrong user for Bob's pending sign-in.
    await page.getByRole('button', { name: 'Use a passkey instead' }).click();
    await page.waitForURL(/\/signin\?error=PasskeySignin/);
    assert.match(logsSince(mark), /the passkey belongs to another user than the pending sign-in/);
    await page.goto(`${origin}/app`);
    await page.waitForFunction(() => (window as any).gh !== undefined);
    assert.equal(await sessionEmail(page), null, 'neither Ann nor Bob is signed in');
    await page.context().close();
  });

  test('a challenge answers once: a second assertion over it, and the first sent again, are refused', async (t) => {
    const opened = await openPage(t, `${origin}/app`);
    if (!opened) return;
    const { page } = opened;
    await withPasskey(page);
    const options = await requestOptions(page);
    const first = await assertion(page, options);
    const second = await assertion(page, options);
    assert.equal(await answer(page, first), `${origin}/done`);
    await page.evaluate(() => (window as any).gh.signOut({ redirect: false }));

    for (const replay of [second, first]) {
      const mark = logs.length;
      const url = await answer(page, replay);
      assert.equal(new URL(url).searchParams.get('error'), 'PasskeySignin');
      assert.match(logsSince(mark), /unknown, spent, expired or foreign challenge/);
      assert.equal(await sessionEmail(page), null);
    }
    await page.context().close();
  });

  test('a page on another port (another origin, same RP ID) gets assertions the server refuses for their origin', async (t) => {
    const opened = await openPage(t, `${origin}/app`);
    if (!opened) return;
    await withPasskey(opened.page);
    const { credentials } = await opened.cdp.send('WebAuthn.getCredentials', { authenticatorId: opened.authenticatorId });
    const away = await openPage(t, `http://localhost:${elsewhere.port}/app`);
    await away!.cdp.send('WebAuthn.addCredential', { authenticatorId: away!.authenticatorId, credential: credentials[0]! });

    const mark = logs.length;
    const result = (await away!.page.evaluate(() => (window as any).wa.signInWithPasskey({ redirect: false }))) as { ok: boolean; error: string | null };
    assert.equal(result.error, 'PasskeySignin');
    assert.match(logsSince(mark), new RegExp(`Unexpected authentication response origin "http://localhost:${elsewhere.port}", expected "${origin}"`));
    assert.equal(await sessionEmail(away!.page), null);
    await away!.page.context().close();
    await opened.page.context().close();
  });

  test('a page on another host (127.0.0.1, not the configured localhost): the browser refuses the RP ID and no session starts', async (t) => {
    const opened = await openPage(t, `${server.origin}/app`);
    if (!opened) return;
    const outcome = await opened.page.evaluate(() =>
      (window as any).wa.signInWithPasskey({ redirect: false }).then(
        () => 'resolved',
        (error: Error) => error.name,
      ),
    );
    assert.equal(outcome, 'SecurityError');
    assert.equal(await sessionEmail(opened.page), null);
    await opened.page.context().close();
  });

  test('user verification required: an authenticator without it cannot sign in, and an assertion without UV is refused', async (t) => {
    const opened = await openPage(t, `${origin}/app`);
    if (!opened) return;
    await withPasskey(opened.page);
    const { credentials } = await opened.cdp.send('WebAuthn.getCredentials', { authenticatorId: opened.authenticatorId });
    // The same credential on an authenticator that has no user verification (no PIN, no biometrics).
    const bare = await openPage(t, `${origin}/app`, { ...UV_AUTHENTICATOR, hasUserVerification: false, isUserVerified: false });
    await bare!.cdp.send('WebAuthn.addCredential', { authenticatorId: bare!.authenticatorId, credential: credentials[0]! });

    const asked = await bare!.page.evaluate(() =>
      (window as any).wa.signInWithPasskey({ redirect: false }).then(
        () => 'resolved',
        (error: Error) => error.name,
      ),
    );
    assert.equal(asked, 'NotAllowedError', 'the browser does not offer a passkey it cannot verify the user for');
    // A client that asks for less than the options say: the authenticator answers without UV, the server refuses it.
    // (It names the credential: Chromium refuses a discoverable request with an empty allow list on an authenticator without UV.)
    const mark = logs.length;
    const id = Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url');
    const url = await answer(bare!.page, await assertion(bare!.page, await requestOptions(bare!.page), { userVerification: 'discouraged', allowCredentials: [{ id, type: 'public-key' }] }));
    assert.equal(new URL(url).searchParams.get('error'), 'PasskeySignin');
    assert.match(logsSince(mark), /User verification required, but user could not be verified/);
    assert.equal(await sessionEmail(bare!.page), null);
    await bare!.page.context().close();
    await opened.page.context().close();
  });
});
