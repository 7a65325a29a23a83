// Wire behaviour of every core route over real HTTP, compared with what next-auth v4 answers (wire doc §2, Appendix A).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { credentialsConfig, USER } from '../helpers/config.js';
import { Browser, startServer, type TestServer } from '../helpers/server.js';

describe('core routes', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(credentialsConfig());
  });
  after(() => server.close());

  test('GET providers: the v4 map, JSON, no cookies', async () => {
    const response = await new Browser().fetch(`${server.base}/providers`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /application\/json/);
    assert.deepEqual(response.headers.getSetCookie(), []);
    assert.deepEqual(await response.json(), {
      credentials: {
        id: 'credentials',
        name: 'Password',
        type: 'credentials',
        signinUrl: `${server.base}/signin/credentials`,
        callbackUrl: `${server.base}/callback/credentials`,
      },
    });
  });

  test('GET csrf: 64-hex token, v4 cookie format, no-cache, reused while the cookie is valid', async () => {
    const browser = new Browser();
    const first = await browser.fetch(`${server.base}/csrf`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'private, no-cache, no-store');
    assert.equal(first.headers.get('pragma'), 'no-cache');
    assert.equal(first.headers.get('expires'), '0');
    const { csrfToken } = (await first.json()) as { csrfToken: string };
    assert.match(csrfToken, /^[0-9a-f]{64}$/);
    const [cookie] = first.headers.getSetCookie();
    assert.match(cookie!, new RegExp(`^next-auth\\.csrf-token=${csrfToken}%7C[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Lax$`));
    const second = await browser.fetch(`${server.base}/csrf`);
    assert.deepEqual(await second.json(), { csrfToken });
    assert.deepEqual(second.headers.getSetCookie(), []);
  });

  test('GET session without a cookie: 200 {} with no-cache headers', async () => {
    const response = await new Browser().fetch(`${server.base}/session`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'private, no-cache, no-store');
    assert.deepEqual(await response.json(), {});
  });

  test('credentials: wrong password → 401 {url: error?error=CredentialsSignin&provider=credentials}, no session', async () => {
    const browser = new Browser();
    const response = await browser.signInWithCredentials(server.base, { username: 'ann', password: 'nope', callbackUrl: '/dash' });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { url: `${server.base}/error?error=CredentialsSignin&provider=credentials` });
    assert.ok(![...browser.jar.keys()].some((name) => name.includes('session-token')));
    assert.equal(browser.jar.get('next-auth.callback-url'), encodeURIComponent(`${server.origin}/dash`));
  });

  test('credentials without json: 302 to the error URL', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    const response = await browser.fetch(`${server.base}/callback/credentials`, { method: 'POST', form: { csrfToken, username: 'x', password: 'y' } });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${server.base}/error?error=CredentialsSignin&provider=credentials`);
  });

  test('credentials: right password → 200 {url}, a JWE session cookie, then GET session shows the user', async () => {
    const browser = new Browser();
    const response = await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw', callbackUrl: `${server.origin}/dash` });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { url: `${server.origin}/dash` });
    const sessionCookie = response.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='))!;
    assert.match(sessionCookie, /^next-auth\.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0\.\.[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const session = await browser.fetch(`${server.base}/session`);
    const body = (await session.json()) as { user: unknown; expires: string };
    assert.deepEqual(body.user, { name: USER.name, email: USER.email, image: null });
    const expiresIn = Date.parse(body.expires) - Date.now();
    assert.ok(expiresIn > 29 * 86400_000 && expiresIn <= 30 * 86400_000, 'expires ≈ now + 30 days');
    // A fresh token is not re-encrypted on every read (updateAge throttles it; v4 re-issued each time).
    assert.deepEqual(session.headers.getSetCookie(), []);
  });

  test('JWT re-issue: throttled by updateAge, forced by updateAge 0 or an update', async () => {
    const rolling = await startServer(credentialsConfig({ session: { updateAge: 0 } }));
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(rolling.base, { username: 'ann', password: 'pw' });
      const before = browser.jar.get('next-auth.session-token');
      const response = await browser.fetch(`${rolling.base}/session`);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token=ey'));
      assert.ok(cookie, 'updateAge 0 re-issues on every read, as v4');
      assert.match(cookie!, /; Expires=/);
      assert.notEqual(browser.jar.get('next-auth.session-token'), before);
    } finally {
      await rolling.close();
    }
  });

  test('GET callback/credentials is refused with a 4xx, never a 500', async () => {
    const response = await new Browser().fetch(`${server.base}/callback/credentials`);
    assert.equal(response.status, 405);
  });

  test('POST signin/credentials sends the user to the sign-in page (credentials post to the callback)', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    const response = await browser.fetch(`${server.base}/signin/credentials`, { method: 'POST', form: { csrfToken, json: 'true' } });
    assert.deepEqual(await response.json(), { url: `${server.base}/signin` });
  });

  test('POST signin with an unknown provider → signin?csrf=true as v4', async () => {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    const response = await browser.fetch(`${server.base}/signin/nope`, { method: 'POST', form: { csrfToken } });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${server.base}/signin?csrf=true`);
  });

  test('POST session updates through the jwt callback; bad CSRF → 400 {}', async () => {
    const updating = await startServer(
      credentialsConfig({
        callbacks: {
          jwt: ({ token, trigger, session }) => (trigger === 'update' ? { ...token, name: (session as { name: string }).name } : token),
        },
      }),
    );
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(updating.base, { username: 'ann', password: 'pw' });
      const bad = await browser.fetch(`${updating.base}/session`, { method: 'POST', json: { data: { name: 'Eve' } } });
      assert.equal(bad.status, 400);
      assert.deepEqual(await bad.json(), {});
      const csrfToken = await browser.csrfToken(updating.base);
      const good = await browser.fetch(`${updating.base}/session`, { method: 'POST', json: { csrfToken, data: { name: 'Bea' } } });
      assert.equal(good.status, 200);
      assert.equal(((await good.json()) as { user: { name: string } }).user.name, 'Bea');
      const later = await browser.fetch(`${updating.base}/session`);
      assert.equal(((await later.json()) as { user: { name: string } }).user.name, 'Bea', 'the update is kept in the cookie');
    } finally {
      await updating.close();
    }
  });

  test('sign-out: GET shows a CSRF form; POST clears the cookie and redirects to the callback URL', async () => {
    const browser = new Browser();
    await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
    const page = await browser.fetch(`${server.base}/signout`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<form action="[^"]+\/api\/auth\/signout" method="POST"><input type="hidden" name="csrfToken" value="[0-9a-f]{64}">/);
    const csrfToken = await browser.csrfToken(server.base);
    const response = await browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken, callbackUrl: '/bye', json: 'true' } });
    assert.deepEqual(await response.json(), { url: `${server.origin}/bye` });
    assert.ok(response.headers.getSetCookie().includes('next-auth.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax'));
    assert.deepEqual(await (await browser.fetch(`${server.base}/session`)).json(), {});
  });

  test('GET error: sign-in codes redirect to the sign-in page; others render with v4 statuses', async () => {
    const browser = new Browser();
    const linked = await browser.fetch(`${server.base}/error?error=OAuthAccountNotLinked`);
    assert.equal(linked.status, 302);
    assert.equal(linked.headers.get('location'), `${server.base}/signin?error=OAuthAccountNotLinked`);
    assert.equal((await browser.fetch(`${server.base}/error?error=AccessDenied`)).status, 403);
    assert.equal((await browser.fetch(`${server.base}/error?error=Verification`)).status, 403);
    assert.equal((await browser.fetch(`${server.base}/error?error=Configuration`)).status, 500);
    assert.equal((await browser.fetch(`${server.base}/error?error=Whatever`)).status, 200);
  });

  test('GET verify-request renders the check-your-email page', async () => {
    const response = await new Browser().fetch(`${server.base}/verify-request`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<title>Verify Request<\/title>/);
  });

  test('unsupported actions and methods: 400 text, never 500', async () => {
    const browser = new Browser();
    for (const [method, path] of [
      ['GET', 'nonsense'],
      ['PUT', 'session'],
      ['DELETE', 'signout'],
      ['POST', 'providers'],
      ['POST', 'csrf'],
      ['GET', 'callback/unknown'],
      ['GET', 'session/extra/segments'],
    ] as const) {
      const response = await browser.fetch(`${server.base}/${path}`, { method });
      assert.equal(response.status, 400, `${method} ${path}`);
      assert.match(response.headers.get('content-type')!, /text\/plain/);
    }
    const head = await browser.fetch(`${server.base}/session`, { method: 'HEAD' });
    assert.equal(head.status, 400);
  });

  test('malformed input: bad JSON, huge body, odd cookies → 4xx or a clean answer, never 500', async () => {
    const browser = new Browser();
    const badJson = await browser.fetch(`${server.base}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    assert.equal(badJson.status, 400);
    const huge = await browser.fetch(`${server.base}/signout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${'x'.repeat(200_000)}` });
    assert.equal(huge.status, 413);
    const oddCookies = await fetch(`${server.base}/session`, { headers: { cookie: 'next-auth.session-token=%E0%A4%A; next-auth.csrf-token=|||; =; ;;' } });
    assert.equal(oddCookies.status, 200);
    assert.deepEqual(await oddCookies.json(), {});
    const longCookie = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token=${'a'.repeat(12_000)}` } });
    assert.ok(longCookie.status < 500);
  });

  test('paths outside the base path are not served', async () => {
    const response = await fetch(`${server.origin}/elsewhere/session`);
    assert.equal(response.status, 404);
  });
});
