// A callback URL with a #fragment, in Chromium: the page the user lands on is loaded afresh and shows the new session (gatehouse-auth/client), and why gatehouse does not copy next-auth/react v4's unconditional reload.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { toNodeHandler } from '../../src/integrations/node.js';
import { bundleForBrowser as bundle } from '../helpers/browser-bundle.js';
import { launchChromium } from '../helpers/chromium.js';
import { credentialsConfig } from '../helpers/config.js';
import { peerPath } from '../helpers/peers.js';
import { startServer, type TestServer } from '../helpers/server.js';

const CLIENT = new URL('../../src/client/index.ts', import.meta.url).pathname;

describe('signIn to a callback URL with a #fragment (Chromium)', () => {
  let server: TestServer;
  const scripts = new Map<string, string>();
  /** Document loads per path: a reload or a navigation is a new request for the page. */
  const loads = new Map<string, number>();

  before(async () => {
    server = await startServer(credentialsConfig({ rateLimit: false }), (auth) => {
      const api = toNodeHandler(auth);
      return (req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (path.startsWith('/api/auth')) return void api(req, res);
        const script = scripts.get(path);
        if (script !== undefined) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
        if (path === '/favicon.ico') return void res.writeHead(404).end();
        loads.set(path, (loads.get(path) ?? 0) + 1);
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><script src="/gh.js"></script><script src="/v4.js"></script></body></html>');
      };
    });
    scripts.set('/gh.js', await bundle(`import * as client from ${JSON.stringify(CLIENT)}; (window as any).gh = client;`, process.cwd()));
    const peers = peerPath('next-auth').replace(/\/next-auth\/.*$/, '');
    scripts.set('/v4.js', await bundle(`import { signIn, getSession } from 'next-auth/react'; (window as any).v4 = { signIn, getSession };`, peers, [peers]));
  });
  after(() => server.close());

  /** Opens /a, marks the document, starts a sign-in on `client` to `callbackUrl`; the page navigates by itself. */
  async function signInFrom(page: Page, client: 'gh' | 'v4', callbackUrl: string): Promise<void> {
    await page.goto(`${server.origin}/a`);
    await page.waitForFunction(() => 'gh' in window && 'v4' in window);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    loads.clear();
    await page.evaluate(
      ([name, url]) => void (window as unknown as Record<string, { signIn: (...args: unknown[]) => Promise<unknown> }>)[name!]!.signIn('credentials', { callbackUrl: url, username: 'ann', password: 'pw' }),
      [client, callbackUrl] as const,
    );
  }

  const freshDocument = async (page: Page) => (await page.evaluate(() => (window as unknown as { marker?: number }).marker)) === undefined;
  const sessionName = (page: Page) => page.evaluate(async () => ((await (window as unknown as { gh: { getSession(): Promise<{ user?: { name?: string } } | null> } }).gh.getSession()) ?? {}).user?.name);

  test('gatehouse: the same page with a new #fragment is reloaded (as v4), and shows the session', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      await signInFrom(page, 'gh', '/a#welcome');
      await page.waitForURL(`${server.origin}/a#welcome`);
      await page.waitForFunction(() => 'gh' in window && !('marker' in window));
      assert.equal(loads.get('/a'), 1, 'reloaded once');
      assert.ok(await freshDocument(page));
      assert.equal(await sessionName(page), 'Ann');
    } finally {
      await browser.close();
    }
  });

  test('gatehouse: another page with a #fragment is loaded, not cancelled by a reload', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      await signInFrom(page, 'gh', '/b#top');
      await page.waitForURL(`${server.origin}/b#top`);
      await page.waitForFunction(() => 'gh' in window);
      assert.equal(loads.get('/b'), 1);
      assert.equal(loads.get('/a'), undefined, 'the old page is not loaded again');
      assert.ok(await freshDocument(page));
      assert.equal(await sessionName(page), 'Ann');
    } finally {
      await browser.close();
    }
  });

  test('next-auth/react v4 reloads for any #: right for the same page, but for another page the reload cancels the navigation (the documented reason gatehouse differs)', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const same = await browser.newPage();
      await signInFrom(same, 'v4', '/a#welcome');
      await same.waitForURL(`${server.origin}/a#welcome`);
      await same.waitForFunction(() => 'v4' in window && !('marker' in window));
      assert.ok(await freshDocument(same));

      const other = await browser.newPage();
      await signInFrom(other, 'v4', '/b#top');
      // Chromium starts loading /b, then the reload of /a replaces that navigation.
      await other.waitForFunction(() => 'v4' in window && !('marker' in window));
      assert.equal(other.url(), `${server.origin}/a`, 'v4 leaves the user on the page they came from');
      assert.equal(loads.get('/a'), 1);
    } finally {
      await browser.close();
    }
  });
});
