// The Password provider through the clients: the real next-auth/react v4 signIn('password', …) unchanged, and gatehouse-auth/client's signUp, requestPasswordReset, resetPassword, changePassword.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import { changePassword, getSession, requestPasswordReset, resetPassword, signIn, signUp } from '../../src/client/index.js';
import { Browser, type TestServer } from '../helpers/server.js';
import { startSmtp, type SmtpSink } from '../helpers/smtp.js';
import { installPage, v4Client, type Page, type V4Client } from '../helpers/v4-client.js';
import { mailedLink, mailTo, passwordServer, waitForMail } from './helpers.js';

describe('the Password provider through next-auth/react v4 and gatehouse-auth/client', () => {
  let smtp: SmtpSink;
  let server: TestServer;
  let page: Page;
  let v4: V4Client;
  const browser = new Browser();
  const adapter = memoryAdapter();

  before(async () => {
    smtp = await startSmtp();
    server = await passwordServer(smtp, adapter, { lockout: { threshold: 5, lockSeconds: 60 } }, { session: { strategy: 'jwt' } });
    page = installPage(server.origin, browser);
    v4 = v4Client();
  });
  after(async () => {
    page.restore();
    await server.close();
    await smtp.close();
  });

  test('signUp → verify → next-auth/react v4 signIn("password", { redirect: false }) → reset and change through the client', async () => {
    const email = 'client@example.com';
    let sent = smtp.mails.length;
    const created = await signUp({ email, password: 'first client password', name: 'Client' });
    assert.deepEqual(created, { ok: true, error: null, code: null, status: 200, url: `${server.base}/verify-request?provider=password&type=signup` });
    // An existing address resolves exactly the same.
    assert.deepEqual(await signUp({ email, password: 'other client password' }), created);
    const weak = await signUp({ email: 'weak-client@example.com', password: 'client@example.com'.slice(0, 5) });
    assert.deepEqual(weak, { ok: false, error: 'WeakPassword', code: 'TooShort', status: 400, url: null });

    // v4 before verification: CredentialsSignin, as any credentials failure.
    assert.deepEqual(await v4.signIn('password', { email, password: 'first client password', redirect: false }), { error: 'CredentialsSignin', status: 403, ok: false, url: null });
    // gatehouse's client says why.
    const unverified = await signIn('password', { email, password: 'first client password', redirect: false });
    assert.deepEqual(unverified, { error: 'CredentialsSignin', code: 'EmailNotVerified', status: 403, ok: false, url: null });

    const link = mailedLink(mailTo(smtp, email, sent), 'verify-email');
    const csrfToken = await browser.csrfToken(server.base);
    await browser.fetch(`${server.base}/verify-email`, { method: 'POST', form: { csrfToken, token: link.searchParams.get('token')! } });

    assert.deepEqual(await v4.signIn('password', { email, password: 'wrong client password', redirect: false }), { error: 'CredentialsSignin', status: 401, ok: false, url: null });
    const ok = await v4.signIn('password', { email, password: 'first client password', redirect: false, callbackUrl: '/after' });
    assert.deepEqual(ok, { error: null, status: 200, ok: true, url: `${server.origin}/after` });
    assert.equal((await v4.getSession())?.user?.email, email);

    // Forgot → reset with the mailed token.
    sent = smtp.mails.length;
    const asked = await requestPasswordReset(email);
    assert.deepEqual(asked, await requestPasswordReset('nobody@example.com'));
    assert.equal(asked?.url, `${server.base}/verify-request?provider=password&type=reset`);
    const token = mailedLink(await waitForMail(smtp, email, sent), 'password/reset').searchParams.get('token')!;
    assert.deepEqual(await resetPassword(token, 'aaaaaaaaaa'), { ok: false, error: 'WeakPassword', code: 'Repetitive', status: 400, url: null });
    const reset = await resetPassword(token, 'second client password', { callbackUrl: '/back' });
    assert.deepEqual(reset, { ok: true, error: null, code: null, status: 200, url: `${server.origin}/back` });
    assert.equal((await getSession())?.user?.email, email);
    assert.deepEqual(await resetPassword(token, 'third client password'), { ok: false, error: 'Verification', code: 'Verification', status: 403, url: null });

    // Change while signed in.
    assert.deepEqual(await changePassword('not the password', 'third client password'), { ok: false, error: 'InvalidCredentials', code: 'InvalidCredentials', status: 401, url: null });
    const changed = await changePassword('second client password', 'third client password', { callbackUrl: '/settings' });
    assert.deepEqual(changed, { ok: true, error: null, code: null, status: 200, url: `${server.origin}/settings` });
    assert.equal(((await v4.signIn('password', { email, password: 'third client password', redirect: false })) as { ok: boolean }).ok, true);
  });
});
