// Reset options: signInAfterReset: false sends to the sign-in page (no session, the notice shown); a reset link dies when the password changes first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import { Browser } from '../helpers/server.js';
import { startSmtp, type SmtpSink } from '../helpers/smtp.js';
import { mailedLink, passwordServer, post, postJson, query, sessionOf, waitForMail } from './helpers.js';

describe('Password provider: reset options', () => {
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtp();
  });
  after(() => smtp.close());

  async function resetToken(server: { base: string }, email: string): Promise<string> {
    const sent = smtp.mails.length;
    await post(new Browser(), `${server.base}/password/forgot`, { email });
    return mailedLink(await waitForMail(smtp, email, sent), 'password/reset').searchParams.get('token')!;
  }

  test('signInAfterReset: false → the sign-in page with a notice, no session', async () => {
    const adapter = memoryAdapter();
    const server = await passwordServer(smtp, adapter, { signInAfterReset: false, requireEmailVerification: false });
    try {
      await post(new Browser(), `${server.base}/signup/password`, { email: 'opt@example.com', password: 'first option password' });
      const token = await resetToken(server, 'opt@example.com');
      const browser = new Browser();
      const reset = await postJson(browser, `${server.base}/password/reset`, { token, password: 'second option password' });
      assert.equal(reset.status, 200);
      assert.equal(reset.url, `${server.base}/signin?notice=reset`);
      assert.equal(await sessionOf(browser, server.base), null);
      assert.match(await (await browser.fetch(reset.url)).text(), /Your password was changed/);
      // A reset proves the mailbox: the address is verified now.
      assert.ok((await adapter.getUserByEmail('opt@example.com'))!.emailVerified);
    } finally {
      await server.close();
    }
  });

  test('a reset link issued before a password change no longer works', async () => {
    const adapter = memoryAdapter();
    const server = await passwordServer(smtp, adapter, { requireEmailVerification: false });
    try {
      await post(new Browser(), `${server.base}/signup/password`, { email: 'bound@example.com', password: 'first bound password' });
      const stale = await resetToken(server, 'bound@example.com');
      const fresh = await resetToken(server, 'bound@example.com');
      assert.equal((await postJson(new Browser(), `${server.base}/password/reset`, { token: fresh, password: 'second bound password' })).status, 200);
      const refused = await postJson(new Browser(), `${server.base}/password/reset`, { token: stale, password: 'third bound password' });
      assert.equal(refused.status, 403);
      assert.equal(query(refused.url).error, 'Verification');
      assert.equal((await postJson(new Browser(), `${server.base}/callback/password`, { email: 'bound@example.com', password: 'second bound password' })).status, 200);
    } finally {
      await server.close();
    }
  });
});
