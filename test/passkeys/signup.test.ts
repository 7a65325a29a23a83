// Passkey sign-up over HTTP on SQLite and real SMTP (issue 18): the mailed link, the new account created with its passkey and signed in (JWT and database sessions),
// and every refusal: an address that has an account (never attached to), a spent link, a replayed or swapped challenge, another browser's challenge, the signIn callback.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Passkey from '../../src/providers/passkey.js';
import Password from '../../src/providers/password.js';
import type { AuthConfig } from '../../src/types.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, transportFor, type SmtpSink } from '../helpers/smtp.js';
import { mailedLink, mailTo, TEST_SCRYPT } from '../password/helpers.js';
import { SoftAuthenticator } from './soft-authenticator.js';

for (const strategy of ['jwt', 'database'] as const) {
  describe(`passkey sign-up over HTTP (${strategy} sessions, SQLite, SMTP)`, () => {
    let dir: string;
    let adapter: GatehouseAdapter;
    let smtp: SmtpSink;
    let server: TestServer;
    let base: string;
    let origin: string;
    let ann: AdapterUser;
    const events: Array<[string, string | null | undefined]> = [];
    let refuse = new Set<string>();

    const start = (extra: Partial<AuthConfig> = {}, passwordOptions: Parameters<typeof Password>[0] = {}) =>
      startServer({
        secret: SECRET,
        adapter,
        session: { strategy },
        rateLimit: false,
        url: (o) => `${o.replace('127.0.0.1', 'localhost')}/api/auth`,
        providers: [Password({ server: transportFor(smtp), from: 'Gatehouse <auth@example.com>', scrypt: TEST_SCRYPT, ...passwordOptions }), Passkey({ rpName: 'Acme' })],
        callbacks: { signIn: ({ user }) => !refuse.has(String(user.email)) },
        events: {
          createUser: ({ user }) => void events.push(['createUser', user.email]),
          signIn: ({ user, isNewUser }) => void events.push([isNewUser ? 'signIn:new' : 'signIn', user.email]),
        },
        ...extra,
      });

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gatehouse-passkey-signup-'));
      adapter = sqliteAdapter(join(dir, 'auth.sqlite'));
      await adapter.migrate();
      smtp = await startSmtp();
      ann = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: new Date() });
      server = await start();
      base = server.base.replace('localhost', '127.0.0.1');
      origin = new URL(server.base).origin;
    });
    after(async () => {
      await server.close();
      await smtp.close();
      await adapter.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const sessionEmail = async (browser: Browser) => ((await (await browser.fetch(`${base}/session`)).json()) as { user?: { email?: string } }).user?.email ?? null;
    /** Submits the sign-up page's passkey form: the answer's Location, and the mail it caused. */
    async function requestLink(browser: Browser, email: string, fields: Record<string, string> = {}) {
      const before = smtp.mails.length;
      const response = await browser.fetch(`${base}/signup/passkey`, { method: 'POST', form: { csrfToken: await browser.csrfToken(base), email, callbackUrl: `${origin}/welcome`, ...fields } });
      assert.equal(response.status, 302);
      return { location: response.headers.get('location'), mail: () => mailTo(smtp, email, before) };
    }
    async function linkFor(browser: Browser, email: string, fields: Record<string, string> = {}): Promise<string> {
      const { location, mail } = await requestLink(browser, email, fields);
      assert.equal(location, `${server.base}/verify-request?provider=password&type=signup`);
      const link = mailedLink(mail(), 'signup/passkey');
      return link.searchParams.get('token')!;
    }
    const options = async (browser: Browser, token: string) => {
      const response = await browser.fetch(`${base}/webauthn-options/passkey?${new URLSearchParams({ action: 'register', token })}`);
      return { status: response.status, body: (await response.json()) as { options: any; error?: string } };
    };
    const answer = async (browser: Browser, token: string, data: unknown) =>
      browser.fetch(`${base}/callback/passkey`, { method: 'POST', form: { action: 'register', token, data: JSON.stringify(data), csrfToken: await browser.csrfToken(base) } });

    test('the sign-up page offers a passkey form; the link creates the account with its passkey, signed in; the passkey alone signs in again', async () => {
      const page = await (await fetch(`${base}/signup`)).text();
      assert.match(page, /<form action="[^"]*\/signup\/passkey" method="POST">/);
      assert.match(page, /Sign up with a passkey<\/button>/);
      const email = `new-${strategy}@example.com`;
      const browser = new Browser();
      const token = await linkFor(browser, email, { name: 'Nia' });
      assert.equal(await adapter.getUserByEmail(email), null, 'no user before the address is proved');

      // Opening the link (a mail scanner would too) spends nothing.
      const linkPage = await (await browser.fetch(`${base}/signup/passkey?token=${token}`)).text();
      assert.match(linkPage, new RegExp(`create a passkey for ${email.replace('.', '\\.')}`));
      assert.match(linkPage, /id="passkey-signup" data-options="[^"]*webauthn-options\/passkey\?action=register&amp;token=/);
      const key = new SoftAuthenticator(origin, 'localhost');
      const { status, body } = await options(browser, token);
      assert.equal(status, 200);
      assert.equal(body.options.user.name, email);
      assert.equal(body.options.rp.id, 'localhost');
      assert.equal(body.options.authenticatorSelection.residentKey, 'required');
      assert.deepEqual(body.options.excludeCredentials, []);
      const created = await answer(browser, token, key.register(body.options));
      assert.equal(created.status, 302, await created.clone().text());
      assert.equal(created.headers.get('location'), `${origin}/welcome`);
      assert.equal(await sessionEmail(browser), email);

      const user = await adapter.getUserByEmail(email);
      assert.ok(user);
      assert.equal(user.name, 'Nia');
      assert.ok(user.emailVerified instanceof Date, 'the link proved the address');
      const stored = await adapter.authenticatorStore!().listAuthenticators(user.id);
      assert.equal(stored.length, 1);
      assert.deepEqual(events.slice(-2), [
        ['createUser', email],
        ['signIn:new', email],
      ]);

      // A second browser, the passkey alone.
      const later = new Browser();
      const request = (await (await later.fetch(`${base}/webauthn-options/passkey?action=authenticate`)).json()) as { options: { challenge: string } };
      const signedIn = await later.fetch(`${base}/callback/passkey`, {
        method: 'POST',
        form: { action: 'authenticate', data: JSON.stringify(key.authenticate(request.options)), csrfToken: await later.csrfToken(base), callbackUrl: `${origin}/back` },
      });
      assert.equal(signedIn.headers.get('location'), `${origin}/back`);
      assert.equal(await sessionEmail(later), email);

      // The link worked once.
      assert.equal((await options(new Browser(), token)).status, 403);
      const again = await browser.fetch(`${base}/signup/passkey?token=${token}`);
      assert.equal(again.status, 302);
      assert.match(again.headers.get('location')!, /\/error\?error=Verification/);
    });

    test('an address that has an account: the same answer, a mail saying so, and no way to attach a passkey to it', async () => {
      const browser = new Browser();
      const { location, mail } = await requestLink(browser, ann.email);
      assert.equal(location, `${server.base}/verify-request?provider=password&type=signup`, 'the same answer as for a new address');
      const sent = mail();
      assert.match(sent.decoded, /already has one/);
      assert.doesNotMatch(sent.decoded, /signup\/passkey/, 'no sign-up link to a taken address');
      assert.deepEqual(await adapter.authenticatorStore!().listAuthenticators(ann.id), []);

      // The address got an account after its link was mailed: the options say so (the link's holder owns the address), the answer refuses.
      const late = `late-${strategy}@example.com`;
      const token = await linkFor(browser, late);
      const key = new SoftAuthenticator(origin, 'localhost');
      const early = await options(browser, token);
      assert.equal(early.status, 200);
      const other = await adapter.createUser({ email: late, name: null, emailVerified: null });
      assert.equal((await options(browser, token)).status, 409);
      const refused = await answer(browser, token, key.register(early.body.options));
      assert.equal(refused.status, 302);
      assert.equal(refused.headers.get('location'), `${server.base}/signup?error=EmailInUse&provider=passkey`);
      assert.deepEqual(await adapter.authenticatorStore!().listAuthenticators(other.id), [], 'nothing attached to the account that took the address');
      assert.equal(await sessionEmail(browser), null);
      const page = await (await fetch(refused.headers.get('location')!.replace('localhost', '127.0.0.1'))).text();
      assert.match(page, /An account with this email already exists/);
    });

    test('with enumerationSafe off, the form says the address is taken at once', async () => {
      const strict = await start({}, { enumerationSafe: false });
      try {
        const browser = new Browser();
        const target = strict.base.replace('localhost', '127.0.0.1');
        const response = await browser.fetch(`${target}/signup/passkey`, { method: 'POST', form: { csrfToken: await browser.csrfToken(target), email: ann.email } });
        assert.equal(response.status, 302);
        assert.match(response.headers.get('location')!, /\/signup\?error=EmailInUse/);
      } finally {
        await strict.close();
      }
    });

    test('the Password provider’s form rules hold: its CAPTCHA on signUp and its required fields, checked before any mail', async () => {
      const guarded = await start({}, { verifyCaptcha: (token) => token === 'human', fields: { company: { label: 'Company', required: true } } });
      try {
        const target = guarded.base.replace('localhost', '127.0.0.1');
        const email = `guarded-${strategy}@example.com`;
        const submit = async (fields: Record<string, string>) => {
          const browser = new Browser();
          const response = await browser.fetch(`${target}/signup/passkey`, { method: 'POST', form: { csrfToken: await browser.csrfToken(target), email, ...fields } });
          return response.headers.get('location');
        };
        const before = smtp.mails.length;
        assert.match((await submit({ company: 'Acme' }))!, /\/signup\?error=CaptchaFailed/);
        assert.match((await submit({ captchaToken: 'human' }))!, /\/signup\?error=EmailCreateAccount/);
        assert.equal(smtp.mails.length, before, 'no mail for a refused form');
        assert.equal(await submit({ captchaToken: 'human', company: 'Acme' }), `${guarded.base}/verify-request?provider=password&type=signup`);
        assert.match(mailTo(smtp, email, before).decoded, /signup\/passkey\?token=/);
        // Without a CSRF token nothing is sent either.
        const bare = await fetch(`${target}/signup/passkey`, { method: 'POST', body: new URLSearchParams({ email: 'csrf@example.com', captchaToken: 'human', company: 'Acme' }), redirect: 'manual' });
        assert.equal(bare.headers.get('location'), `${guarded.base}/signin?csrf=true&error=MissingCSRF`);
        assert.equal(smtp.mails.filter((mail) => mail.to.includes('csrf@example.com')).length, 0);
      } finally {
        await guarded.close();
      }
    });

    test('with pages.signUp, the link opens the app’s page with provider and token; the built-in page is not served', async () => {
      const own = await start({ pages: { signUp: '/join' } });
      try {
        const response = await fetch(`${own.base.replace('localhost', '127.0.0.1')}/signup/passkey?token=${'a'.repeat(64)}`, { redirect: 'manual' });
        assert.equal(response.status, 302);
        assert.equal(response.headers.get('location'), `/join?provider=passkey&token=${'a'.repeat(64)}`);
      } finally {
        await own.close();
      }
    });

    test('a replayed challenge, another browser’s challenge and a challenge of another link are refused; the link survives them', async () => {
      const email = `replay-${strategy}@example.com`;
      const browser = new Browser();
      const token = await linkFor(browser, email);
      const otherToken = await linkFor(new Browser(), `other-${strategy}@example.com`);
      const key = new SoftAuthenticator(origin, 'localhost');

      // Another browser holding the link cannot answer this browser's challenge (nonce cookie).
      const first = await options(browser, token);
      const stranger = new Browser();
      const foreign = await answer(stranger, token, key.register(first.body.options));
      assert.equal(foreign.status, 302);
      assert.match(foreign.headers.get('location')!, /\/signup\/passkey\?token=[0-9a-f]{64}&error=PasskeySignin/);

      // A challenge issued for one link does not create the account of another (swap).
      const swapped = await options(browser, otherToken);
      const swap = await answer(browser, token, key.register(swapped.body.options));
      assert.match(swap.headers.get('location')!, /error=PasskeySignin/);
      assert.equal(await adapter.getUserByEmail(email), null);

      // An answer from another origin (a look-alike site relaying the ceremony) does not verify.
      const phished = await options(browser, token);
      const elsewhere = new SoftAuthenticator('http://localhost:1', 'localhost');
      assert.match((await answer(browser, token, elsewhere.register(phished.body.options))).headers.get('location')!, /error=PasskeySignin/);

      const good = await options(browser, token);
      const response = key.register(good.body.options);
      assert.equal((await answer(browser, token, response)).headers.get('location'), `${origin}/welcome`);
      // The same answer again: the challenge and the link are spent.
      const replay = await answer(new Browser(), token, response);
      assert.match(replay.headers.get('location')!, /\/error\?error=Verification/);
      assert.equal((await adapter.authenticatorStore!().listAuthenticators((await adapter.getUserByEmail(email))!.id)).length, 1);
    });

    test('the signIn callback refuses before anything is written', async () => {
      const email = `refused-${strategy}@example.com`;
      refuse = new Set([email]);
      const browser = new Browser();
      const token = await linkFor(browser, email);
      const { body } = await options(browser, token);
      const response = await answer(browser, token, new SoftAuthenticator(origin, 'localhost').register(body.options));
      assert.match(response.headers.get('location')!, /error=AccessDenied/);
      assert.equal(await adapter.getUserByEmail(email), null, 'no user for a refused sign-up');
      assert.equal(await sessionEmail(browser), null);
      refuse = new Set();
    });
  });
}
