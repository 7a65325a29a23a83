// Issue 13 item 8: the CSRF token is rotated when the user signs in or out, so a token seen before the change of identity (a planted cookie, a cached page) cannot be used after it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, startServer, type TestServer } from '../helpers/server.js';

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };
const CSRF = 'next-auth.csrf-token';

describe('issue 13 item 8: CSRF rotation on sign-in and sign-out', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(credentialsConfig({ logger: quiet }));
  });
  after(() => server.close());

  test('credentials sign-in sets a new CSRF cookie; the old token no longer passes, the fresh one from GET csrf does', async () => {
    const browser = new Browser();
    const before = await browser.csrfToken(server.base);
    const cookieBefore = browser.jar.get(CSRF);
    const signIn = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', form: { csrfToken: before, username: 'ann', password: 'pw', json: 'true' } });
    assert.equal(signIn.status, 200);
    assert.ok(
      signIn.headers.getSetCookie().some((line) => line.startsWith(`${CSRF}=`)),
      'the sign-in answer sets the CSRF cookie',
    );
    assert.notEqual(browser.jar.get(CSRF), cookieBefore);

    // The pre-sign-in token is spent: POST session (useSession().update()) with it is refused.
    const stale = await browser.fetch(`${server.base}/session`, { method: 'POST', json: { csrfToken: before, data: {} } });
    assert.equal(stale.status, 400);
    const after = await browser.csrfToken(server.base);
    assert.notEqual(after, before);
    const fresh = await browser.fetch(`${server.base}/session`, { method: 'POST', json: { csrfToken: after, data: {} } });
    assert.equal(fresh.status, 200);
  });

  test('sign-out sets a new CSRF cookie; the signed-in token cannot sign the next user in', async () => {
    const browser = new Browser();
    await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
    const signedIn = await browser.csrfToken(server.base);
    const signOut = await browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken: signedIn, json: 'true' } });
    assert.equal(signOut.status, 200);
    assert.ok(
      signOut.headers.getSetCookie().some((line) => line.startsWith(`${CSRF}=`)),
      'the sign-out answer sets the CSRF cookie',
    );
    const reuse = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', form: { csrfToken: signedIn, username: 'ann', password: 'pw', json: 'true' } });
    assert.equal(reuse.status, 403);
    const next = await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
    assert.equal(next.status, 200);
  });

  test('a failed sign-in keeps the token (the form can be retried)', async () => {
    const browser = new Browser();
    const token = await browser.csrfToken(server.base);
    const failed = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', form: { csrfToken: token, username: 'ann', password: 'wrong', json: 'true' } });
    assert.equal(failed.status, 401);
    assert.equal(await browser.csrfToken(server.base), token);
  });
});
