// The tests every runtime runs: the shared route suite through auth.handler and through gatehouse/hono, and an OIDC sign-in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SECRET, Browser } from '../helpers/server.js';
import { integrationSuite, type RunningApp } from '../integrations/suite.js';
import { IdpBrowser, startIdp, type Idp } from '../oauth/idp.js';
import { APP_BASE, APP_ORIGIN, CLIENT_SECRET, defaultClients } from '../oauth/setup.js';
import { runtimeSkipReason, startRuntime, type Runtime } from './harness.js';

const names: Record<Runtime, string> = { bun: 'Bun (Bun.serve)', deno: 'Deno (Deno.serve)', workerd: 'workerd (a Workers module)' };

export function runtimeSuite(runtime: Runtime, options: { noClientAddress?: string } = {}): void {
  const skip = runtimeSkipReason(runtime);
  describe(`on ${runtime}`, { skip: skip ?? false }, () => {
    for (const framework of ['fetch', 'hono'] as const) {
      integrationSuite({
        name: `${framework === 'fetch' ? 'auth.handler' : 'gatehouse/hono'} on ${names[runtime]}`,
        // The app is built inside the runtime from the same options; the Node-side instance is not used.
        start: (_auth, config) => startRuntime(runtime, { secret: SECRET, framework, ...(config.rateLimit !== undefined ? { rateLimit: config.rateLimit } : {}) }),
        ...(options.noClientAddress ? { noClientAddress: options.noClientAddress } : {}),
      });
    }

    describe(`OIDC sign-in on ${names[runtime]} against oidc-provider`, () => {
      let idp: Idp;
      let app: RunningApp;
      before(async () => {
        idp = await startIdp(defaultClients());
        // A configured URL (as the OAuth suites use): the IdP knows the app as APP_ORIGIN.
        app = await startRuntime(runtime, { secret: SECRET, framework: 'fetch', url: APP_BASE, oidc: { issuer: idp.issuer, clientId: 'gatehouse', clientSecret: CLIENT_SECRET } });
      });
      after(async () => {
        await app?.close();
        await idp?.stop();
      });

      test('authorization code + PKCE + nonce from POST signin to GET session; the runtime fetches discovery, token and keys', async () => {
        const base = `${app.origin}/api/auth`;
        const local = (url: string) => (url.startsWith(APP_ORIGIN) ? app.origin + url.slice(APP_ORIGIN.length) : url);
        const browser = new Browser();
        const csrfToken = await browser.csrfToken(base);
        const start = await browser.fetch(`${base}/signin/idp`, { method: 'POST', form: { csrfToken, callbackUrl: `${APP_ORIGIN}/dashboard`, json: 'true' } });
        assert.equal(start.status, 200);
        const { url } = (await start.json()) as { url: string };
        assert.equal(new URL(url).searchParams.get('code_challenge_method'), 'S256');
        const { location } = await new IdpBrowser().authorize(url, 'alice', `${APP_BASE}/callback/`);
        const callback = await browser.fetch(local(location!));
        assert.equal(callback.status, 302);
        assert.equal(callback.headers.get('location'), `${APP_ORIGIN}/dashboard`);
        const session = (await (await browser.fetch(`${base}/session`)).json()) as { user?: unknown };
        assert.deepEqual(session.user, { name: 'User alice', email: 'alice@example.com', image: 'https://img.example.com/alice.png' });
        assert.equal(idp.tokenRequests.at(-1)?.get('grant_type'), 'authorization_code');
        assert.ok(idp.jwksRequests > 0, 'the ID token signature was checked against the IdP keys');
      });
    });
  });
}
