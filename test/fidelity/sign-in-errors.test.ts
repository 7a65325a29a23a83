// v4's sign-in error behaviour against a real gatehouse server, driven by the real next-auth/react v4 client: a throwing signIn callback's message as the error code, and (beyond v4, as Auth.js v5) custom credentials codes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import { signIn as gatehouseSignIn } from '../../src/client/index.js';
import { CredentialsSignin } from '../../src/index.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import type { AuthConfig } from '../../src/types.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { installPage, v4Client, type Page, type V4Client } from '../helpers/v4-client.js';
import { APP_BASE, authorizeAt, Browser as IdpAppBrowser, idpProvider, rig } from '../oauth/setup.js';

class InvalidLogin extends CredentialsSignin {
  override code = 'invalid_login';
}
class Wordy extends CredentialsSignin {
  override code = 'Invalid identifier or password';
}

const quiet = { error: () => {}, warn: () => {}, debug: () => {} };
const links: string[] = [];

/** One server for the whole file: the v4 client is a page-level singleton, so one page talks to one origin. */
function config(): AuthConfig {
  return {
    secret: SECRET,
    logger: quiet,
    rateLimit: false,
    adapter: memoryAdapter(),
    session: { strategy: 'jwt' },
    providers: [
      Credentials({
        credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } },
        authorize: (credentials) => {
          switch (credentials.password) {
            case 'invalid':
              throw new InvalidLogin();
            case 'wordy':
              throw new Wordy();
            case 'bare':
              throw new CredentialsSignin();
            case 'v5':
              // Auth.js v5's own CredentialsSignin is recognized by its `type`, whatever module it came from.
              throw Object.assign(new Error('from @auth/core'), { type: 'CredentialsSignin', code: 'locked' });
            case 'plain':
              throw new Error('database said no to ann');
            default:
              return { id: credentials.username ?? 'x', name: credentials.username ?? null, email: `${credentials.username}@example.com` };
          }
        },
      }),
      Email({ sendVerificationRequest: ({ url }) => void links.push(url) }),
    ],
    callbacks: {
      signIn: ({ user }) => {
        if (user.email === 'unverified@example.com') throw new Error('EmailNotVerified');
        if (user.email === 'suspended@example.com') throw 'Suspended';
        if (user.email === 'odd@example.com') throw 42;
        if (user.email === 'refused@example.com') return false;
        return true;
      },
    },
  };
}

describe('sign-in errors as next-auth v4 reports them (real next-auth/react 4.24 against gatehouse)', () => {
  let server: TestServer;
  let page: Page;
  let v4: V4Client;
  const browser = new Browser();

  before(async () => {
    server = await startServer(config());
    page = installPage(server.origin, browser);
    v4 = v4Client();
  });
  after(async () => {
    page.restore();
    await server.close();
  });

  const post = async (path: string, form: Record<string, string>) => {
    const csrfToken = await browser.csrfToken(server.base);
    return browser.fetch(`${server.base}/${path}`, { method: 'POST', form: { csrfToken, ...form } });
  };

  test('a signIn callback that throws: its message is the `error` code (credentials), as v4', async () => {
    const result = await v4.signIn('credentials', { redirect: false, username: 'unverified', password: 'pw' });
    assert.deepEqual(result, { error: 'EmailNotVerified', status: 403, ok: false, url: null });
    const response = await post('callback/credentials', { username: 'unverified', password: 'pw' });
    assert.equal(response.headers.get('location'), `${server.base}/error?error=EmailNotVerified`);
    assert.ok(!browser.jar.has('next-auth.session-token'), 'no session');
  });

  test('a thrown string is the code too; anything else, and `false`, stay AccessDenied', async () => {
    assert.equal(((await v4.signIn('credentials', { redirect: false, username: 'suspended', password: 'pw' })) as { error: string }).error, 'Suspended');
    assert.equal(((await v4.signIn('credentials', { redirect: false, username: 'odd', password: 'pw' })) as { error: string }).error, 'AccessDenied');
    assert.equal(((await v4.signIn('credentials', { redirect: false, username: 'refused', password: 'pw' })) as { error: string }).error, 'AccessDenied');
  });

  test('the email flow: a throw while asking for the link reports the message, and no link goes out', async () => {
    const result = await v4.signIn('email', { redirect: false, email: 'unverified@example.com' });
    assert.deepEqual(result, { error: 'EmailNotVerified', status: 403, ok: false, url: null });
    assert.deepEqual(links, []);
  });

  test('the error page never shows the thrown text; a custom error page receives it', async () => {
    const page = await browser.fetch(`${server.base}/error?error=EmailNotVerified`);
    assert.equal(page.status, 200);
    assert.ok(!(await page.text()).includes('EmailNotVerified'));
    const custom = await startServer({ ...config(), pages: { error: '/auth/problem' } });
    try {
      assert.equal((await new Browser().fetch(`${custom.base}/error?error=EmailNotVerified`)).headers.get('location'), '/auth/problem?error=EmailNotVerified');
    } finally {
      await custom.close();
    }
  });

  test('authorize() throwing a CredentialsSignin subclass: `&code=` on the redirect, `code` from signIn(…, { redirect: false })', async () => {
    const response = await post('callback/credentials', { username: 'ann', password: 'invalid' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${server.base}/error?error=CredentialsSignin&provider=credentials&code=invalid_login`);
    assert.deepEqual(await gatehouseSignIn('credentials', { redirect: false, username: 'ann', password: 'invalid' }), {
      error: 'CredentialsSignin',
      code: 'invalid_login',
      status: 401,
      ok: false,
      url: null,
    });
    // next-auth/react v4 does not read `code`: it sees the v4 failure it always saw.
    assert.deepEqual(await v4.signIn('credentials', { redirect: false, username: 'ann', password: 'invalid' }), { error: 'CredentialsSignin', status: 401, ok: false, url: null });
  });

  test('the code: CredentialsSignin’s default, Auth.js v5’s class by its type; an unsafe code and a plain throw send none', async () => {
    const codeOf = async (password: string) => {
      const location = (await post('callback/credentials', { username: 'ann', password })).headers.get('location')!;
      return new URL(location).searchParams.get('code');
    };
    assert.equal(await codeOf('bare'), 'credentials');
    assert.equal(await codeOf('v5'), 'locked');
    assert.equal(await codeOf('wordy'), null);
    assert.equal(await codeOf('plain'), null);
    const plain = await gatehouseSignIn('credentials', { redirect: false, username: 'ann', password: 'plain' });
    assert.deepEqual(plain, { error: 'CredentialsSignin', status: 401, ok: false, url: null }, 'the thrown message is not sent');
  });

  test('a signIn that succeeds is untouched', async () => {
    const result = await v4.signIn('credentials', { redirect: false, username: 'ann', password: 'pw', callbackUrl: '/home' });
    assert.deepEqual(result, { error: null, status: 200, ok: true, url: `${server.origin}/home` });
    assert.equal((await v4.getSession())?.user?.email, 'ann@example.com');
  });
});

describe('a signIn callback that throws during an OAuth callback (real in-process oidc-provider)', () => {
  test('lands on the error page with the thrown message as the code, and no session', async () => {
    const rg = await rig((issuer) => [idpProvider(issuer)], {
      config: {
        callbacks: {
          signIn: ({ user }) => {
            if (user.email === 'alice@example.com') throw new Error('DomainNotAllowed');
            return true;
          },
        },
      },
    });
    try {
      const browser = new IdpAppBrowser();
      const { callback } = await authorizeAt(rg, browser, 'idp');
      const response = await browser.fetch(rg.local(callback));
      assert.equal(response.headers.get('location'), `${APP_BASE}/error?error=DomainNotAllowed`);
      assert.ok(!response.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=') && !/Max-Age=0/i.test(c)));
    } finally {
      await rg.close();
    }
  });
});
