// The real next-auth v4 client (next-auth/react 4.24.15) starts an OIDC sign-in against gatehouse and reads the session it ends in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { peerRequire } from '../helpers/peers.js';
import { IdpBrowser } from './idp.js';
import { APP_BASE, APP_ORIGIN, Browser, idpProvider, rig, type Rig } from './setup.js';

interface V4Client {
  signIn(provider?: string, options?: Record<string, unknown>, authorizationParams?: Record<string, string>): Promise<unknown>;
  getSession(): Promise<{ user?: Record<string, unknown> } | null>;
  getProviders(): Promise<Record<string, { id: string; type: string; signinUrl: string; callbackUrl: string }> | null>;
}

/**
 * The smallest page next-auth/react needs: `window.location` to read and assign, and a fetch that
 * behaves as the browser's for same-origin requests (relative URLs, a cookie jar). Requests to
 * other origins (gatehouse's own calls to the IdP) go to the real fetch untouched.
 */
function installPage(origin: string, browser: Browser): () => void {
  const realFetch = globalThis.fetch;
  const g = globalThis as unknown as { window?: unknown; fetch: typeof fetch };
  g.window = { location: { href: `${origin}/page`, reload() {} } };
  g.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), origin);
    if (url.origin !== origin) return realFetch(input, init);
    const headers = new Headers(init?.headers);
    if (browser.jar.size) headers.set('cookie', browser.cookieHeader());
    const response = await realFetch(url, { ...init, headers, redirect: 'manual' });
    browser.store(response);
    return response;
  };
  return () => {
    g.fetch = realFetch;
    delete g.window;
  };
}

describe('next-auth/react v4 against gatehouse (OIDC)', () => {
  let rg: Rig;
  let client: V4Client;
  let restore: () => void;
  const browser = new Browser();

  before(async () => {
    rg = await rig((issuer) => [idpProvider(issuer)]);
    restore = installPage(rg.app.origin, browser);
    client = peerRequire<V4Client>('next-auth/react');
  });
  after(async () => {
    restore();
    await rg.close();
  });

  it('getProviders shows the OIDC provider as v4 type "oauth"', async () => {
    const providers = await client.getProviders();
    assert.deepEqual(providers?.idp, { id: 'idp', name: 'Test IdP', type: 'oauth', signinUrl: `${APP_BASE}/signin/idp`, callbackUrl: `${APP_BASE}/callback/idp` });
  });

  it("signIn('idp', {redirect: false}, params) navigates to the IdP; the flow ends in a session the client reads", async () => {
    await client.signIn('idp', { callbackUrl: '/after', redirect: false }, { prompt: 'login', login_hint: 'zoe' });
    const page = (globalThis as unknown as { window: { location: { href: string } } }).window;
    const authorization = new URL(page.location.href);
    assert.equal(authorization.origin + authorization.pathname, `${rg.idp.issuer}/auth`);
    assert.equal(authorization.searchParams.get('prompt'), 'login');
    assert.equal(authorization.searchParams.get('login_hint'), 'zoe');
    assert.equal(authorization.searchParams.get('redirect_uri'), `${APP_BASE}/callback/idp`);
    assert.ok(authorization.searchParams.get('nonce') && authorization.searchParams.get('code_challenge'));

    const { location } = await new IdpBrowser().authorize(page.location.href, 'zoe', `${APP_BASE}/callback/`);
    const landed = await browser.fetch(rg.local(location!));
    assert.equal(landed.headers.get('location'), `${APP_ORIGIN}/after`);
    const session = await client.getSession();
    assert.equal(session?.user?.email, 'zoe@example.com');
    assert.equal(session?.user?.name, 'User zoe');
  });
});
