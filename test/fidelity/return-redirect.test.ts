// `X-Auth-Return-Redirect: 1` (Auth.js v5's client) switches every POST to the `{ url }` answer, as v4's `json=true` does; a GET keeps its page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, startServer, type TestServer } from '../helpers/server.js';

const V5 = { 'x-auth-return-redirect': '1' };

describe('X-Auth-Return-Redirect', () => {
  let server: TestServer;
  before(async () => (server = await startServer(credentialsConfig({ rateLimit: false }))));
  after(() => server.close());

  test('credentials callback, sign-out and a CSRF failure answer { url } with the status they would redirect with', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    const signedIn = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', headers: V5, form: { csrfToken, username: 'ann', password: 'pw', callbackUrl: '/in' } });
    assert.equal(signedIn.status, 200);
    assert.deepEqual(await signedIn.json(), { url: `${server.origin}/in` });
    assert.ok(browser.jar.has('next-auth.session-token'));

    const forged = await new Browser().fetch(`${server.base}/signout`, { method: 'POST', headers: V5, form: { csrfToken: 'forged' } });
    assert.equal(forged.status, 403);
    assert.deepEqual(await forged.json(), { url: `${server.base}/signout?csrf=true` });

    // The sign-in rotated the CSRF token; the client fetches the new one before each POST.
    const fresh = await browser.csrfToken(server.base);
    const out = await browser.fetch(`${server.base}/signout`, { method: 'POST', headers: V5, form: { csrfToken: fresh, callbackUrl: '/out' } });
    assert.deepEqual(await out.json(), { url: `${server.origin}/out` });
    assert.ok(!browser.jar.has('next-auth.session-token'));
  });

  test('without the header (and without json=true) a POST redirects; a GET with it still gets its page', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    const plain = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', form: { csrfToken, username: 'ann', password: 'nope' } });
    assert.equal(plain.status, 302);
    const page = await browser.fetch(`${server.base}/signout`, { headers: V5 });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  });
});
