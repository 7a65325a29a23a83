// Authorization code + PKCE + nonce against a real OpenID Provider, from POST signin to GET session.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdpBrowser } from './idp.js';
import { APP_BASE, APP_ORIGIN, Browser, authorizeAt, errorCode, idpProvider, rig, sessionOf, startSignIn, type Rig } from './setup.js';

describe('OIDC sign-in against oidc-provider', () => {
  let rg: Rig;
  before(async () => {
    rg = await rig((issuer) => [idpProvider(issuer)]);
  });
  after(() => rg.close());

  it('POST signin answers the authorization URL with state, S256 PKCE, nonce and the configured redirect_uri', async () => {
    const browser = new Browser();
    const { url, response } = await startSignIn(rg, browser, 'idp');
    const auth = new URL(url);
    assert.equal(auth.origin + auth.pathname, `${rg.idp.issuer}/auth`);
    assert.equal(auth.searchParams.get('response_type'), 'code');
    assert.equal(auth.searchParams.get('client_id'), 'gatehouse');
    assert.equal(auth.searchParams.get('redirect_uri'), `${APP_BASE}/callback/idp`);
    assert.equal(auth.searchParams.get('scope'), 'openid profile email');
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
    assert.match(auth.searchParams.get('code_challenge')!, /^[\w-]{43}$/);
    assert.match(auth.searchParams.get('state')!, /^[\w-]{43}$/);
    assert.match(auth.searchParams.get('nonce')!, /^[\w-]{43}$/);
    const setCookies = response.headers.getSetCookie();
    for (const name of ['next-auth.state', 'next-auth.pkce.code_verifier', 'next-auth.nonce']) {
      const line = setCookies.find((c) => c.startsWith(`${name}=`));
      assert.ok(line, `${name} is set`);
      assert.match(line, /Max-Age=900/);
      assert.match(line, /HttpOnly/);
      assert.match(line, /SameSite=Lax/);
      assert.match(line, /=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0\./, 'a dir/A256GCM JWE as v4 writes');
    }
  });

  it('the full flow ends in a session, on the callbackUrl, with the check cookies cleared', async () => {
    const browser = new Browser();
    const { callback } = await authorizeAt(rg, browser, 'idp', 'alice');
    const url = new URL(callback);
    assert.equal(url.searchParams.get('iss'), rg.idp.issuer, 'RFC 9207 iss arrives and is checked');
    const response = await browser.fetch(rg.local(callback));
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${APP_ORIGIN}/dashboard`);
    const setCookies = response.headers.getSetCookie();
    for (const name of ['next-auth.state', 'next-auth.pkce.code_verifier', 'next-auth.nonce']) {
      assert.ok(
        setCookies.some((c) => c.startsWith(`${name}=;`) && /Max-Age=0/.test(c)),
        `${name} cleared`,
      );
    }
    assert.ok(setCookies.some((c) => c.startsWith('next-auth.session-token=')));
    const session = await sessionOf(rg, browser);
    assert.deepEqual((session as { user: unknown }).user, { name: 'User alice', email: 'alice@example.com', image: 'https://img.example.com/alice.png' });
    assert.equal(rg.idp.tokenRequests.length > 0, true);
    const last = rg.idp.tokenRequests.at(-1)!;
    assert.equal(last.get('grant_type'), 'authorization_code');
    assert.match(last.get('code_verifier')!, /^[\w-]{43}$/, 'the PKCE verifier is sent');
    assert.equal(last.get('redirect_uri'), `${APP_BASE}/callback/idp`);
  });

  it('the IdP error access_denied lands on the error page with v4 code Callback and no session', async () => {
    const browser = new Browser();
    const { url } = await startSignIn(rg, browser, 'idp');
    const { location } = await new IdpBrowser().authorize(url, 'alice', `${APP_BASE}/callback/`, { abort: true });
    assert.equal(new URL(location!).searchParams.get('error'), 'access_denied');
    const response = await browser.fetch(rg.local(location!));
    assert.equal(response.status, 302);
    assert.equal(errorCode(response.headers.get('location')), 'Callback');
    assert.ok(!response.headers.get('location')!.includes('End-User'), 'no IdP text in the response');
    assert.deepEqual(await sessionOf(rg, browser), {});
  });
});
