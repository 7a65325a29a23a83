// Beyond v4: single-flight token refresh counted at the real token endpoint, and opt-in RP-initiated logout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTokenRefresher } from '../../src/token-refresh.js';
import type { JWT, OAuthConfig, Session } from '../../src/types.js';
import { APP_ORIGIN, Browser, authorizeAt, idpProvider, rig, sessionOf, startSignIn, type Rig } from './setup.js';

describe('single-flight token refresh', () => {
  let rg: Rig;
  let refresher: ReturnType<typeof createTokenRefresher>;
  before(async () => {
    let provider!: OAuthConfig;
    rg = await rig(
      (issuer) => {
        provider = idpProvider(issuer, { id: 'refresh' });
        refresher = createTokenRefresher(provider);
        return [provider];
      },
      {
        config: {
          callbacks: {
            async jwt({ token, account }) {
              // At sign-in the access token is stored already expired (a frozen clock, not a sleep).
              if (account) return { ...token, access_token: account.access_token, refresh_token: account.refresh_token, expires_at: 1 };
              return refresher.ifExpired(token as JWT & { access_token?: string; refresh_token?: string; expires_at?: number });
            },
            session({ session, token }) {
              return { ...session, accessToken: token.access_token, refreshToken: token.refresh_token, error: token.error } as Session;
            },
          },
        },
      },
    );
  });
  after(() => rg.close());

  it('20 concurrent session requests for one user: exactly one token endpoint call, all 20 get the new tokens', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'refresh', 'frank');
    const signedIn = await browser.fetch(rg.local(callback));
    assert.equal(signedIn.status, 302);
    const cookie = browser.cookieHeader();
    const refreshCalls = () => rg.idp.tokenRequests.filter((r) => r.get('grant_type') === 'refresh_token').length;
    assert.equal(refreshCalls(), 0);

    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${rg.base}/session`, { headers: { cookie } })));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{ accessToken?: string; refreshToken?: string; error?: string }>;

    assert.equal(refreshCalls(), 1, 'one refresh reached the token endpoint');
    const first = bodies[0]!;
    assert.ok(first.accessToken && first.refreshToken);
    assert.equal(first.error, undefined);
    for (const body of bodies) {
      assert.equal(body.accessToken, first.accessToken, 'all 20 got the same new access token');
      assert.equal(body.refreshToken, first.refreshToken, 'and the same rotated refresh token');
    }
    const sent = rg.idp.tokenRequests.find((r) => r.get('grant_type') === 'refresh_token')!;
    assert.notEqual(sent.get('refresh_token'), first.refreshToken, 'the refresh token rotated');
    // Each response re-issued the session cookie with the rotated tokens.
    for (const response of responses) assert.ok(response.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=')));

    // The new cookie works on: no further refresh while the new access token is fresh.
    browser.store(responses[0]!);
    const later = (await sessionOf(rg, browser)) as { accessToken?: string };
    assert.equal(later.accessToken, first.accessToken);
    assert.equal(refreshCalls(), 1);
  });

  it('a v4-style provider’s `options` merge deeply over its defaults, as createAuth merges them: both token params reach the endpoint', async () => {
    const base = idpProvider(rg.idp.issuer, { id: 'deep', token: `${rg.idp.issuer}/token?x_default=d` });
    const v4Style = { ...base, options: { token: { params: { x_option: 'o' } } } } as unknown as OAuthConfig;
    const result = await createTokenRefresher(v4Style).ifExpired({ refresh_token: 'deep-merge-probe', expires_at: 1 });
    assert.equal(result.error, 'RefreshAccessTokenError', 'the IdP refuses the made-up refresh token');
    const sent = rg.idp.tokenRequests.find((r) => r.get('refresh_token') === 'deep-merge-probe');
    assert.ok(sent, 'the refresh reached the token endpoint');
    assert.equal(sent.get('x_default'), 'd', 'the default endpoint’s query param survived the user options');
    assert.equal(sent.get('x_option'), 'o');
  });

  it('a refused refresh keeps the session and reports RefreshAccessTokenError', async () => {
    const result = await refresher.ifExpired({ access_token: 'old', refresh_token: 'not-a-real-refresh-token', expires_at: 1 });
    assert.equal(result.error, 'RefreshAccessTokenError');
    assert.equal(result.access_token, 'old');
  });
});

describe('RP-initiated logout (opt-in)', () => {
  let rg: Rig;
  before(async () => {
    rg = await rig((issuer) => [idpProvider(issuer, { id: 'rp', rpLogout: true }), idpProvider(issuer)]);
  });
  after(() => rg.close());

  async function signOut(browser: Browser, callbackUrl: string) {
    const csrfToken = await browser.csrfToken(rg.base);
    const response = await browser.fetch(`${rg.base}/signout`, { method: 'POST', form: { csrfToken, callbackUrl, json: 'true' } });
    return { response, url: ((await response.json()) as { url: string }).url };
  }

  it('sign-out goes on to end_session_endpoint with id_token_hint, and the IdP session ends', async () => {
    const browser = new Browser();
    const { callback, idpBrowser } = await authorizeAt(rg, browser, 'rp', 'gina');
    await browser.fetch(rg.local(callback));
    assert.ok(browser.jar.has('gatehouse.logout-hint'));

    const { response, url } = await signOut(browser, '/bye');
    const end = new URL(url);
    assert.equal(end.origin + end.pathname, `${rg.idp.issuer}/session/end`);
    assert.match(end.searchParams.get('id_token_hint')!, /^eyJ/);
    assert.equal(end.searchParams.get('client_id'), 'gatehouse');
    assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${APP_ORIGIN}/bye`);
    const cleared = response.headers.getSetCookie();
    assert.ok(cleared.some((c) => c.startsWith('next-auth.session-token=;')));
    assert.ok(cleared.some((c) => c.startsWith('gatehouse.logout-hint=;')));
    assert.deepEqual(await sessionOf(rg, browser), {});

    // At the IdP: confirm, and come back to the app.
    const confirmPage = await (await idpBrowser.fetch(url)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmPage)![1]!;
    const confirmed = await idpBrowser.fetch(`${rg.idp.issuer}/session/end/confirm`, { form: { xsrf, logout: 'yes' } });
    assert.equal(confirmed.headers.get('location'), `${APP_ORIGIN}/bye`);

    // The IdP session is gone: a new authorization asks for a login again.
    const again = await startSignIn(rg, new Browser(), 'rp');
    const hop = await idpBrowser.fetch(again.url);
    const page = await (await idpBrowser.fetch(new URL(hop.headers.get('location')!, again.url).href)).text();
    assert.match(page, /name="prompt" value="login"/);
  });

  it('post_logout_redirect_uri passes the redirect rules', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'rp', 'gina');
    await browser.fetch(rg.local(callback));
    const { url } = await signOut(browser, 'https://evil.example/phish');
    assert.equal(new URL(url).searchParams.get('post_logout_redirect_uri'), APP_ORIGIN);
  });

  it('providers that did not opt in sign out locally only', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'idp', 'hank');
    await browser.fetch(rg.local(callback));
    assert.ok(!browser.jar.has('gatehouse.logout-hint'));
    const { url } = await signOut(browser, '/bye');
    assert.equal(url, `${APP_ORIGIN}/bye`);
  });
});
