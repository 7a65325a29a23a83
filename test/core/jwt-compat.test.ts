// Session cookies cross the switch both ways with the real next-auth/jwt; secrets rotate; instances stay apart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode, encode, getToken } from '../../src/jwt.js';
import { credentialsConfig } from '../helpers/config.js';
import { nextAuthJwt } from '../helpers/peers.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';

const v4 = nextAuthJwt();
const claims = { name: 'Ann', email: 'ann@example.com', picture: 'https://img.example/a.png', sub: 'u1' };

describe('JWT compatibility with next-auth v4', () => {
  test('a cookie issued by next-auth v4 is a gatehouse session (zero-logout migration)', async () => {
    const server = await startServer(credentialsConfig());
    try {
      const v4Token = await v4.encode({ token: claims, secret: SECRET });
      const response = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token=${v4Token}` } });
      const body = (await response.json()) as { user: unknown };
      assert.deepEqual(body.user, { name: 'Ann', email: 'ann@example.com', image: 'https://img.example/a.png' });
    } finally {
      await server.close();
    }
  });

  test('a cookie issued by gatehouse decodes in next-auth v4', async () => {
    const server = await startServer(credentialsConfig());
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
      const cookie = browser.jar.get('next-auth.session-token')!;
      const decoded = await v4.decode({ token: cookie, secret: SECRET });
      assert.equal(decoded?.sub, 'u1');
      assert.equal(decoded?.email, 'ann@example.com');
      const viaGetToken = await v4.getToken({ req: { headers: { cookie: `next-auth.session-token=${cookie}` }, cookies: { 'next-auth.session-token': cookie } }, secret: SECRET });
      assert.equal(viaGetToken?.sub, 'u1');
    } finally {
      await server.close();
    }
  });

  test('gatehouse-auth/jwt encode/decode interoperate with v4, salts included', async () => {
    const ours = await encode({ token: claims, secret: SECRET, salt: 'next-auth.state' });
    assert.equal((await v4.decode({ token: ours, secret: SECRET, salt: 'next-auth.state' }))?.sub, 'u1');
    const theirs = await v4.encode({ token: claims, secret: SECRET });
    assert.equal((await decode({ token: theirs, secret: SECRET }))?.email, 'ann@example.com');
    assert.equal(await decode({ token: theirs, secret: 'another-secret' }), null);
    assert.equal(await decode({ token: theirs, secret: SECRET, salt: 'next-auth.state' }), null, 'a session token is not a state cookie');
  });

  test('secret rotation: an old cookie still works and is re-issued under the new secret', async () => {
    const oldSecret = 'old-secret-0123456789-0123456789';
    const newSecret = 'new-secret-0123456789-0123456789';
    const oldToken = await encode({ token: claims, secret: oldSecret });
    const server = await startServer(credentialsConfig({ secret: [newSecret, oldSecret] }));
    try {
      const response = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token=${oldToken}` } });
      assert.equal(((await response.json()) as { user: { email: string } }).user.email, 'ann@example.com');
      const reissued = response.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='))!;
      const value = reissued.split(';')[0]!.split('=')[1]!;
      assert.equal((await decode({ token: value, secret: newSecret }))?.sub, 'u1');
      assert.equal(await decode({ token: value, secret: oldSecret }), null, 'new cookies use the first secret only');
    } finally {
      await server.close();
    }
  });

  test('two instances in one process with different secrets do not read each other', async () => {
    const a = await startServer(credentialsConfig({ secret: 'secret-a-0123456789-0123456789' }));
    const b = await startServer(credentialsConfig({ secret: 'secret-b-0123456789-0123456789' }));
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(a.base, { username: 'ann', password: 'pw' });
      const cookie = browser.cookieHeader();
      assert.ok(((await (await fetch(`${a.base}/session`, { headers: { cookie } })).json()) as { user?: unknown }).user);
      assert.deepEqual(await (await fetch(`${b.base}/session`, { headers: { cookie } })).json(), {});
      // CSRF cookies are per secret too.
      const csrfToken = await browser.csrfToken(a.base);
      const crossPost = await fetch(`${b.base}/signout`, {
        method: 'POST',
        headers: { cookie: browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        body: `csrfToken=${csrfToken}`,
        redirect: 'manual',
      });
      assert.equal(crossPost.headers.get('location'), `${b.base}/signout?csrf=true`);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('garbage, tampered, expired and wrong-secret cookies are no session and are cleared', async () => {
    const server = await startServer(credentialsConfig());
    try {
      const valid = await encode({ token: claims, secret: SECRET });
      const expired = await encode({ token: claims, secret: SECRET, maxAge: -3600 });
      const tampered = `${valid.slice(0, -3)}${valid.endsWith('A') ? 'B' : 'A'}xx`;
      for (const cookieValue of ['garbage', tampered, expired, await encode({ token: claims, secret: 'wrong-secret-0123456789' }), '%', 'a.b.c.d.e']) {
        const response = await fetch(`${server.base}/session`, { headers: { cookie: `next-auth.session-token=${cookieValue}` } });
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), {});
        assert.ok(response.headers.getSetCookie().includes('next-auth.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax'));
      }
    } finally {
      await server.close();
    }
  });

  test('large tokens are chunked into .0, .1 … and read back; stale chunks are cleared', async () => {
    const big = 'x'.repeat(6000);
    const server = await startServer(credentialsConfig({ callbacks: { jwt: ({ token }) => ({ ...token, big }), session: ({ session, token }) => ({ ...session, size: String(token.big).length }) } }));
    try {
      const browser = new Browser();
      await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
      assert.ok(browser.jar.has('next-auth.session-token.0') && browser.jar.has('next-auth.session-token.1'));
      assert.ok(!browser.jar.has('next-auth.session-token'));
      for (const [name, value] of browser.jar) if (name.startsWith('next-auth.session-token')) assert.ok(value.length <= 3933);
      const session = (await (await browser.fetch(`${server.base}/session`)).json()) as { size: number };
      assert.equal(session.size, 6000);
      // A small cookie replacing a chunked one clears every chunk.
      browser.jar.set('next-auth.session-token.2', 'stale');
      const csrfToken = await browser.csrfToken(server.base);
      const out = await browser.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken } });
      const cleared = out.headers
        .getSetCookie()
        .filter((c) => c.includes('Max-Age=0'))
        .map((c) => c.split('=')[0]);
      assert.deepEqual(cleared.sort(), ['next-auth.session-token.0', 'next-auth.session-token.1', 'next-auth.session-token.2']);
    } finally {
      await server.close();
    }
  });

  test('getToken reads cookie or Bearer and never throws on malformed input (GHSA-xmf8)', async () => {
    const valid = await encode({ token: claims, secret: SECRET });
    const req = (headers: Record<string, string>) => new Request('http://127.0.0.1/', { headers });
    assert.equal((await getToken({ req: req({ cookie: `next-auth.session-token=${valid}` }), secret: SECRET }))?.sub, 'u1');
    assert.equal((await getToken({ req: req({ authorization: `Bearer ${encodeURIComponent(valid)}` }), secret: SECRET }))?.sub, 'u1');
    for (const value of ['Bearer %', 'Bearer %E0%A4%A', 'Bearer', 'Bearer  ', 'bearer x', `Bearer ${'a'.repeat(1_000_000)}`, 'Bearer a.b.c.d.e', `Bearer ${valid}%`]) {
      assert.equal(await getToken({ req: { headers: { authorization: value } }, secret: SECRET }), null, value.slice(0, 20));
    }
  });
});
