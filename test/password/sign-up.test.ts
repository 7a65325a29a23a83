// The Password provider's first half on SQLite and real SMTP: sign-up, the verification mail, the scanner-safe confirm, sign-in (JWT and database), enumeration safety, rehash.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import memoryAdapter from '../../src/adapters/memory.js';
import { sqliteAdapter, type SqlAdapter } from '../../src/adapters/sqlite.js';
import { createAuth } from '../../src/index.js';
import Password from '../../src/providers/password.js';
import { Browser, SECRET } from '../helpers/server.js';
import { startSmtp, type SmtpSink } from '../helpers/smtp.js';
import { mailedLink, mailTo, passwordServer, post, postJson, query, sessionOf, TEST_SCRYPT } from './helpers.js';

describe('Password provider: sign-up and sign-in', () => {
  let smtp: SmtpSink;
  let dir: string;
  let adapter: SqlAdapter;
  let file: string;
  before(async () => {
    smtp = await startSmtp();
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-password-'));
    file = join(dir, 'auth.sqlite');
    adapter = sqliteAdapter(file);
    await adapter.migrate();
  });
  after(async () => {
    await adapter.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('createAuth names what the adapter lacks', () => {
    assert.throws(
      () => createAuth({ secret: SECRET, providers: [Password()] }),
      (error: unknown) => error instanceof TypeError && /adapter/.test(error.message),
    );
    const { getPassword: _g, ...withoutPasswords } = memoryAdapter();
    assert.throws(
      () => createAuth({ secret: SECRET, adapter: withoutPasswords, providers: [Password()] }),
      (error: unknown) => error instanceof TypeError && /adapter\.getPassword/.test(error.message) && (error as { code?: string }).code === 'MISSING_ADAPTER_METHODS_ERROR',
    );
  });

  test('GET providers shows it as credentials, so v4 clients post to callback/password', async () => {
    const server = await passwordServer(smtp, adapter);
    try {
      const providers = (await (await fetch(`${server.base}/providers`)).json()) as Record<string, { type: string; callbackUrl: string }>;
      assert.deepEqual(providers.password, { id: 'password', name: 'Email and password', type: 'credentials', signinUrl: `${server.base}/signin/password`, callbackUrl: `${server.base}/callback/password` });
    } finally {
      await server.close();
    }
  });

  for (const strategy of ['jwt', 'database'] as const) {
    test(`sign-up → verification mail → confirm page → verify → sign-in (${strategy} sessions)`, async () => {
      const server = await passwordServer(smtp, adapter, { fields: { company: { label: 'Company' } } }, { session: { strategy } });
      try {
        const email = `walk-${strategy}@example.com`;
        const browser = new Browser();
        const sent = smtp.mails.length;
        const signedUp = await post(browser, `${server.base}/signup/password`, { email: ` ${email.toUpperCase()} `, password: 'correct horse battery', name: 'Walker', company: 'Acme' });
        assert.equal(signedUp.status, 302);
        assert.equal(signedUp.headers.get('location'), `${server.base}/verify-request?provider=password&type=signup`);
        const user = (await adapter.getUserByEmail(email))!;
        assert.equal(user.name, 'Walker');
        assert.equal(user.emailVerified, null);
        const stored = await adapter.getPassword(user.id);
        assert.match(stored!.hash, /^scrypt\$16384\$8\$1\$/);

        // Not verified yet: the right password gets EmailNotVerified, a wrong one InvalidCredentials.
        const early = await postJson(browser, `${server.base}/callback/password`, { email, password: 'correct horse battery' });
        assert.equal(early.status, 403);
        assert.deepEqual(query(early.url), { error: 'CredentialsSignin', provider: 'password', code: 'EmailNotVerified' });
        const wrong = await postJson(browser, `${server.base}/callback/password`, { email, password: 'wrong password here' });
        assert.equal(wrong.status, 401);
        assert.equal(query(wrong.url).code, 'InvalidCredentials');

        const link = mailedLink(mailTo(smtp, email, sent), 'verify-email');
        assert.equal(`${link.origin}${link.pathname}`, `${server.base}/verify-email`);
        const token = link.searchParams.get('token')!;
        // Stored hashed: no row holds the token.
        const raw = new Database(file, { readonly: true });
        const rows = raw.prepare('SELECT identifier, token FROM verification_token').all() as Array<{ identifier: string; token: string }>;
        raw.close();
        assert.ok(rows.length > 0 && rows.every((row) => !row.token.includes(token) && !row.identifier.includes(token)));

        // A scanner's GET spends nothing: the page only has a button.
        for (let i = 0; i < 2; i++) {
          const page = await new Browser().fetch(link.href);
          assert.equal(page.status, 200);
          assert.match(await page.text(), /<form action="[^"]+\/verify-email" method="POST">/);
        }
        assert.equal((await adapter.getUserByEmail(email))!.emailVerified, null);
        const verified = await post(browser, `${server.base}/verify-email`, { token });
        assert.equal(verified.status, 302);
        assert.equal(verified.headers.get('location'), `${server.base}/signin?notice=verified`);
        assert.ok((await adapter.getUserByEmail(email))!.emailVerified instanceof Date);
        // Single use.
        const again = await post(new Browser(), `${server.base}/verify-email`, { token });
        assert.equal(again.headers.get('location'), `${server.base}/error?error=Verification`);

        const signedIn = await postJson(browser, `${server.base}/callback/password`, { email, password: 'correct horse battery', callbackUrl: '/home' });
        assert.equal(signedIn.status, 200);
        assert.equal(signedIn.url, `${server.origin}/home`);
        assert.equal((await sessionOf(browser, server.base))?.user?.email, email);
      } finally {
        await server.close();
      }
    });
  }

  test('sign-up of an address that has an account: the same answer, and the owner gets a mail instead', async () => {
    const server = await passwordServer(smtp, adapter);
    try {
      const fresh = await post(new Browser(), `${server.base}/signup/password`, { email: 'owner@example.com', password: 'first password 1' });
      const sent = smtp.mails.length;
      const repeat = await post(new Browser(), `${server.base}/signup/password`, { email: 'owner@example.com', password: 'another password 2' });
      const unknown = await post(new Browser(), `${server.base}/signup/password`, { email: 'newcomer@example.com', password: 'another password 2' });
      for (const response of [repeat, unknown]) {
        assert.equal(response.status, fresh.status);
        assert.equal(response.headers.get('location'), fresh.headers.get('location'));
        assert.equal(await response.text(), '');
      }
      const ownerMail = mailTo(smtp, 'owner@example.com', sent);
      assert.match(ownerMail.decoded, /already has one/);
      assert.doesNotMatch(ownerMail.decoded, /verify-email/);
      // The first password stays.
      const owner = (await adapter.getUserByEmail('owner@example.com'))!;
      const stored = (await adapter.getPassword(owner.id))!;
      const { verifyPassword } = await import('../../src/core/password.js');
      assert.equal(await verifyPassword('first password 1', stored.hash), true);
    } finally {
      await server.close();
    }
  });

  test('enumerationSafe: false answers EmailInUse', async () => {
    const server = await passwordServer(smtp, adapter, { enumerationSafe: false });
    try {
      await post(new Browser(), `${server.base}/signup/password`, { email: 'taken@example.com', password: 'first password 1' });
      const repeat = await postJson(new Browser(), `${server.base}/signup/password`, { email: 'taken@example.com', password: 'first password 1' });
      assert.equal(repeat.status, 409);
      assert.equal(repeat.url, `${server.base}/signup?error=EmailInUse&provider=password`);
    } finally {
      await server.close();
    }
  });

  test('a weak password goes back to the sign-up page with the reason', async () => {
    const server = await passwordServer(smtp, adapter);
    try {
      const short = await postJson(new Browser(), `${server.base}/signup/password`, { email: 'weak@example.com', password: 'short' });
      assert.equal(short.status, 400);
      assert.deepEqual(query(short.url), { error: 'WeakPassword', provider: 'password', code: 'TooShort' });
      const page = await new Browser().fetch(short.url);
      assert.match(await page.text(), /Choose a longer password/);
      assert.equal(await adapter.getUserByEmail('weak@example.com'), null);
    } finally {
      await server.close();
    }
  });

  test('requireEmailVerification: false signs in unverified; a raised scrypt cost rehashes on sign-in', async () => {
    const first = await passwordServer(smtp, adapter, { requireEmailVerification: false });
    try {
      await post(new Browser(), `${first.base}/signup/password`, { email: 'rehash@example.com', password: 'rehash me please' });
    } finally {
      await first.close();
    }
    const user = (await adapter.getUserByEmail('rehash@example.com'))!;
    const before = (await adapter.getPassword(user.id))!.hash;
    const second = await passwordServer(smtp, adapter, { requireEmailVerification: false, scrypt: { ...TEST_SCRYPT, N: 2 ** 15 } });
    try {
      const browser = new Browser();
      const signedIn = await postJson(browser, `${second.base}/callback/password`, { email: 'rehash@example.com', password: 'rehash me please' });
      assert.equal(signedIn.status, 200);
      const after = (await adapter.getPassword(user.id))!.hash;
      assert.notEqual(after, before);
      assert.match(after, /^scrypt\$32768\$/);
      assert.equal((await sessionOf(browser, second.base))?.user?.email, 'rehash@example.com');
    } finally {
      await second.close();
    }
  });

  test('the built-in sign-in page links to sign-up and reset; pages.signUp and pages.resetPassword take over, the reset mail links to the app page', async () => {
    const builtIn = await passwordServer(smtp, adapter);
    try {
      const html = await (await new Browser().fetch(`${builtIn.base}/signin`)).text();
      assert.match(html, new RegExp(`href="${builtIn.base}/password/forgot">Forgot password\\?</a>`));
      assert.match(html, new RegExp(`href="${builtIn.base}/signup">Create account</a>`));
      assert.match(html, /action="[^"]+\/callback\/password"/);
      const signUpPage = await (await new Browser().fetch(`${builtIn.base}/signup`)).text();
      assert.match(signUpPage, /action="[^"]+\/signup\/password"/);
      const locked = await new Browser().fetch(`${builtIn.base}/signin?error=CredentialsSignin&code=AccountLocked`);
      assert.match(await locked.text(), /this account is locked for a while/);
    } finally {
      await builtIn.close();
    }
    const own = await passwordServer(smtp, adapter, { allowSignUp: false }, { pages: { signUp: '/join', resetPassword: '/reset' } });
    try {
      const html = await (await new Browser().fetch(`${own.base}/signin`)).text();
      assert.match(html, new RegExp(`href="${own.origin}/reset">Forgot password`));
      assert.doesNotMatch(html, /Create account/);
      assert.equal((await new Browser().fetch(`${own.base}/signup`)).status, 404);
      assert.equal((await new Browser().fetch(`${own.base}/password/forgot`)).headers.get('location'), '/reset');
      assert.equal((await new Browser().fetch(`${own.base}/password/reset?token=abc`)).headers.get('location'), `${own.origin}/reset?token=abc`);
      const sent = smtp.mails.length;
      await post(new Browser(), `${own.base}/password/forgot`, { email: 'owner@example.com' });
      const { waitForMail } = await import('./helpers.js');
      const link = mailedLink(await waitForMail(smtp, 'owner@example.com', sent), 'reset');
      assert.equal(`${link.origin}${link.pathname}`, `${own.origin}/reset`);
    } finally {
      await own.close();
    }
  });
});
