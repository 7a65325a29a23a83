// Sessions and devices in Chromium: two browsers with their own user agents sign in through gatehouse-auth/client,
// list each other, one revokes the other, and a session cookie copied before sign-out opens nothing afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { GatehouseAdapter } from '../../src/adapters/types.js';
import Credentials from '../../src/providers/credentials.js';
import { appWithScript, bundleForBrowser } from '../helpers/browser-bundle.js';
import { launchChromium } from '../helpers/chromium.js';
import { SECRET, startServer, type TestServer } from '../helpers/server.js';
import { ADAPTERS, tempAdapter, type TempAdapter } from '../helpers/two-factor.js';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const CLIENT = new URL('../../src/client/index.ts', import.meta.url).pathname;

interface ListedSession {
  id: string;
  current: boolean;
  browser: string | null;
  os: string | null;
  userAgent: string | null;
}

/** The client's calls as the page runs them. */
type Client = Record<string, (...args: unknown[]) => Promise<unknown>>;

for (const strategy of ['jwt', 'database'] as const) {
  describe(`sessions and devices in Chromium (${strategy} sessions, SQLite)`, () => {
    let server: TestServer;
    let adapter: GatehouseAdapter;
    let db: TempAdapter<GatehouseAdapter>;
    let script: string;
    let browser: Browser | undefined;

    before(async () => {
      db = await tempAdapter('gatehouse-devices-', ADAPTERS.SQLite);
      adapter = db.adapter;
      const ann = await adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: null });
      server = await startServer(
        {
          secret: SECRET,
          adapter,
          session: { strategy },
          rateLimit: false,
          providers: [
            Credentials({
              credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
              authorize: async ({ email, password }) => (email === ann.email && password === 'pw' ? ann : null),
            }),
          ],
        },
        appWithScript(() => script),
      );
      script = await bundleForBrowser(`import * as client from ${JSON.stringify(CLIENT)}; (window as any).gh = client;`, process.cwd());
    });
    after(async () => {
      await browser?.close();
      await server.close();
      await db.dispose();
    });

    /** A browser profile with its own user agent and cookie jar, on the app's page. */
    async function device(userAgent: string): Promise<{ context: BrowserContext; page: Page; call: (name: string, ...args: unknown[]) => Promise<unknown> }> {
      const context = await browser!.newContext({ userAgent });
      const page = await context.newPage();
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => 'gh' in window);
      const call = (name: string, ...args: unknown[]) => page.evaluate(([fn, params]) => (window as unknown as { gh: Client }).gh[fn as string]!(...(params as unknown[])), [name, args] as const);
      return { context, page, call };
    }

    const signIn = (call: (name: string, ...args: unknown[]) => Promise<unknown>) =>
      call('signIn', 'credentials', { email: 'ann@example.com', password: 'pw', redirect: false }) as Promise<{ ok: boolean; error: string | null }>;
    const email = async (call: (name: string, ...args: unknown[]) => Promise<unknown>) => ((await call('getSession')) as { user?: { email?: string } } | null)?.user?.email ?? null;

    test('two browsers list each other with the right current flag and device; one revokes the other, which is signed out', async (t) => {
      browser = await launchChromium(t);
      if (!browser) return;
      const laptop = await device(FIREFOX_LINUX);
      const phone = await device(SAFARI_IPHONE);
      assert.deepEqual(await signIn(laptop.call), { ok: true, error: null, status: 200, url: `${server.origin}/` });
      assert.equal((await signIn(phone.call)).ok, true);

      const fromLaptop = (await laptop.call('listSessions')) as ListedSession[];
      const fromPhone = (await phone.call('listSessions')) as ListedSession[];
      assert.equal(fromLaptop.length, 2);
      assert.equal(fromPhone.length, 2);
      const mine = (list: ListedSession[]) => list.find((s) => s.current)!;
      const theirs = (list: ListedSession[]) => list.find((s) => !s.current)!;
      assert.deepEqual([mine(fromLaptop).browser, mine(fromLaptop).os, mine(fromLaptop).userAgent], ['Firefox 125', 'Linux', FIREFOX_LINUX]);
      assert.deepEqual([mine(fromPhone).browser, mine(fromPhone).os], ['Safari 17', 'iOS 17.4']);
      assert.equal(theirs(fromLaptop).id, mine(fromPhone).id, 'both browsers see the same ids');
      assert.equal(theirs(fromPhone).id, mine(fromLaptop).id);

      assert.equal(await laptop.call('revokeSession', theirs(fromLaptop).id), true);
      assert.equal(await email(phone.call), null, 'the revoked browser has no session');
      assert.equal(await email(laptop.call), 'ann@example.com', 'the revoking one keeps its own');
      assert.deepEqual(
        ((await laptop.call('listSessions')) as ListedSession[]).map((s) => s.current),
        [true],
      );
      await laptop.context.close();
      await phone.context.close();
    });

    test('a session cookie copied before sign-out opens no session afterwards', async (t) => {
      browser ??= await launchChromium(t);
      if (!browser) return;
      const victim = await device(FIREFOX_LINUX);
      assert.equal((await signIn(victim.call)).ok, true);
      const captured = (await victim.context.cookies()).filter((cookie) => cookie.name.startsWith('next-auth.session-token'));
      assert.ok(captured.length > 0, 'a session cookie to capture');

      await victim.call('signOut', { redirect: false });
      assert.equal(await email(victim.call), null);

      const attacker = await device(SAFARI_IPHONE);
      await attacker.context.addCookies(captured);
      assert.equal(await email(attacker.call), null, 'the replayed cookie is no session');
      await victim.context.close();
      await attacker.context.close();
    });
  });
}
