// The real next-auth/react v4 client, bundled into a page in Chromium, against a gatehouse server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { toNodeHandler } from '../../src/integrations/node.js';
import { launchChromium } from '../helpers/chromium.js';
import { credentialsConfig } from '../helpers/config.js';
import { peerPath } from '../helpers/peers.js';
import { startServer, type TestServer } from '../helpers/server.js';

async function bundleV4Client(nextAuthUrl: string): Promise<string> {
  const peersModules = peerPath('next-auth').replace(/\/next-auth\/.*$/, '');
  const result = await build({
    stdin: {
      contents: `import { getProviders, getCsrfToken, getSession, signIn, signOut } from 'next-auth/react';
        window.v4 = { getProviders, getCsrfToken, getSession, signIn, signOut };`,
      resolveDir: peersModules,
    },
    nodePaths: [peersModules],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
    banner: { js: `var process = { env: { NODE_ENV: "production", NEXTAUTH_URL: ${JSON.stringify(nextAuthUrl)} } };` },
  });
  return result.outputFiles[0]!.text;
}

describe('the real next-auth/react v4 client against gatehouse', () => {
  let server: TestServer;
  let script = '';
  before(async () => {
    server = await startServer(credentialsConfig(), (auth) => {
      const api = toNodeHandler(auth);
      return (req, res) => {
        if (req.url?.startsWith('/api/auth')) return void api(req, res);
        if (req.url === '/v4.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><script src="/v4.js"></script></body></html>');
      };
    });
    script = await bundleV4Client(server.base);
  });
  after(() => server.close());

  test('getProviders, getCsrfToken, getSession, signIn and signOut give v4 results', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => 'v4' in window);
      type V4 = Record<string, (...args: unknown[]) => Promise<unknown>>;
      const call = (name: string, ...args: unknown[]) => page.evaluate(([fn, params]) => (window as unknown as { v4: V4 }).v4[fn as string]!(...(params as unknown[])), [name, args] as const);

      const providers = (await call('getProviders')) as Record<string, { type: string }>;
      assert.equal(providers.credentials?.type, 'credentials');
      assert.match((await call('getCsrfToken')) as string, /^[0-9a-f]{64}$/);
      assert.equal(await call('getSession'), null);

      const wrong = await call('signIn', 'credentials', { redirect: false, username: 'ann', password: 'nope', callbackUrl: '/dash' });
      assert.deepEqual(wrong, { error: 'CredentialsSignin', status: 401, ok: false, url: null });

      const right = await call('signIn', 'credentials', { redirect: false, username: 'ann', password: 'pw', callbackUrl: '/dash' });
      assert.deepEqual(right, { error: null, status: 200, ok: true, url: `${server.origin}/dash` });

      const session = (await call('getSession')) as { user: unknown; expires: string };
      assert.deepEqual(session.user, { name: 'Ann', email: 'ann@example.com', image: null });
      assert.ok(Date.parse(session.expires) > Date.now());

      const out = await call('signOut', { redirect: false, callbackUrl: '/bye' });
      assert.deepEqual(out, { url: `${server.origin}/bye` });
      assert.equal(await call('getSession'), null);
    } finally {
      await browser.close();
    }
  });
});
