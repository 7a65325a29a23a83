// examples/nextjs-v5 (a next-auth v5 app moved to gatehouse) built with `next build`, served by `next start` and driven in Chromium; and the zero-logout move from the published next-auth@5 beta.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { copyTree, EXAMPLE_V5, freePort, prepareGatehouseApp, prepareV5App, sourceFiles, startNext, toV5Imports, type RunningNext } from './nextjs-apps.js';

const SECRET = 'nextjs-v5-example-test-secret-0123456789abcdef';
const ROOT = new URL('../../', import.meta.url).pathname;

/** The app's own /login page: a form whose server action calls signIn('credentials', formData). */
async function signInOnLoginPage(page: Page, password = 'ann'): Promise<void> {
  await page.getByLabel('Email').fill('ann@example.com');
  await page.getByLabel('Password').fill(password);
  const refused = password !== 'ann';
  await Promise.all([page.waitForURL((url) => (refused ? url.pathname === '/login' && url.searchParams.has('error') : !url.pathname.startsWith('/login'))), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** What the v5 app needs in production mode besides its .env: the secret and its URL. */
const env = (origin: string) => ({ AUTH_SECRET: SECRET, AUTH_URL: origin });

test('MIGRATING.md: its v5 sed turns the next-auth v5 app into examples/nextjs-v5, byte for byte', (t) => {
  const line = readFileSync(join(ROOT, 'MIGRATING.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('grep -rlE') && l.includes('@auth/core'));
  assert.ok(line, 'the v5 one-line sed is in MIGRATING.md');
  const bash = spawnSync('bash', ['--version']);
  if (bash.status !== 0) return void t.skip('bash is not installed');
  const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-sed-v5-'));
  try {
    copyTree(EXAMPLE_V5, scratch);
    const files = sourceFiles(scratch);
    const v5 = new Map(files.map((file) => [file, toV5Imports(readFileSync(join(scratch, file), 'utf8'))]));
    // The v5 app really is a next-auth v5 app: these imports are what the sed has to move.
    assert.match(v5.get('auth.ts')!, /from 'next-auth'/);
    assert.match(v5.get('auth.ts')!, /from 'next-auth\/providers\/credentials'/);
    assert.match(v5.get('app/login/page.tsx')!, /import \{ AuthError \} from 'next-auth'/);
    // @auth/core paths a v5 app may use, mapped the same way.
    v5.set('lib/extra.ts', "import type { Session } from '@auth/core/types';\nimport GitHub from '@auth/core/providers/github';\nimport { getToken } from 'next-auth/jwt';\n");
    mkdirSync(join(scratch, 'lib'), { recursive: true });
    for (const [file, source] of v5) writeFileSync(join(scratch, file), source);
    const result = spawnSync('bash', ['-c', line!], { cwd: scratch, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    for (const file of files) assert.equal(readFileSync(join(scratch, file), 'utf8'), readFileSync(join(EXAMPLE_V5, file), 'utf8'), file);
    assert.equal(
      readFileSync(join(scratch, 'lib/extra.ts'), 'utf8'),
      "import type { Session } from 'gatehouse-auth';\nimport GitHub from 'gatehouse-auth/providers/github';\nimport { getToken } from 'gatehouse-auth/jwt';\n",
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe('examples/nextjs-v5 (next build, next start, Chromium)', () => {
  interface Env {
    app: RunningNext;
    browser: Browser;
  }
  let setup: Promise<Env | { skip: string }> | undefined;

  async function start(): Promise<Env | { skip: string }> {
    let skip = '';
    const recorder = { skip: (message?: string) => void (skip = message ?? 'skipped') } as TestContext;
    const dir = prepareGatehouseApp(recorder, EXAMPLE_V5);
    if (!dir) return { skip };
    const browser = await launchChromium(recorder);
    if (!browser) return { skip };
    const port = await freePort();
    const app = await startNext(dir, port, env(`http://127.0.0.1:${port}`));
    return { app, browser };
  }

  async function ready(t: TestContext): Promise<Env | undefined> {
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
  });

  test('the middleware (auth, callbacks.authorized) sends a signed-out visitor to /login; the server action signs in and brings them back', async (t) => {
    const e = await ready(t);
    if (!e) return;
    const { app, browser } = e;
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${app.origin}/dashboard`);
      assert.equal(page.url(), `${app.origin}/login?callbackUrl=${encodeURIComponent(`${app.origin}/dashboard`)}`);
      await signInOnLoginPage(page, 'wrong');
      assert.equal(await page.getByTestId('login-error').textContent(), 'Wrong email or password.', 'a refused signIn throws AuthError with type CredentialsSignin');
      await signInOnLoginPage(page);
      assert.equal(page.url(), `${app.origin}/dashboard`);
      assert.equal(await page.getByTestId('dashboard-user').textContent(), 'Ann Example');
      assert.ok(
        (await context.cookies()).some((c) => c.name === 'next-auth.session-token'),
        "gatehouse's cookie",
      );
    } finally {
      await context.close();
    }
  });

  test('auth() in a server component, useSession, auth(handler) in a route handler; then the sign-out server action', async (t) => {
    const e = await ready(t);
    if (!e) return;
    const { app, browser } = e;
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${app.origin}/`);
      assert.equal(await page.getByTestId('server-status').textContent(), 'Server: signed out');
      assert.equal((await page.request.get(`${app.origin}/api/me`)).status(), 401);
      await page.goto(`${app.origin}/login?callbackUrl=%2F`);
      await signInOnLoginPage(page);
      assert.equal(page.url(), `${app.origin}/`);
      assert.equal(await page.getByTestId('server-email').textContent(), 'ann@example.com');
      // The server action redirected within the app: the SessionProvider mounted on /login learns of
      // the session on its next fetch (a load, a focus), as with next-auth v5.
      await page.reload();
      await page.getByTestId('client-email').waitFor();
      assert.equal(await page.getByTestId('client-email').textContent(), 'ann@example.com');
      const me = await page.request.get(`${app.origin}/api/me`);
      assert.deepEqual(await me.json(), { email: 'ann@example.com', name: 'Ann Example' });

      await Promise.all([page.waitForURL(`${app.origin}/`), page.getByRole('button', { name: 'Sign out' }).click()]);
      await page.getByTestId('server-status').getByText('Server: signed out').waitFor();
      assert.equal((await page.request.get(`${app.origin}/api/me`)).status(), 401);
      await page.goto(`${app.origin}/dashboard`);
      assert.match(page.url(), /\/login\?callbackUrl=/);
    } finally {
      await context.close();
    }
  });
});

describe('zero-logout migration: signed in on next-auth v5 (beta), still signed in after the switch', () => {
  test('sign in on the v5 build (its server action), restart as the gatehouse build with the same AUTH_SECRET, reload', async (t) => {
    const gatehouseDir = prepareGatehouseApp(t, EXAMPLE_V5);
    if (!gatehouseDir) return;
    const v5Dir = prepareV5App(t);
    if (!v5Dir) return;
    const browser = await launchChromium(t);
    if (!browser) return;
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    let running: RunningNext | undefined;
    try {
      const context = await browser.newContext();
      const page = await context.newPage();

      running = await startNext(v5Dir, port, env(origin));
      await page.goto(`${origin}/dashboard`);
      assert.match(page.url(), /\/login\?callbackUrl=/, "next-auth v5's middleware");
      // v5 writes the callbackUrl with Next's `localhost` for 127.0.0.1, which its own redirect check
      // then refuses; a relative one is what a v5 user of this host would land with.
      await page.goto(`${origin}/login?callbackUrl=%2Fdashboard`);
      await signInOnLoginPage(page);
      assert.equal(page.url(), `${origin}/dashboard`);
      assert.equal(await page.getByTestId('dashboard-user').textContent(), 'Ann Example');
      const v5Cookie = (await context.cookies()).find((c) => c.name === 'authjs.session-token');
      assert.ok(v5Cookie, 'next-auth v5 set its session cookie');
      assert.match(v5Cookie.value, /^eyJ/, 'a JWE');
      await running.stop();

      running = await startNext(gatehouseDir, port, env(origin));
      await page.goto(`${origin}/`);
      assert.equal(await page.getByTestId('server-email').textContent(), 'ann@example.com', 'auth() reads the v5 cookie');
      await page.getByTestId('client-email').waitFor();
      await page.goto(`${origin}/dashboard`);
      assert.equal(page.url(), `${origin}/dashboard`, 'the middleware accepts the v5 cookie');
      assert.equal(await page.getByTestId('dashboard-user').textContent(), 'Ann Example');
      const cookies = await context.cookies();
      assert.ok(
        cookies.some((c) => c.name === 'next-auth.session-token'),
        "re-issued under gatehouse's name",
      );
      assert.ok(!cookies.some((c) => c.name.startsWith('authjs.session-token')), "v5's cookie is gone");
      // Still signed in on the re-issued cookie alone.
      await page.goto(`${origin}/`);
      assert.equal(await page.getByTestId('server-email').textContent(), 'ann@example.com');
    } finally {
      await running?.stop();
      await browser.close();
    }
  });
});
