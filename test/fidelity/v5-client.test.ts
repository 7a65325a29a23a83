// The real next-auth v5 beta client (next-auth/react from test/peers-v5), bundled into a page in Chromium against a gatehouse server: it asks for JSON with `X-Auth-Return-Redirect: 1`, with and without `redirect: false`.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import memoryAdapter from '../../src/adapters/memory.js';
import { CredentialsSignin } from '../../src/index.js';
import { toNodeHandler } from '../../src/integrations/node.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import { bundleForBrowser } from '../helpers/browser-bundle.js';
import { launchChromium, requireServices } from '../helpers/chromium.js';
import { SECRET, startServer, type TestServer } from '../helpers/server.js';

class AccountLocked extends CredentialsSignin {
  override code = 'account_locked';
}

const require = createRequire(new URL('../peers-v5/package.json', import.meta.url));
let v5Modules: string | undefined;
try {
  v5Modules = require.resolve('next-auth/package.json').replace(/\/next-auth\/package\.json$/, '');
} catch {}
const missing = v5Modules ? undefined : 'next-auth v5 beta is not installed (node scripts/ensure-peers.mjs): the v5 client tests did NOT run';
if (missing && requireServices()) throw new Error(`${missing}, and GATEHOUSE_REQUIRE_SERVICES=1 requires it`);
if (missing) console.warn(`\n*** SKIPPED: ${missing} ***\n`);

interface V5Result {
  error?: string;
  code?: string;
  status?: number;
  ok?: boolean;
  url?: string | null;
}

describe('the real next-auth v5 beta client (next-auth/react) against gatehouse, in Chromium', { skip: missing }, () => {
  let server: TestServer;
  let script = '';
  const links: string[] = [];
  const headers: Array<{ path: string; returnRedirect: string | undefined }> = [];

  before(async () => {
    server = await startServer(
      {
        secret: SECRET,
        rateLimit: false,
        adapter: memoryAdapter(),
        session: { strategy: 'jwt' },
        logger: { error: () => {}, warn: () => {}, debug: () => {} },
        providers: [
          Credentials({
            credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } },
            authorize: ({ username, password }) => {
              if (password === 'locked') throw new AccountLocked();
              return username === 'ann' && password === 'pw' ? { id: 'u1', name: 'Ann', email: 'ann@example.com' } : null;
            },
          }),
          Email({ sendVerificationRequest: ({ url }) => void links.push(url) }),
        ],
      },
      (auth) => {
        const api = toNodeHandler(auth);
        return (req, res) => {
          if (req.url?.startsWith('/api/auth')) {
            if (req.method === 'POST') headers.push({ path: req.url, returnRedirect: req.headers['x-auth-return-redirect'] as string | undefined });
            return void api(req, res);
          }
          if (req.url === '/v5.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
          if (req.url === '/favicon.ico') return void res.writeHead(404).end();
          res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><script src="/v5.js"></script></body></html>');
        };
      },
    );
    // What a Next build inlines: no NEXTAUTH_URL, so the client calls the relative /api/auth.
    script = await bundleForBrowser(`import { getSession, signIn, signOut } from 'next-auth/react'; (window as any).v5 = { getSession, signIn, signOut };`, v5Modules!, [v5Modules!]);
  });
  after(() => server?.close());

  type V5 = Record<string, (...args: unknown[]) => Promise<unknown>>;
  async function open(browser: Browser, path = '/page'): Promise<{ page: Page; call: (name: string, ...args: unknown[]) => Promise<unknown> }> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.origin}${path}`);
    await page.waitForFunction(() => 'v5' in window);
    const call = (name: string, ...args: unknown[]) => page.evaluate(([fn, params]) => (window as unknown as { v5: V5 }).v5[fn as string]!(...(params as unknown[])), [name, args] as const);
    return { page, call };
  }
  const userName = async (call: (name: string) => Promise<unknown>) => ((await call('getSession')) as { user?: { name?: string } } | null)?.user?.name;

  test('signIn and signOut with redirect: false resolve v5’s results, custom credentials code included', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const { call } = await open(browser);
      const wrong = (await call('signIn', 'credentials', { redirect: false, username: 'ann', password: 'nope', redirectTo: '/dash' })) as V5Result;
      assert.deepEqual([wrong.error, wrong.code, wrong.status, wrong.ok, wrong.url], ['CredentialsSignin', undefined, 401, false, null]);

      const locked = (await call('signIn', 'credentials', { redirect: false, username: 'ann', password: 'locked' })) as V5Result;
      assert.deepEqual([locked.error, locked.code, locked.status, locked.ok, locked.url], ['CredentialsSignin', 'account_locked', 401, false, null]);

      const right = (await call('signIn', 'credentials', { redirect: false, username: 'ann', password: 'pw', redirectTo: '/dash' })) as V5Result;
      assert.deepEqual([right.error, right.status, right.ok, right.url], [undefined, 200, true, `${server.origin}/dash`]);
      assert.equal(await userName(call), 'Ann');

      const out = await call('signOut', { redirect: false, redirectTo: '/bye' });
      assert.deepEqual(out, { url: `${server.origin}/bye` });
      // Signed out. (v5 reads the body raw: gatehouse's v4 `{}` where @auth/core answers `null`, issue 20's part.)
      assert.equal(await userName(call), undefined);

      const email = (await call('signIn', 'email', { redirect: false, email: 'ann@example.com' })) as V5Result;
      assert.deepEqual([email.error, email.ok, email.url], [undefined, true, `${server.base}/verify-request?provider=email&type=email`]);
      assert.equal(links.length, 1, 'the link went out');

      // Every POST asked with the header and no json=true, and was answered with JSON.
      assert.ok(headers.length >= 5);
      assert.ok(
        headers.every((h) => h.returnRedirect === '1'),
        JSON.stringify(headers),
      );
    } finally {
      await browser.close();
    }
  });

  test('signIn and signOut with redirect (the default) navigate to what gatehouse answered', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const { page, call } = await open(browser);
      await Promise.all([
        page.waitForURL(`${server.origin}/app?signed=in`),
        page.evaluate(() => void (window as unknown as { v5: V5 }).v5.signIn!('credentials', { username: 'ann', password: 'pw', redirectTo: '/app?signed=in' })),
      ]);
      await page.waitForFunction(() => 'v5' in window);
      assert.equal(await userName(call), 'Ann');

      await Promise.all([page.waitForURL(`${server.origin}/bye`), page.evaluate(() => void (window as unknown as { v5: V5 }).v5.signOut!({ redirectTo: '/bye' }))]);
      await page.waitForFunction(() => 'v5' in window);
      assert.equal(await userName(call), undefined);

      // A failed sign-in navigates to the error URL gatehouse answered, which sends credentials failures to the sign-in page.
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/api/auth/signin' && url.searchParams.get('error') === 'CredentialsSignin'),
        page.evaluate(() => void (window as unknown as { v5: V5 }).v5.signIn!('credentials', { username: 'ann', password: 'nope' })),
      ]);
    } finally {
      await browser.close();
    }
  });
});
