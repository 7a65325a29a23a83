// Issue 18: the account-security page over HTTP (JWT and database sessions, SQLite): GET `security`, and the page mode of the two-factor, passkey and reauthenticate routes (form posts answered with the page or a redirect to it; JSON callers unchanged).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Passkey from '../../src/providers/passkey.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { ADAPTERS, codeOf, emailPassword, passkeyAnswer, passkeyOptions, postJson as postJsonTo, tempAdapter, type TempAdapter } from '../helpers/two-factor.js';
import { SoftAuthenticator } from '../passkeys/soft-authenticator.js';

/** Older than both windows (twoFactor.recentSignIn 600 s, the passkey routes' 10 minutes). */
const STALE_MS = 11 * 60 * 1000;

for (const strategy of ['jwt', 'database'] as const) {
  describe(`issue 18: the security page over HTTP (${strategy} sessions, SQLite)`, () => {
    let temp: TempAdapter<GatehouseAdapter>;
    let adapter: GatehouseAdapter;
    let server: TestServer;
    let base: string;
    let origin: string;
    const users = new Map<string, AdapterUser>();
    const logged: string[] = [];

    before(async () => {
      temp = await tempAdapter('gatehouse-security-page-', ADAPTERS.SQLite);
      adapter = temp.adapter;
      for (const email of ['ann@example.com', 'bob@example.com', 'cy@example.com', 'di@example.com']) users.set(email, await adapter.createUser({ email, name: email, emailVerified: null }));
      const log = (...args: unknown[]) => void logged.push(JSON.stringify(args, (_key, value: unknown) => (value instanceof Error ? value.message : value)));
      server = await startServer({
        secret: SECRET,
        adapter,
        session: { strategy },
        rateLimit: false,
        debug: true,
        logger: { error: log, warn: log, debug: log },
        twoFactor: { issuer: 'Acme' },
        // The RP ID is the configured URL's host: localhost.
        url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`,
        providers: [emailPassword(users, (email) => `pw-${email}`), Passkey({ rpName: 'Acme' })],
      });
      base = server.base.replace('localhost', '127.0.0.1');
      origin = new URL(server.base).origin;
    });
    after(async () => {
      await server.close();
      await temp.dispose();
    });

    const user = (email: string) => users.get(email)!;
    const signIn = async (email: string) => {
      const browser = new Browser();
      assert.equal((await browser.signInWithCredentials(base, { email, password: `pw-${email}` })).status, 200);
      return browser;
    };
    /** A form post as the page's forms send it: form-encoded, no `json`, the page's CSRF token unless `csrf: false`. */
    const submit = async (browser: Browser, path: string, fields: Record<string, string> = {}, { csrf = true } = {}) =>
      browser.fetch(`${base}/${path}`, { method: 'POST', form: { ...(csrf ? { csrfToken: await browser.csrfToken(base) } : {}), ...fields } });
    const postJson = (browser: Browser, path: string, fields: Record<string, string> = {}) => postJsonTo(browser, base, path, fields);
    const page = async (browser: Browser, query = '') => {
      const response = await browser.fetch(`${base}/security${query}`);
      assert.equal(response.status, 200);
      return response.text();
    };
    const location = (response: Response) => {
      assert.equal(response.status, 302, `a redirect, not ${response.status}`);
      return new URL(response.headers.get('location')!, base);
    };
    const formsOf = (html: string) => [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((match) => new URL(match[1]!.replace(/&amp;/g, '&')).pathname.replace('/api/auth/', ''));
    const secretOn = (html: string) => /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(html)?.[1];
    const codesOn = (html: string) => [...html.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1]!);

    test('signed out: GET security and a form post go to the sign-in page, which comes back to security', async () => {
      const back = `${base.replace('127.0.0.1', 'localhost')}/security`;
      const visitor = new Browser();
      const signin = location(await visitor.fetch(`${base}/security`));
      assert.equal(signin.pathname, '/api/auth/signin');
      assert.equal(signin.searchParams.get('callbackUrl'), back);
      const posted = location(await submit(visitor, 'two-factor/enable'));
      assert.equal(posted.pathname, '/api/auth/signin');
      assert.equal(posted.searchParams.get('callbackUrl'), back);
      assert.equal((await postJson(visitor, 'two-factor/enable')).status, 401, 'JSON: 401 as before');
    });

    test('enrol from the page: key and QR on the answer only, a wrong first code shows the same key again, the right one the ten backup codes', async () => {
      const ann = await signIn('ann@example.com');
      const first = await page(ann);
      assert.match(first, /<h1>Account security<\/h1>/);
      assert.match(first, /Two-step verification is off/);
      assert.deepEqual(
        formsOf(first).filter((action) => action.startsWith('two-factor')),
        ['two-factor/enable'],
      );
      assert.equal(formsOf(first).includes('reauthenticate'), false, 'a fresh sign-in needs no re-authentication');

      const enabled = await submit(ann, 'two-factor/enable');
      assert.equal(enabled.status, 200);
      assert.equal(enabled.headers.get('cache-control'), 'no-store');
      const enrolPage = await enabled.text();
      const secret = secretOn(enrolPage);
      assert.ok(secret && /^[A-Z2-7]{32}$/.test(secret), 'the key in text for typing it in');
      assert.match(enrolPage, /<div class="qr" aria-hidden="true"><svg [^>]*viewBox/);
      assert.deepEqual(
        formsOf(enrolPage).filter((action) => action.startsWith('two-factor')),
        ['two-factor/verify'],
      );
      assert.match(enrolPage, /<label for="enrol-code">Code from your authenticator app<\/label><input id="enrol-code" name="code"/);
      assert.equal((await adapter.twoFactorStore().getTwoFactor(user('ann@example.com').id))?.enabled, false, 'not on before the first code');

      const wrong = await submit(ann, 'two-factor/verify', { code: codeOf(secret, 1) === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 400);
      const retry = await wrong.text();
      assert.equal(secretOn(retry), secret, 'the key already in the app stays the one to confirm');
      assert.match(retry, /<div class="error" id="security-error" role="alert"><p>That code did not work/);
      assert.match(retry, /id="enrol-code"[^>]*aria-invalid="true" aria-describedby="security-error"/);

      const verified = await submit(ann, 'two-factor/verify', { code: codeOf(secret) });
      assert.equal(verified.status, 200);
      const codesPage = await verified.text();
      const codes = codesOn(codesPage);
      assert.equal(codes.length, 10);
      assert.match(codesPage, /<div class="notice" role="status"><p>Two-step verification is on\./);
      assert.match(codesPage, /will not be shown again/);
      assert.equal(secretOn(codesPage), undefined);
      assert.deepEqual(await (await ann.fetch(`${base}/two-factor/status`)).json(), { enabled: true, backupCodesLeft: 10 });

      const after = await page(ann);
      assert.match(after, /Two-step verification is on\. 10 backup codes left\./);
      assert.deepEqual(codesOn(after), [], 'the codes are not on the page again');
      assert.deepEqual(
        formsOf(after).filter((action) => action.startsWith('two-factor')),
        ['two-factor/backup-codes', 'two-factor/disable'],
      );

      // A backup code from the page works, once: the JSON re-authentication spends it.
      assert.equal((await postJson(ann, 'reauthenticate', { backupCode: codes[0]! })).status, 200);
      assert.equal((await postJson(ann, 'reauthenticate', { backupCode: codes[0]! })).status, 400);

      const regenerated = await submit(ann, 'two-factor/backup-codes', { code: codeOf(secret, 1) });
      assert.equal(regenerated.status, 200);
      const fresh = codesOn(await regenerated.text());
      assert.equal(fresh.length, 10);
      assert.equal(
        fresh.some((code) => codes.includes(code)),
        false,
        'new codes',
      );
      assert.equal((await postJson(ann, 'reauthenticate', { backupCode: codes[1]! })).status, 400, 'the old codes stopped working');

      // Nothing one-time reached a URL or the log.
      for (const value of [secret, ...codes, ...fresh])
        assert.equal(
          logged.some((line) => line.includes(value)),
          false,
          'not logged',
        );
    });

    test('a form post without the CSRF token changes nothing and comes back with the reason; with a wrong code, the error is shown', async () => {
      const bob = await signIn('bob@example.com');
      const refused = location(await submit(bob, 'two-factor/enable', {}, { csrf: false }));
      assert.equal(refused.pathname, '/api/auth/security');
      assert.equal(refused.searchParams.get('error'), 'MissingCSRF');
      assert.equal(await adapter.twoFactorStore().getTwoFactor(user('bob@example.com').id), null, 'no key was made');
      assert.match(await page(bob, '?error=MissingCSRF'), /role="alert"><p>The form expired/);
      assert.equal(location(await submit(bob, 'passkeys/rename', { id: 'x', name: 'y' }, { csrf: false })).searchParams.get('error'), 'MissingCSRF');
      assert.equal(location(await submit(bob, 'reauthenticate', { password: 'pw-bob@example.com' }, { csrf: false })).searchParams.get('error'), 'MissingCSRF');
      // JSON callers: the 403s of before.
      const noToken = await bob.fetch(`${base}/two-factor/enable`, { method: 'POST', json: {} });
      assert.deepEqual([noToken.status, await noToken.json()], [403, {}]);
      const jsonForm = await bob.fetch(`${base}/passkeys/rename`, { method: 'POST', form: { id: 'x', name: 'y', json: 'true' } });
      assert.deepEqual([jsonForm.status, await jsonForm.json()], [403, { error: 'MissingCSRF' }]);

      // An unknown error code in the query is no message; a known one is the fixed text, never the query.
      assert.doesNotMatch(await page(bob, '?error=%3Cb%3Ehi'), /role="alert"/);
      const secret = secretOn(await (await submit(bob, 'two-factor/enable')).text())!;
      assert.equal((await submit(bob, 'two-factor/verify', { code: codeOf(secret) })).status, 200);
      const wrongDisable = location(await submit(bob, 'two-factor/disable', { code: '000000' === codeOf(secret, 1) ? '111111' : '000000' }));
      assert.equal(wrongDisable.searchParams.get('error'), 'InvalidTwoFactorCode');
      assert.match(await page(bob, wrongDisable.search), /role="alert"><p>That code did not work/);
      assert.equal((await adapter.twoFactorStore().getTwoFactor(user('bob@example.com').id))?.enabled, true, 'still on');

      // Past the five code attempts: back to the page with RateLimited (thrown by the flow, redirected by the handler to this form), the wait said.
      const wrongCode = codeOf(secret, 1) === '000000' ? '111111' : '000000';
      const errors: Array<string | null> = [];
      for (let i = 0; i < 5; i++) errors.push(location(await submit(bob, 'two-factor/backup-codes', { code: wrongCode })).searchParams.get('error'));
      assert.deepEqual(errors, ['InvalidTwoFactorCode', 'InvalidTwoFactorCode', 'InvalidTwoFactorCode', 'InvalidTwoFactorCode', 'RateLimited']);
      const limited = await submit(bob, 'two-factor/backup-codes', { code: codeOf(secret, 1) });
      assert.equal(location(limited).pathname, '/api/auth/security');
      assert.equal(location(limited).searchParams.get('error'), 'RateLimited', 'even the right code waits');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.match(await page(bob, location(limited).search), /role="alert"><p>Too many attempts/);
    });

    test('a sign-in older than the window: the page asks to re-authenticate first, the routes refuse, the form restores them', async () => {
      const cy = await signIn('cy@example.com');
      const secret = secretOn(await (await submit(cy, 'two-factor/enable')).text())!;
      assert.equal((await submit(cy, 'two-factor/verify', { code: codeOf(secret) })).status, 200);
      await later(STALE_MS, async () => {
        const stale = await page(cy);
        assert.match(stale, /<h2 id="reauth-heading">Confirm it is you<\/h2>/);
        assert.deepEqual(
          formsOf(stale).filter((action) => action.startsWith('two-factor') || action === 'reauthenticate'),
          ['reauthenticate'],
          'no change offered that would be refused',
        );
        assert.match(stale, /<label for="reauth-password">Password<\/label><input id="reauth-password" type="password" name="password" autocomplete="current-password">/);
        assert.match(stale, /<label for="reauth-code">Or a code from your authenticator app<\/label>/);
        assert.doesNotMatch(stale, /id="reauth-passkey"/, 'no passkey of hers to use: no passkey button');

        const refused = location(await submit(cy, 'two-factor/disable', { code: codeOf(secret, 1) }));
        assert.equal(refused.searchParams.get('error'), 'RecentSignInRequired');
        assert.match(await page(cy, refused.search), /role="alert"><p>Confirm it is you first/);

        const wrong = location(await submit(cy, 'reauthenticate', { password: 'nope' }));
        assert.equal(wrong.pathname, '/api/auth/security');
        assert.equal(wrong.searchParams.get('error'), 'CredentialsSignin');
        assert.match(await page(cy, wrong.search), /id="reauth-password"[^>]*aria-invalid="true"/);
        assert.equal(location(await submit(cy, 'reauthenticate', {})).searchParams.get('error'), 'FactorRequired');
        // A passkey assertion that proves nothing (the page's passkey form posts the same field): back with the reason.
        const noPasskey = location(await submit(cy, 'reauthenticate', { passkey: '{}' }));
        assert.equal(noPasskey.searchParams.get('error'), 'PasskeySignin');
        assert.match(await page(cy, noPasskey.search), /role="alert"><p>That passkey did not work/);

        const done = location(await submit(cy, 'reauthenticate', { password: 'pw-cy@example.com' }));
        assert.equal(done.searchParams.get('done'), 'reauthenticated');
        const fresh = await page(cy, done.search);
        assert.match(fresh, /role="status"><p>Thanks, you can change your settings now/);
        assert.equal(formsOf(fresh).includes('reauthenticate'), false);
        const disabled = location(await submit(cy, 'two-factor/disable', { code: codeOf(secret, 1) }));
        assert.equal(disabled.searchParams.get('done'), 'disabled');
        assert.match(await page(cy, disabled.search), /role="status"><p>Two-step verification is off\./);
      });
      assert.deepEqual(await (await cy.fetch(`${base}/two-factor/status`)).json(), { enabled: false, backupCodesLeft: 0 });
    });

    test('passkeys on the page: listed, renamed and removed by form posts; JSON callers get JSON', async () => {
      const di = await signIn('di@example.com');
      assert.match(await page(di), /You have no passkeys yet\./);
      const key = new SoftAuthenticator(origin, 'localhost');
      const { body } = await passkeyOptions(di, base, 'register');
      const registered = await passkeyAnswer(di, base, 'register', key.register(body.options));
      assert.equal(registered.status, 200);
      const { id } = ((await registered.json()) as { passkey: { id: string } }).passkey;

      const listed = await page(di);
      assert.match(listed, /<strong>Unnamed passkey<\/strong><br>Added [^<]+ · never used/);
      assert.match(listed, /<label for="passkey-name-0">New name for Unnamed passkey<\/label>/);
      assert.match(listed, /<form id="passkey-add" action="[^"]+\/callback\/passkey" method="POST"[^>]* hidden>/, 'the add form waits for the script');

      const renamed = location(await submit(di, 'passkeys/rename', { id, name: 'Work laptop' }));
      assert.equal(renamed.searchParams.get('done'), 'renamed');
      assert.equal((await adapter.authenticatorStore().listAuthenticators(user('di@example.com').id))[0]?.name, 'Work laptop', 'stored');
      assert.match(await page(di), /<strong>Work laptop<\/strong>/);
      assert.equal(location(await submit(di, 'passkeys/rename', { id: 'not-mine', name: 'x' })).searchParams.get('error'), 'PasskeyNotFound');
      assert.equal(location(await submit(di, 'passkeys/rename', { id, name: 'x'.repeat(65) })).searchParams.get('error'), 'InvalidPasskey');

      const json = await postJson(di, 'passkeys/rename', { id, name: 'Laptop' });
      assert.deepEqual([json.status, await json.json()], [200, { id, name: 'Laptop' }]);

      await later(STALE_MS, async () => {
        assert.doesNotMatch(await page(di), /passkeys\/delete/, 'no remove button that would be refused');
        assert.equal(location(await submit(di, 'passkeys/delete', { id })).searchParams.get('error'), 'RecentSignInRequired');
      });
      assert.match(await page(di), /<button class="secondary" type="submit">Remove Laptop<\/button>/);
      assert.equal(location(await submit(di, 'passkeys/delete', { id })).searchParams.get('done'), 'deleted');
      assert.deepEqual(await adapter.authenticatorStore().listAuthenticators(user('di@example.com').id), []);
    });
  });
}

describe('issue 18: pages.security, the app’s own security page', () => {
  test('GET security redirects there with the last form’s error or done (nothing else of the query); a form post still comes back through it', async () => {
    const users = new Map<string, AdapterUser>();
    const temp = await tempAdapter('gatehouse-security-custom-', ADAPTERS.memory);
    users.set('ann@example.com', await temp.adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: null }));
    const server = await startServer({ secret: SECRET, adapter: temp.adapter, rateLimit: false, twoFactor: { issuer: 'Acme' }, pages: { security: '/account/security' }, providers: [emailPassword(users)] });
    try {
      const visitor = new Browser();
      const plain = await visitor.fetch(`${server.base}/security`);
      assert.deepEqual([plain.status, plain.headers.get('location')], [302, '/account/security'], 'signed out too: the app’s page checks the session');
      const withError = await visitor.fetch(`${server.base}/security?error=RecentSignInRequired&secret=x`);
      assert.equal(withError.headers.get('location'), '/account/security?error=RecentSignInRequired');

      const ann = new Browser();
      assert.equal((await ann.signInWithCredentials(server.base, { email: 'ann@example.com', password: 'pw' })).status, 200);
      const posted = await ann.fetch(`${server.base}/two-factor/disable`, { method: 'POST', form: { csrfToken: await ann.csrfToken(server.base), code: '123456' } });
      assert.equal(posted.headers.get('location'), `${server.base}/security?error=TwoFactorNotEnabled`);
      const forwarded = await ann.fetch(posted.headers.get('location')!);
      assert.equal(forwarded.headers.get('location'), '/account/security?error=TwoFactorNotEnabled');
    } finally {
      await server.close();
      await temp.dispose();
    }
  });
});
