// One route suite for every framework integration: the same requests over real HTTP, the same answers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuth, type Auth } from '../../src/index.js';
import type { AuthConfig } from '../../src/types.js';
import { credentialsConfig, USER } from '../helpers/config.js';
import { Browser } from '../helpers/server.js';

/** A running app: the framework on 127.0.0.1 with the integration under test. */
export interface RunningApp {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/**
 * How one integration is wired into its framework. `start` must serve:
 * - the REST API under `/api/auth` through the integration;
 * - GET `/me` → JSON `{session}`, the session read with the integration's own helper;
 * - GET `/hello` → text `hello` from the framework itself (the integration must not swallow it).
 */
export interface Integration {
  name: string;
  /** `auth` is `createAuth(config)`; integrations that take the options object (NextAuth) use `config`. */
  start(auth: Auth, config: AuthConfig): Promise<RunningApp>;
  /** Why this integration cannot hand the socket's address to per-IP rate limits, if it cannot. */
  noClientAddress?: string;
}

const sessionCookie = 'next-auth.session-token';
/** The refusals below are expected; their warnings would only bury real failures in the output. */
const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };

function cookieNames(response: Response): string[] {
  return response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf('=')));
}

export function integrationSuite(integration: Integration): void {
  describe(`routes through ${integration.name}`, () => {
    let app: RunningApp;
    let base = '';
    before(async () => {
      // No `url`: the base comes from the Host header the integration passes on (loopback is trusted).
      const config = credentialsConfig({ logger: quiet });
      app = await integration.start(createAuth(config), config);
      base = `${app.origin}/api/auth`;
    });
    after(() => app.close());

    test('GET csrf: the token, its double-submit cookie and no-cache headers', async () => {
      const browser = new Browser();
      const response = await browser.fetch(`${base}/csrf`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'private, no-cache, no-store');
      const { csrfToken } = (await response.json()) as { csrfToken: string };
      assert.match(csrfToken, /^[0-9a-f]{64}$/);
      assert.match(response.headers.getSetCookie()[0]!, new RegExp(`^next-auth\\.csrf-token=${csrfToken}%7C[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Lax$`));
    });

    test('GET providers: URLs built from the Host the framework received', async () => {
      const response = await new Browser().fetch(`${base}/providers`);
      assert.equal(response.status, 200);
      const providers = (await response.json()) as Record<string, { signinUrl: string; callbackUrl: string }>;
      assert.equal(providers.credentials?.callbackUrl, `${base}/callback/credentials`);
    });

    test('credentials sign-in through CSRF (form, JSON mode): 200 {url}, three cookies in three Set-Cookie headers (the CSRF token rotated)', async () => {
      const browser = new Browser();
      const response = await browser.signInWithCredentials(base, { username: 'ann', password: 'pw', callbackUrl: '/dash' });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { url: `${app.origin}/dash` });
      assert.deepEqual(cookieNames(response).sort(), ['next-auth.callback-url', 'next-auth.csrf-token', sessionCookie]);
      assert.match(browser.jar.get(sessionCookie)!, /^eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0\.\./);
    });

    test("the session: GET session and the framework's own helper agree", async () => {
      const browser = new Browser();
      await browser.signInWithCredentials(base, { username: 'ann', password: 'pw' });
      const api = (await (await browser.fetch(`${base}/session`)).json()) as { user: unknown; expires: string };
      assert.deepEqual(api.user, { name: USER.name, email: USER.email, image: null });
      const me = (await (await browser.fetch(`${app.origin}/me`)).json()) as { session: { user: unknown } | null };
      assert.deepEqual(me.session?.user, api.user);
      const anonymous = (await (await new Browser().fetch(`${app.origin}/me`)).json()) as { session: unknown };
      assert.equal(anonymous.session, null);
    });

    test('without JSON mode a redirect is a 302 with its Location', async () => {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(base);
      const response = await browser.fetch(`${base}/callback/credentials`, { method: 'POST', form: { csrfToken, username: 'ann', password: 'nope' } });
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), `${base}/error?error=CredentialsSignin&provider=credentials`);
    });

    test('a JSON body works as a form does: credentials sign-in and the session update', async () => {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(base);
      const signIn = await browser.fetch(`${base}/callback/credentials`, { method: 'POST', json: { csrfToken, username: 'ann', password: 'pw', json: 'true' } });
      assert.equal(signIn.status, 200);
      assert.ok(browser.jar.has(sessionCookie));
      // Signing in rotated the token: the client fetches the new one before its next POST.
      const fresh = await browser.csrfToken(base);
      const update = await browser.fetch(`${base}/session`, { method: 'POST', json: { csrfToken: fresh, data: { theme: 'dark' } } });
      assert.equal(update.status, 200);
      assert.equal(((await update.json()) as { user: { email: string } }).user.email, USER.email);
    });

    test('CSRF refusal: a wrong token signs nobody in (403) and signs nobody out (302 signout?csrf=true)', async () => {
      const browser = new Browser();
      await browser.csrfToken(base);
      const signIn = await browser.fetch(`${base}/callback/credentials`, { method: 'POST', form: { csrfToken: 'f'.repeat(64), username: 'ann', password: 'pw', json: 'true' } });
      assert.equal(signIn.status, 403);
      assert.deepEqual(await signIn.json(), { url: `${base}/signin?csrf=true&error=MissingCSRF` });
      assert.ok(!browser.jar.has(sessionCookie));

      await browser.signInWithCredentials(base, { username: 'ann', password: 'pw' });
      const signOut = await browser.fetch(`${base}/signout`, { method: 'POST', form: { csrfToken: 'nope' } });
      assert.equal(signOut.status, 302);
      assert.equal(signOut.headers.get('location'), `${base}/signout?csrf=true`);
      assert.ok(browser.jar.has(sessionCookie));
    });

    test('sign-out: the session cookie is cleared and the session is gone', async () => {
      const browser = new Browser();
      await browser.signInWithCredentials(base, { username: 'ann', password: 'pw' });
      const csrfToken = await browser.csrfToken(base);
      const response = await browser.fetch(`${base}/signout`, { method: 'POST', form: { csrfToken, callbackUrl: '/bye', json: 'true' } });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { url: `${app.origin}/bye` });
      assert.ok(response.headers.getSetCookie().some((line) => line.startsWith(`${sessionCookie}=;`) && /Max-Age=0/.test(line)));
      assert.deepEqual(await (await browser.fetch(`${base}/session`)).json(), {});
      assert.equal(((await (await browser.fetch(`${app.origin}/me`)).json()) as { session: unknown }).session, null);
    });

    test('an oversized body is refused with 413', async () => {
      const browser = new Browser();
      const response = await browser.fetch(`${base}/callback/credentials`, { method: 'POST', form: { csrfToken: 'x', padding: 'a'.repeat(100 * 1024) } });
      assert.equal(response.status, 413);
      await response.arrayBuffer();
    });

    test('the client address reaches the per-IP limit on failed sign-ins (429 on the third)', { skip: integration.noClientAddress ?? false }, async () => {
      const config = credentialsConfig({ logger: quiet, rateLimit: { credentials: { perIp: { limit: 2, window: 60 }, perIdentifier: false } } });
      const limited = await integration.start(createAuth(config), config);
      try {
        const browser = new Browser();
        const statuses: number[] = [];
        for (const username of ['a', 'b', 'c']) {
          const response = await browser.signInWithCredentials(`${limited.origin}/api/auth`, { username, password: 'wrong' });
          statuses.push(response.status);
          await response.arrayBuffer();
        }
        assert.deepEqual(statuses, [401, 401, 429]);
      } finally {
        await limited.close();
      }
    });

    test("query strings reach the core; unknown actions get the core's 400; other paths stay the framework's", async () => {
      const browser = new Browser();
      const error = await browser.fetch(`${base}/error?error=AccessDenied`);
      assert.equal(error.status, 403);
      assert.match(error.headers.get('content-type')!, /text\/html/);
      await error.arrayBuffer();
      const unknown = await browser.fetch(`${base}/nonsense`);
      assert.equal(unknown.status, 400);
      assert.equal(await unknown.text(), 'Error: This action with HTTP GET is not supported.');
      const hello = await browser.fetch(`${app.origin}/hello`);
      assert.equal(hello.status, 200);
      assert.equal(await hello.text(), 'hello');
    });
  });
}
