// CSRF double-submit: every refused variant performs nothing; v4 cookies keep working.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

describe('CSRF', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(credentialsConfig());
  });
  after(() => server.close());

  async function signedIn(): Promise<Browser> {
    const browser = new Browser();
    await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
    return browser;
  }

  async function attempts(browser: Browser): Promise<Array<[string, Record<string, string>, string]>> {
    const token = await browser.csrfToken(server.base);
    const cookie = browser.jar.get('next-auth.csrf-token')!;
    const other = new Browser();
    const otherToken = await other.csrfToken(server.base);
    const forgedHash = `${'a'.repeat(64)}%7C${createHash('sha256')
      .update(`${'a'.repeat(64)}wrong-secret`)
      .digest('hex')}`;
    return [
      ['missing cookie', { csrfToken: token }, ''],
      ['missing field', {}, cookie],
      ['mismatch', { csrfToken: 'b'.repeat(64) }, cookie],
      ['forged hash', { csrfToken: 'a'.repeat(64) }, forgedHash],
      ['token from another browser', { csrfToken: otherToken }, cookie],
      ['another browser, whole pair without hash', { csrfToken: otherToken }, `${otherToken}%7C${'0'.repeat(64)}`],
      ['token with different length', { csrfToken: token.slice(0, 10) }, cookie],
    ];
  }

  test('sign-out is refused and the session survives', async () => {
    const browser = await signedIn();
    for (const [label, form, csrfCookie] of await attempts(browser)) {
      const session = browser.jar.get('next-auth.session-token')!;
      const cookie = `next-auth.session-token=${session}${csrfCookie ? `; next-auth.csrf-token=${csrfCookie}` : ''}`;
      const response = await fetch(`${server.base}/signout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
      assert.equal(response.status, 302, label);
      assert.equal(response.headers.get('location'), `${server.base}/signout?csrf=true`, label);
      assert.ok(!response.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=;')), `${label}: session not cleared`);
    }
    assert.ok(((await (await browser.fetch(`${server.base}/session`)).json()) as { user?: unknown }).user);
  });

  test('credentials sign-in is refused before authorize() runs', async () => {
    let calls = 0;
    const counting = await startServer(credentialsConfig({ providers: [(await import('../../src/providers/credentials.js')).default({ authorize: () => (calls++, { id: 'u1' }) })] }));
    try {
      const browser = new Browser();
      for (const [label, form, csrfCookie] of await attempts(browser)) {
        const response = await fetch(`${counting.base}/callback/credentials`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: csrfCookie ? `next-auth.csrf-token=${csrfCookie}` : '', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...form, json: 'true' }),
        });
        assert.equal(response.status, 403, label);
        const { url } = (await response.json()) as { url: string };
        assert.equal(url, `${counting.base}/signin?csrf=true&error=MissingCSRF`, label);
        assert.ok(!response.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=')), label);
      }
      assert.equal(calls, 0);
    } finally {
      await counting.close();
    }
  });

  test('session update is refused with 400 {}', async () => {
    const browser = await signedIn();
    for (const [label, form, csrfCookie] of await attempts(browser)) {
      const cookie = `next-auth.session-token=${browser.jar.get('next-auth.session-token')}${csrfCookie ? `; next-auth.csrf-token=${csrfCookie}` : ''}`;
      const response = await fetch(`${server.base}/session`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ ...form, data: { name: 'Eve' } }) });
      assert.equal(response.status, 400, label);
      assert.deepEqual(await response.json(), {}, label);
    }
  });

  test('a v4-format cookie (sha256(token + secret)) is accepted', async () => {
    const token = 'c'.repeat(64);
    const hash = createHash('sha256').update(`${token}${SECRET}`).digest('hex');
    const browser = await signedIn();
    browser.jar.set('next-auth.csrf-token', `${token}%7C${hash}`);
    assert.equal(await browser.csrfToken(server.base), token, 'GET csrf reuses the v4 token');
    const response = await browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken: token, json: 'true' } });
    assert.equal(response.status, 200);
    assert.ok(!browser.jar.has('next-auth.session-token'));
  });

  test('on https the cookie is __Host- prefixed and Secure', async () => {
    const secure = await startServer(credentialsConfig({ url: 'https://app.example.com/api/auth' }));
    try {
      const response = await fetch(`${secure.origin}/api/auth/csrf`);
      const [cookie] = response.headers.getSetCookie();
      assert.match(cookie!, /^__Host-next-auth\.csrf-token=[0-9a-f]{64}%7C[0-9a-f]{64}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    } finally {
      await secure.close();
    }
  });
});
