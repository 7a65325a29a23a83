// gatehouse-auth/react in Debian's Chromium (playwright-core): sign-in through the page, two tabs in step (gatehouse and next-auth v4), focus refetch, build-time NEXTAUTH_URL.
import { build } from 'esbuild';
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PASSWORD, SERVER_KINDS, startServer, USER, type RemoteServer } from './helpers/remote.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** Debian's chromium package: /usr/bin/chromium, or `chromium` anywhere on PATH. Never a downloaded browser. */
function findChromium(): string | undefined {
  for (const dir of ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    try {
      accessSync(join(dir, 'chromium'), constants.X_OK);
      return join(dir, 'chromium');
    } catch {}
  }
  return undefined;
}

const executablePath = findChromium();
const required = process.env.GATEHOUSE_REQUIRE_SERVICES === '1';
const missing = executablePath ? undefined : 'Chromium is not installed (apt-get install -y chromium): the real-browser client tests did NOT run';
if (missing && !required) console.warn(`\n*** SKIPPED: ${missing} ***\n`);

const here = new URL('./browser/', import.meta.url);
const peers = new URL('../peers/node_modules/', import.meta.url);

/** Bundles a page with esbuild, as an app's build would: `env` values are inlined as `process.env.<name>` (v4's build-time NEXTAUTH_URL). */
async function bundle(entry: string, env: Record<string, string | undefined> = {}, alias?: Record<string, string>): Promise<string> {
  const define: Record<string, string> = { 'process.env.NODE_ENV': '"production"' };
  for (const [name, value] of Object.entries(env)) define[`process.env.${name}`] = value === undefined ? 'undefined' : JSON.stringify(value);
  const result = await build({ entryPoints: [new URL(entry, here).pathname], bundle: true, write: false, format: 'iife', logLevel: 'error', define, ...(alias ? { alias } : {}) });
  return result.outputFiles[0]!.text;
}

const html = (script: string): { contentType: string; body: string } => ({
  contentType: 'text/html',
  body: `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body><div id="root"></div><script src="${script}"></script></body></html>`,
});

/** Serves the gatehouse page; without `env` the bundle leaves `process.env.NEXTAUTH_URL` alone, so the browser has no `process` to read. */
async function serveApps(server: RemoteServer, env?: Record<string, string>, alias?: Record<string, string>): Promise<void> {
  await server.route('/app', html('/app.js'));
  await server.route('/app.js', { contentType: 'text/javascript', body: await bundle('app.tsx', env, alias) });
}

const react18 = new URL('./react18/node_modules/', import.meta.url);
const noReact18 = existsSync(new URL('react/package.json', react18)) ? undefined : 'React 18 is not installed (npm install in test/client/react18): gatehouse-auth/react was NOT tested on React 18';
if (noReact18 && !required) console.warn(`\n*** SKIPPED: ${noReact18} ***\n`);

async function status(page: Page, expected: string): Promise<void> {
  try {
    await page.waitForFunction((text) => document.querySelector('#status')?.textContent === text, expected, { timeout: 10_000 });
  } catch {
    assert.equal(await page.textContent('#status'), expected);
  }
}

async function open(context: BrowserContext, url: string, expected: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await status(page, expected);
  return page;
}

const loadId = (page: Page): Promise<number> => page.evaluate(() => window.loadId);

/** Headless Chromium keeps every page visible, so the test hides and shows the tab the way the browser reports it. */
async function hideAndShow(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap a function's inner arrows in a helper the page does not have.
  await page.evaluate(`for (const state of ['hidden', 'visible']) {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  }`);
}

describe('gatehouse-auth/react in Chromium', { skip: !required && missing }, () => {
  let browser: Browser;
  before(async () => {
    if (missing) throw new Error(`${missing}, and GATEHOUSE_REQUIRE_SERVICES=1 requires them`);
    browser = await chromium.launch({ executablePath: executablePath!, args: ARGS });
  });
  after(() => browser?.close());

  for (const kind of SERVER_KINDS) {
    describe(`against ${kind}`, () => {
      let server: RemoteServer;
      let context: BrowserContext;
      before(async () => {
        server = await startServer(kind);
        await serveApps(server);
      });
      after(() => server.close());

      it('signs in with credentials through the page and shows the session, without a reload', async () => {
        context = await browser.newContext();
        const page = await open(context, `${server.origin}/app`, 'unauthenticated:-');
        const before = await loadId(page);
        await page.fill('input[name=username]', 'ann');
        await page.fill('input[name=password]', 'wrong');
        await page.click('button[type=submit]');
        await page.waitForFunction(() => document.querySelector('#result')?.textContent !== '');
        assert.deepEqual(JSON.parse((await page.textContent('#result'))!), { error: 'CredentialsSignin', status: 401, ok: false, url: null });
        await page.fill('input[name=password]', PASSWORD);
        await page.click('button[type=submit]');
        await status(page, `authenticated:${USER.name}`);
        assert.equal(await loadId(page), before);
        assert.deepEqual(JSON.parse((await page.textContent('#result'))!), { error: null, status: 200, ok: true, url: `${server.origin}/app` });
        await context.close();
      });

      it('signIn with redirect navigates, and the new page shows the session', async () => {
        context = await browser.newContext();
        const page = await open(context, `${server.origin}/app`, 'unauthenticated:-');
        await Promise.all([
          page.waitForURL(`${server.origin}/app?signed=in`),
          page.evaluate((password) => void window.gatehouse.signIn('credentials', { username: 'ann', password, callbackUrl: '/app?signed=in' }), PASSWORD),
        ]);
        await status(page, `authenticated:${USER.name}`);
        await context.close();
      });

      it('two tabs: signing out in one turns the other unauthenticated without a reload, and signing in brings it back', async () => {
        context = await browser.newContext();
        const a = await open(context, `${server.origin}/app`, 'unauthenticated:-');
        const b = await open(context, `${server.origin}/app`, 'unauthenticated:-');
        const [loadA, loadB] = [await loadId(a), await loadId(b)];
        await a.evaluate((password) => window.gatehouse.signIn('credentials', { redirect: false, username: 'ann', password }), PASSWORD);
        await status(a, `authenticated:${USER.name}`);
        await status(b, `authenticated:${USER.name}`);
        await b.evaluate(() => window.gatehouse.signOut({ redirect: false }));
        await status(b, 'unauthenticated:-');
        await status(a, 'unauthenticated:-');
        assert.deepEqual([await loadId(a), await loadId(b)], [loadA, loadB], 'no reloads');
        await context.close();
      });

      it('without BroadcastChannel a tab falls back to storage events, in both directions', async () => {
        context = await browser.newContext();
        const modern = await open(context, `${server.origin}/app`, 'unauthenticated:-');
        const legacy = await context.newPage();
        await legacy.addInitScript('delete window.BroadcastChannel');
        await legacy.goto(`${server.origin}/app`);
        await status(legacy, 'unauthenticated:-');
        assert.equal(await legacy.evaluate('typeof BroadcastChannel'), 'undefined');
        await modern.evaluate((password) => window.gatehouse.signIn('credentials', { redirect: false, username: 'ann', password }), PASSWORD);
        await status(legacy, `authenticated:${USER.name}`);
        await legacy.evaluate(() => window.gatehouse.signOut({ redirect: false }));
        await status(modern, 'unauthenticated:-');
        await context.close();
      });

      it('focus: a tab that becomes visible again refetches once, and shows a session that ended elsewhere', async () => {
        context = await browser.newContext();
        const page = await open(context, `${server.origin}/app`, 'unauthenticated:-');
        await page.evaluate((password) => window.gatehouse.signIn('credentials', { redirect: false, username: 'ann', password }), PASSWORD);
        await status(page, `authenticated:${USER.name}`);
        await server.clearRequests();
        // Wait for the first refetch to be answered: a second focus while it runs joins it (one
        // request, by design), and would then still carry the cookie cleared below.
        const answered = page.waitForResponse((response) => response.url().endsWith('/session'));
        await hideAndShow(page);
        await answered;
        await page.waitForTimeout(50);
        await status(page, `authenticated:${USER.name}`);
        // The session ends without any tab hearing of it (the cookie is gone); the next focus shows it.
        await context.clearCookies();
        await hideAndShow(page);
        await status(page, 'unauthenticated:-');
        assert.deepEqual(await server.log(), ['GET session', 'GET session']);
        await context.close();
      });
    });
  }

  describe('next-auth v4 tabs and gatehouse tabs stay in step (both speak nextauth.message)', () => {
    let server: RemoteServer;
    before(async () => {
      server = await startServer('gatehouse');
      await serveApps(server);
      await server.route('/v4', html('/v4.js'));
      // next-auth/react and the page share test/peers' React, as in an app that has next-auth installed.
      const react = { react: new URL('react', peers).pathname, 'react-dom': new URL('react-dom', peers).pathname, 'next-auth': new URL('next-auth', peers).pathname };
      await server.route('/v4.js', { contentType: 'text/javascript', body: await bundle('v4-app.js', { NEXTAUTH_URL: undefined, NEXTAUTH_URL_INTERNAL: undefined, VERCEL_URL: undefined }, react) });
    });
    after(() => server.close());

    it('sign in on the gatehouse tab, the v4 tab follows; sign out on the v4 tab, the gatehouse tab follows', async () => {
      const context = await browser.newContext();
      const ours = await open(context, `${server.origin}/app`, 'unauthenticated:-');
      const v4 = await open(context, `${server.origin}/v4`, 'unauthenticated:-');
      const loads = [await loadId(ours), await loadId(v4)];
      await ours.evaluate((password) => window.gatehouse.signIn('credentials', { redirect: false, username: 'ann', password }), PASSWORD);
      await status(ours, `authenticated:${USER.name}`);
      await status(v4, `authenticated:${USER.name}`);
      await v4.evaluate(() => (window as unknown as { nextauth: typeof window.gatehouse }).nextauth.signOut({ redirect: false }));
      await status(v4, 'unauthenticated:-');
      await status(ours, 'unauthenticated:-');
      assert.deepEqual([await loadId(ours), await loadId(v4)], loads, 'no reloads');
      await context.close();
    });
  });

  describe('on React 18', { skip: !required && noReact18 }, () => {
    let server: RemoteServer;
    before(async () => {
      if (noReact18) throw new Error(`${noReact18}, and GATEHOUSE_REQUIRE_SERVICES=1 requires it`);
      server = await startServer('gatehouse');
      await serveApps(server, undefined, { react: new URL('react', react18).pathname, 'react-dom': new URL('react-dom', react18).pathname });
    });
    after(() => server?.close());

    it('signs in through the page, and a second tab follows the sign-out', async () => {
      const context = await browser.newContext();
      const a = await open(context, `${server.origin}/app`, 'unauthenticated:-');
      assert.match(await a.evaluate(() => window.reactVersion), /^18\./);
      const b = await open(context, `${server.origin}/app`, 'unauthenticated:-');
      await a.fill('input[name=username]', 'ann');
      await a.fill('input[name=password]', PASSWORD);
      await a.click('button[type=submit]');
      await status(a, `authenticated:${USER.name}`);
      await status(b, `authenticated:${USER.name}`);
      await b.evaluate(() => window.gatehouse.signOut({ redirect: false }));
      await status(a, 'unauthenticated:-');
      await context.close();
    });
  });

  describe('NEXTAUTH_URL inlined at build time', () => {
    let server: RemoteServer;
    before(async () => {
      server = await startServer('gatehouse', { basePath: '/custom/auth' });
      await serveApps(server, { NEXTAUTH_URL: 'http://build-time.example/custom/auth' });
    });
    after(() => server.close());

    it('points the browser client at the custom path (relative, as v4)', async () => {
      const context = await browser.newContext();
      const page = await open(context, `${server.origin}/app`, 'unauthenticated:-');
      await page.evaluate((password) => window.gatehouse.signIn('credentials', { redirect: false, username: 'ann', password }), PASSWORD);
      await status(page, `authenticated:${USER.name}`);
      assert.deepEqual([...new Set(await server.log())].sort(), ['GET csrf', 'GET providers', 'GET session', 'POST callback/credentials']);
      await context.close();
    });
  });
});
