// examples/nextjs built with `next build` and served by `next start`, driven in Chromium; and the zero-logout move from next-auth v4.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { startIdp, type Idp } from '../oauth/idp.js';
import { nextAuthJwt } from '../helpers/peers.js';
import { Browser as HttpClient } from '../helpers/server.js';
import { copyTree, EXAMPLE, freePort, prepareEdgeApp, prepareGatehouseApp, prepareV4App, sourceFiles, startNext, toV4Imports, type RunningNext } from './nextjs-apps.js';

const SECRET = 'nextjs-example-test-secret-0123456789abcdef';
const ROOT = new URL('../../', import.meta.url).pathname;

async function signInOnBuiltInPage(page: Page, buttonName: RegExp): Promise<void> {
  await page.getByLabel('Email').fill('ann@example.com');
  await page.getByLabel('Password').fill('ann');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: buttonName }).click()]);
}

test('MIGRATING.md: its sed turns the v4 app into examples/nextjs, byte for byte', (t) => {
  const line = readFileSync(join(ROOT, 'MIGRATING.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('grep -rlE'));
  assert.ok(line, 'the one-line sed is in MIGRATING.md');
  const bash = spawnSync('bash', ['--version']);
  if (bash.status !== 0) return void t.skip('bash is not installed');
  const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-sed-'));
  try {
    copyTree(EXAMPLE, scratch);
    const files = sourceFiles(scratch);
    const v4 = new Map(files.map((file) => [file, toV4Imports(readFileSync(join(scratch, file), 'utf8'))]));
    // The v4 app really is a next-auth app: these imports are what the sed has to move.
    assert.match(v4.get('lib/auth.ts')!, /from 'next-auth\/providers\/credentials'/);
    assert.match(v4.get('proxy.ts')!, /from 'next-auth\/middleware'/);
    for (const [file, source] of v4) writeFileSync(join(scratch, file), source);
    const result = spawnSync('bash', ['-c', line!], { cwd: scratch, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    for (const file of files) assert.equal(readFileSync(join(scratch, file), 'utf8'), readFileSync(join(EXAMPLE, file), 'utf8'), file);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe('examples/nextjs (next build, next start, Chromium)', () => {
  interface Env {
    app: RunningNext;
    idp: Idp;
    browser: Browser;
  }
  // Set up by the first test that needs it; a missing browser or next install skips every test, each saying so.
  let setup: Promise<Env | { skip: string }> | undefined;

  async function start(): Promise<Env | { skip: string }> {
    let skip = '';
    // The helpers print the banner (or throw in CI); the reason is kept for every test to report.
    const recorder = { skip: (message?: string) => void (skip = message ?? 'skipped') } as TestContext;
    const dir = prepareGatehouseApp(recorder);
    if (!dir) return { skip };
    const browser = await launchChromium(recorder);
    if (!browser) return { skip };
    const port = await freePort();
    const idp = await startIdp([{ client_id: 'nextjs-example', client_secret: 'nextjs-example-secret', redirect_uris: [`http://127.0.0.1:${port}/api/auth/callback/oidc`] }]);
    const app = await startNext(dir, port, {
      NEXTAUTH_SECRET: SECRET,
      OIDC_ISSUER: idp.issuer,
      OIDC_NAME: 'Test IdP',
      OIDC_CLIENT_ID: 'nextjs-example',
      OIDC_CLIENT_SECRET: 'nextjs-example-secret',
    });
    return { app, idp, browser };
  }

  async function env(t: TestContext): Promise<Env | undefined> {
    setup ??= start();
    const result = await setup;
    if ('skip' in result) {
      t.skip(result.skip);
      return undefined;
    }
    return result;
  }

  after(async () => {
    const result = await setup;
    if (!result || 'skip' in result) return;
    await result.browser.close();
    await result.app.stop();
    await result.idp.stop();
  });

  test('the middleware sends a signed-out visitor to the sign-in page; credentials there bring them back, signed in', async (t) => {
    const e = await env(t);
    if (!e) return;
    const { app, browser } = e;
    const page = await browser.newPage();
    try {
      await page.goto(`${app.origin}/dashboard`);
      assert.equal(page.url(), `${app.origin}/api/auth/signin?callbackUrl=%2Fdashboard`);
      await signInOnBuiltInPage(page, /Sign in with Email and password/);
      assert.equal(page.url(), `${app.origin}/dashboard`);
      assert.equal(await page.getByTestId('dashboard-user').textContent(), 'Ann Example');
    } finally {
      await page.context().close();
    }
  });

  test('the session in a server component, through useSession, and in a Pages API route; then sign-out', async (t) => {
    const e = await env(t);
    if (!e) return;
    const { app, browser } = e;
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${app.origin}/`);
      assert.equal(await page.getByTestId('server-status').textContent(), 'Server: signed out');
      await page.getByTestId('client-status').getByText('Client: signed out').waitFor();
      // The in-page form: gatehouse-auth/react's signIn('credentials', { redirect: false }).
      await page.getByLabel('Email').fill('ann@example.com');
      await page.getByLabel('Password').fill('ann');
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
      assert.equal(await page.getByTestId('server-email').textContent(), 'ann@example.com');
      assert.equal(await page.getByTestId('client-email').textContent(), 'ann@example.com');

      const me = await page.request.get(`${app.origin}/api/me`);
      assert.deepEqual(await me.json(), { email: 'ann@example.com', name: 'Ann Example' });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByTestId('client-status').getByText('Client: signed out').waitFor();
      assert.equal(await page.getByTestId('server-status').textContent(), 'Server: signed out');
      assert.equal((await page.request.get(`${app.origin}/api/me`)).status(), 401);
      await page.goto(`${app.origin}/dashboard`);
      assert.match(page.url(), /\/api\/auth\/signin\?callbackUrl=%2Fdashboard$/);
    } finally {
      await context.close();
    }
  });

  test('OpenID Connect sign-in against a real oidc-provider', async (t) => {
    const e = await env(t);
    if (!e) return;
    const { app, browser } = e;
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${app.origin}/api/auth/signin?callbackUrl=%2F`);
      await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
      // oidc-provider's development login and consent pages.
      await page.locator('input[name=login]').fill('zoe');
      await page.locator('input[name=password]').fill('any');
      await page.locator('button[type=submit]').click();
      await page.locator('button[type=submit]').click();
      await page.waitForURL(`${app.origin}/`);
      assert.equal(await page.getByTestId('server-email').textContent(), 'zoe@example.com');
      assert.equal(await page.getByTestId('client-email').textContent(), 'zoe@example.com');
    } finally {
      await context.close();
    }
  });
});

describe('zero-logout migration: signed in on next-auth v4, still signed in after the switch', () => {
  test('JWT sessions: sign in on the v4 build, restart as the gatehouse build with the same secret, reload', async (t) => {
    const gatehouseDir = prepareGatehouseApp(t);
    if (!gatehouseDir) return;
    const v4Dir = prepareV4App(t);
    if (!v4Dir) return;
    const browser = await launchChromium(t);
    if (!browser) return;
    const port = await freePort();
    let running: RunningNext | undefined;
    try {
      const context = await browser.newContext();
      const page = await context.newPage();

      running = await startNext(v4Dir, port, { NEXTAUTH_SECRET: SECRET });
      await page.goto(`${running.origin}/api/auth/signin?callbackUrl=%2F`);
      // next-auth v4's own sign-in page.
      await signInOnBuiltInPage(page, /Sign in with Email and password/);
      assert.equal(page.url(), `${running.origin}/`);
      assert.equal(await page.getByTestId('server-email').textContent(), 'ann@example.com');
      const v4Cookie = (await context.cookies()).find((c) => c.name === 'next-auth.session-token');
      assert.ok(v4Cookie, 'next-auth v4 set its session cookie');
      await running.stop();

      running = await startNext(gatehouseDir, port, { NEXTAUTH_SECRET: SECRET });
      await page.reload();
      assert.equal(await page.getByTestId('server-email').textContent(), 'ann@example.com');
      await page.getByTestId('client-email').waitFor();
      assert.equal(await page.getByTestId('client-email').textContent(), 'ann@example.com');
      await page.goto(`${running.origin}/dashboard`);
      assert.equal(page.url(), `${running.origin}/dashboard`, 'the middleware accepts the v4 cookie');
      assert.equal(await page.getByTestId('dashboard-user').textContent(), 'Ann Example');
      // The CSRF cookie v4 set still signs the user out.
      await page.goto(`${running.origin}/`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByTestId('client-status').getByText('Client: signed out').waitFor();
    } finally {
      await running?.stop();
      await browser.close();
    }
  });
});

describe("withAuth in middleware.ts, on Next's Edge runtime (what a Next 15 app has)", () => {
  test('a signed-out request is sent to sign in; a gatehouse cookie and a v4 cookie pass', async (t) => {
    if (!prepareGatehouseApp(t)) return;
    const dir = prepareEdgeApp();
    const running = await startNext(dir, await freePort(), { NEXTAUTH_SECRET: SECRET });
    try {
      const anonymous = await new HttpClient().fetch(`${running.origin}/dashboard`);
      assert.equal(anonymous.status, 307);
      assert.equal(anonymous.headers.get('location'), '/api/auth/signin?callbackUrl=%2Fdashboard');

      const client = new HttpClient();
      const signIn = await client.signInWithCredentials(`${running.origin}/api/auth`, { email: 'ann@example.com', password: 'ann' });
      assert.equal(signIn.status, 200);
      const dashboard = await client.fetch(`${running.origin}/dashboard`);
      assert.equal(dashboard.status, 200);
      assert.match(await dashboard.text(), /Ann Example/);

      const v4Token = await nextAuthJwt().encode({ token: { name: 'Ann Example', email: 'ann@example.com', sub: '1' }, secret: SECRET });
      const withV4Cookie = await fetch(`${running.origin}/dashboard`, { headers: { cookie: `next-auth.session-token=${v4Token}` }, redirect: 'manual' });
      assert.equal(withV4Cookie.status, 200);
      assert.doesNotMatch(running.output(), /Native module not found|Edge Runtime/);
    } finally {
      await running.stop();
    }
  });
});
